//! SM4 differential: every mode of `smtrust::sm4` against the RustCrypto `sm4` cipher driven by
//! the RustCrypto mode crates (`ecb`, `cbc`, `ctr`, `cfb-mode`, `ofb`, `aes-gcm`, `ccm`), in
//! both directions, one-shot and streamed; GCM and CCM must refuse a tampered input.
//!
//! Input: `mode ‖ key (16) ‖ iv (16; its first 12 bytes are the GCM/CCM nonce) ‖ n ‖ rest`,
//! where `n` splits `rest` into associated data and message for GCM/CCM, and is the chunk
//! length for the streaming forms of the other modes.

use aes_gcm::AeadInOut;
use cipher::block_padding::{NoPadding, Pkcs7};
use cipher::consts::{U4, U8, U12, U16};
use cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit, StreamCipher};
use smtrust::sm4::{self, BLOCK_LEN, Error, KEY_LEN, NONCE_LEN, Nonce, Padding};

/// The modes, indexed by the first byte of an input.
const MODES: [Mode; 9] = [
    Mode::Ecb(Padding::Pkcs7),
    Mode::Ecb(Padding::None),
    Mode::Cbc(Padding::Pkcs7),
    Mode::Cbc(Padding::None),
    Mode::Ctr,
    Mode::Cfb,
    Mode::Ofb,
    Mode::Gcm,
    Mode::Ccm,
];

#[derive(Clone, Copy)]
enum Mode {
    Ecb(Padding),
    Cbc(Padding),
    Ctr,
    Cfb,
    Ofb,
    Gcm,
    Ccm,
}

/// One input taken apart.
struct Case<'a> {
    key: [u8; KEY_LEN],
    iv: [u8; BLOCK_LEN],
    split: usize,
    rest: &'a [u8],
}

impl Case<'_> {
    fn ours(&self) -> sm4::Key {
        sm4::Key::new(self.key)
    }

    fn nonce_bytes(&self) -> [u8; NONCE_LEN] {
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&self.iv[..NONCE_LEN]);
        nonce
    }

    fn nonce(&self) -> Nonce {
        Nonce::assume_unique_for_key(self.nonce_bytes())
    }

    /// The associated data and the message of an AEAD case.
    fn aad_and_message(&self) -> (&[u8], &[u8]) {
        self.rest.split_at(self.split.min(self.rest.len()))
    }
}

/// Differential SM4 in every mode (GB/T 32907, GB/T 17964, GB/T 36624): ours and RustCrypto's
/// agree on every ciphertext, every plaintext and every padding verdict.
pub fn sm4_differential(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some((key, rest)) = rest.split_first_chunk::<KEY_LEN>() else {
        return;
    };
    let Some((iv, rest)) = rest.split_first_chunk::<BLOCK_LEN>() else {
        return;
    };
    let Some((&split, rest)) = rest.split_first() else {
        return;
    };
    let case = Case {
        key: *key,
        iv: *iv,
        split: usize::from(split),
        rest,
    };
    match MODES[usize::from(selector) % MODES.len()] {
        Mode::Ecb(padding) => ecb(&case, padding),
        Mode::Cbc(padding) => cbc(&case, padding),
        Mode::Ctr => stream::<ctr::Ctr128BE<::sm4::Sm4>>(&case, sm4::ctr_encrypt, sm4::ctr_decrypt),
        Mode::Cfb => cfb(&case),
        Mode::Ofb => stream::<ofb::Ofb<::sm4::Sm4>>(&case, sm4::ofb_encrypt, sm4::ofb_decrypt),
        Mode::Gcm => gcm(&case),
        Mode::Ccm => ccm(&case),
    }
}

/// ECB: one-shot, streamed, and decryption of the raw input (padding verdicts must agree).
fn ecb(case: &Case<'_>, padding: Padding) {
    let key = case.ours();
    let msg = case.rest;
    let theirs_enc = || ecb::Encryptor::<::sm4::Sm4>::new(&case.key.into());
    let theirs_dec = || ecb::Decryptor::<::sm4::Sm4>::new(&case.key.into());
    let ours = sm4::ecb_encrypt(&key, padding, msg);
    let expected = if padding == Padding::Pkcs7 {
        Some(theirs_enc().encrypt_padded_vec::<Pkcs7>(msg))
    } else {
        msg.len()
            .is_multiple_of(BLOCK_LEN)
            .then(|| theirs_enc().encrypt_padded_vec::<NoPadding>(msg))
    };
    check_block_mode_encryption(ours, expected, msg.len());
    let mut streamed = Vec::new();
    let mut encryptor = sm4::EcbEncryptor::new(&key, padding);
    for chunk in msg.chunks(case.split.max(1)) {
        encryptor.update(chunk, &mut streamed);
    }
    let finished = encryptor.finish(&mut streamed);
    assert_eq!(
        finished.map(|()| streamed),
        sm4::ecb_encrypt(&key, padding, msg)
    );
    let ours = sm4::ecb_decrypt(&key, padding, msg);
    let expected = if padding == Padding::Pkcs7 {
        theirs_dec().decrypt_padded_vec::<Pkcs7>(msg).ok()
    } else {
        theirs_dec().decrypt_padded_vec::<NoPadding>(msg).ok()
    };
    check_block_mode_decryption(ours, expected, msg.len());
}

/// CBC: one-shot, streamed, and decryption of the raw input (padding verdicts must agree).
fn cbc(case: &Case<'_>, padding: Padding) {
    let key = case.ours();
    let msg = case.rest;
    let theirs_enc = || cbc::Encryptor::<::sm4::Sm4>::new(&case.key.into(), &case.iv.into());
    let theirs_dec = || cbc::Decryptor::<::sm4::Sm4>::new(&case.key.into(), &case.iv.into());
    let ours = sm4::cbc_encrypt(&key, &case.iv, padding, msg);
    let expected = if padding == Padding::Pkcs7 {
        Some(theirs_enc().encrypt_padded_vec::<Pkcs7>(msg))
    } else {
        msg.len()
            .is_multiple_of(BLOCK_LEN)
            .then(|| theirs_enc().encrypt_padded_vec::<NoPadding>(msg))
    };
    check_block_mode_encryption(ours, expected, msg.len());
    let mut streamed = Vec::new();
    let mut encryptor = sm4::CbcEncryptor::new(&key, &case.iv, padding);
    for chunk in msg.chunks(case.split.max(1)) {
        encryptor.update(chunk, &mut streamed);
    }
    let finished = encryptor.finish(&mut streamed);
    assert_eq!(
        finished.map(|()| streamed),
        sm4::cbc_encrypt(&key, &case.iv, padding, msg)
    );
    let ours = sm4::cbc_decrypt(&key, &case.iv, padding, msg);
    let expected = if padding == Padding::Pkcs7 {
        theirs_dec().decrypt_padded_vec::<Pkcs7>(msg).ok()
    } else {
        theirs_dec().decrypt_padded_vec::<NoPadding>(msg).ok()
    };
    check_block_mode_decryption(ours, expected, msg.len());
}

/// Our ECB/CBC encryption equals theirs, or fails exactly where theirs cannot run (a message
/// that is not whole blocks without padding).
fn check_block_mode_encryption(ours: Result<Vec<u8>, Error>, theirs: Option<Vec<u8>>, len: usize) {
    match theirs {
        Some(expected) => assert_eq!(ours, Ok(expected)),
        None => assert_eq!(ours, Err(Error::PlaintextNotBlockAligned { len })),
    }
}

/// Our ECB/CBC decryption of arbitrary bytes equals theirs; where theirs fails, ours names
/// the reason: not whole blocks, or (PKCS#7 only) a bad pad.
fn check_block_mode_decryption(ours: Result<Vec<u8>, Error>, theirs: Option<Vec<u8>>, len: usize) {
    if !len.is_multiple_of(BLOCK_LEN) {
        assert_eq!(ours, Err(Error::CiphertextNotBlockAligned { len }));
        return;
    }
    match theirs {
        Some(expected) => assert_eq!(ours, Ok(expected)),
        None => assert_eq!(ours, Err(Error::BadPadding)),
    }
}

/// CTR and OFB: keystream modes, one-shot and streamed in chunks, both directions.
fn stream<C: KeyIvInit + StreamCipher>(
    case: &Case<'_>,
    encrypt: fn(&sm4::Key, &[u8; BLOCK_LEN], &[u8]) -> Vec<u8>,
    decrypt: fn(&sm4::Key, &[u8; BLOCK_LEN], &[u8]) -> Vec<u8>,
) {
    let key = case.ours();
    let msg = case.rest;
    let mut expected = msg.to_vec();
    C::new_from_slices(&case.key, &case.iv)
        .unwrap()
        .apply_keystream(&mut expected);
    let ciphertext = encrypt(&key, &case.iv, msg);
    assert_eq!(ciphertext, expected);
    assert_eq!(decrypt(&key, &case.iv, &ciphertext), msg);
    assert_eq!(decrypt(&key, &case.iv, msg), expected);
}

/// CFB128: one-shot and streamed in chunks, both directions.
fn cfb(case: &Case<'_>) {
    let key = case.ours();
    let msg = case.rest;
    let mut expected = msg.to_vec();
    cfb_mode::Encryptor::<::sm4::Sm4>::new(&case.key.into(), &case.iv.into())
        .encrypt(&mut expected);
    let ciphertext = sm4::cfb_encrypt(&key, &case.iv, msg);
    assert_eq!(ciphertext, expected);
    let mut streamed = msg.to_vec();
    let mut encryptor = sm4::CfbEncryptor::new(&key, &case.iv);
    for chunk in streamed.chunks_mut(case.split.max(1)) {
        encryptor.encrypt(chunk);
    }
    assert_eq!(streamed, expected);
    assert_eq!(sm4::cfb_decrypt(&key, &case.iv, &ciphertext), msg);
    let mut plaintext = msg.to_vec();
    cfb_mode::Decryptor::<::sm4::Sm4>::new(&case.key.into(), &case.iv.into())
        .decrypt(&mut plaintext);
    assert_eq!(sm4::cfb_decrypt(&key, &case.iv, msg), plaintext);
    let mut streamed = msg.to_vec();
    let mut decryptor = sm4::CfbDecryptor::new(&key, &case.iv);
    for chunk in streamed.chunks_mut(case.split.max(1)) {
        decryptor.decrypt(chunk);
    }
    assert_eq!(streamed, plaintext);
}

/// A copy of `sealed` with one bit flipped, at a place the input chooses.
fn tampered(sealed: &[u8], case: &Case<'_>) -> Vec<u8> {
    let mut copy = sealed.to_vec();
    let at = (case.split * 7 + usize::from(case.key[0])) % copy.len();
    copy[at] ^= 1 << (case.iv[15] % 8);
    copy
}

/// GCM with a 12-byte nonce and 16-byte tag (RFC 8998 §3.1): seal, open, detached forms, and
/// refusal of a changed ciphertext, tag or associated data.
fn gcm(case: &Case<'_>) {
    let key = case.ours();
    let (aad, msg) = case.aad_and_message();
    let theirs = aes_gcm::AesGcm::<::sm4::Sm4, U12>::new(&case.key.into());
    let mut expected = msg.to_vec();
    let tag = theirs
        .encrypt_inout_detached(
            &case.nonce_bytes().into(),
            aad,
            expected.as_mut_slice().into(),
        )
        .unwrap();
    expected.extend_from_slice(&tag);
    let sealed = sm4::gcm_seal(&key, case.nonce(), aad, msg).unwrap();
    assert_eq!(sealed, expected);
    let mut detached = msg.to_vec();
    let ours_tag = sm4::gcm_seal_in_place_detached(&key, case.nonce(), aad, &mut detached).unwrap();
    assert_eq!((&detached[..], &ours_tag[..]), expected.split_at(msg.len()));
    assert_eq!(
        sm4::gcm_open(&key, case.nonce(), aad, &sealed).as_deref(),
        Ok(msg)
    );
    let bad = tampered(&sealed, case);
    assert_eq!(
        sm4::gcm_open(&key, case.nonce(), aad, &bad),
        Err(Error::AuthenticationFailed)
    );
    let mut bad_aad = aad.to_vec();
    bad_aad.push(0);
    assert_eq!(
        sm4::gcm_open(&key, case.nonce(), &bad_aad, &sealed),
        Err(Error::AuthenticationFailed)
    );
    let (ciphertext, tag) = bad.split_at(msg.len());
    let mut in_out = ciphertext.to_vec();
    let tag: [u8; 16] = tag.try_into().unwrap();
    assert_eq!(
        sm4::gcm_open_in_place_detached(&key, case.nonce(), aad, &mut in_out, &tag),
        Err(Error::AuthenticationFailed)
    );
    assert!(in_out.iter().all(|&b| b == 0));
    // The raw input as a sealed message: both implementations agree on accepting it.
    let opened = theirs_open(&theirs, case, aad, msg);
    assert_eq!(sm4::gcm_open(&key, case.nonce(), aad, msg).is_ok(), opened);
}

/// Whether the RustCrypto AEAD `theirs` opens `sealed` (ciphertext ‖ 16-byte tag) under the
/// case's nonce and `aad`.
fn theirs_open<A>(theirs: &A, case: &Case<'_>, aad: &[u8], sealed: &[u8]) -> bool
where
    A: AeadInOut + aes_gcm::AeadCore<NonceSize = U12, TagSize = U16>,
{
    let Some(split) = sealed.len().checked_sub(16) else {
        return false;
    };
    let (ciphertext, tag) = sealed.split_at(split);
    let mut buffer = ciphertext.to_vec();
    let nonce = cipher::Array::try_from(&case.nonce_bytes()[..]).unwrap();
    let tag = cipher::Array::try_from(tag).unwrap();
    theirs
        .decrypt_inout_detached(&nonce, aad, buffer.as_mut_slice().into(), &tag)
        .is_ok()
}

/// CCM with a 12-byte nonce (RFC 8998 §3.2, RFC 3610): the 16-byte tag of `ccm_seal` and the
/// 4- and 8-byte tags of the detached form against the `ccm` crate, refusal of a changed
/// ciphertext, tag or associated data, and agreement on opening the raw input.
fn ccm(case: &Case<'_>) {
    let key = case.ours();
    let (aad, msg) = case.aad_and_message();
    let theirs = ccm::Ccm::<::sm4::Sm4, U16, U12>::new(&case.key.into());
    let mut expected = msg.to_vec();
    let tag = theirs
        .encrypt_inout_detached(
            &case.nonce_bytes().into(),
            aad,
            expected.as_mut_slice().into(),
        )
        .unwrap();
    expected.extend_from_slice(&tag);
    let sealed = sm4::ccm_seal(&key, case.nonce(), aad, msg).unwrap();
    assert_eq!(sealed, expected);
    assert_eq!(
        sm4::ccm_open(&key, case.nonce(), aad, &sealed).as_deref(),
        Ok(msg)
    );
    assert_eq!(
        sm4::ccm_open(&key, case.nonce(), aad, &tampered(&sealed, case)),
        Err(Error::AuthenticationFailed)
    );
    let mut bad_aad = aad.to_vec();
    bad_aad.push(0);
    assert_eq!(
        sm4::ccm_open(&key, case.nonce(), &bad_aad, &sealed),
        Err(Error::AuthenticationFailed)
    );
    let opened = theirs_open(&theirs, case, aad, msg);
    assert_eq!(sm4::ccm_open(&key, case.nonce(), aad, msg).is_ok(), opened);
    short_ccm_tag::<U4>(case, 4);
    short_ccm_tag::<U8>(case, 8);
}

/// A CCM tag of `len` bytes through the detached functions, against the `ccm` crate's
/// `Ccm<Sm4, M, U12>`.
fn short_ccm_tag<M>(case: &Case<'_>, len: usize)
where
    M: cipher::array::ArraySize + ccm::TagSize,
    ccm::Ccm<::sm4::Sm4, M, U12>: KeyInit + AeadInOut,
{
    let key = case.ours();
    let (aad, msg) = case.aad_and_message();
    let theirs = ccm::Ccm::<::sm4::Sm4, M, U12>::new_from_slice(&case.key).unwrap();
    let mut expected = msg.to_vec();
    let nonce = cipher::Array::try_from(&case.nonce_bytes()[..]).unwrap();
    let expected_tag = theirs
        .encrypt_inout_detached(&nonce, aad, expected.as_mut_slice().into())
        .unwrap();
    let mut in_out = msg.to_vec();
    let mut tag = vec![0u8; len];
    sm4::ccm_seal_in_place_detached(&key, case.nonce(), aad, &mut in_out, &mut tag).unwrap();
    assert_eq!(in_out, expected);
    assert_eq!(tag, expected_tag.as_slice());
    tag[0] ^= 0x80;
    assert_eq!(
        sm4::ccm_open_in_place_detached(&key, case.nonce(), aad, &mut in_out, &tag),
        Err(Error::AuthenticationFailed)
    );
    assert!(in_out.iter().all(|&b| b == 0));
}
