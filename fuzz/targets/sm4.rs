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

/// ECB against `ecb::{Encryptor, Decryptor}<Sm4>`.
fn ecb(case: &Case<'_>, padding: Padding) {
    let key = case.ours();
    let streamed = |msg: &[u8]| {
        let mut out = Vec::new();
        let mut encryptor = sm4::EcbEncryptor::new(&key, padding);
        msg.chunks(case.split.max(1))
            .for_each(|chunk| encryptor.update(chunk, &mut out));
        encryptor.finish(&mut out).map(|()| out)
    };
    block_mode(
        case.rest,
        BlockMode {
            encrypt: &|msg| sm4::ecb_encrypt(&key, padding, msg),
            decrypt: &|msg| sm4::ecb_decrypt(&key, padding, msg),
            streamed: &streamed,
            theirs_encrypt: &|msg| {
                theirs_encrypt(
                    ecb::Encryptor::<::sm4::Sm4>::new(&case.key.into()),
                    padding,
                    msg,
                )
            },
            theirs_decrypt: &|msg| {
                theirs_decrypt(
                    ecb::Decryptor::<::sm4::Sm4>::new(&case.key.into()),
                    padding,
                    msg,
                )
            },
        },
    );
}

/// CBC against `cbc::{Encryptor, Decryptor}<Sm4>`.
fn cbc(case: &Case<'_>, padding: Padding) {
    let (key, iv) = (case.ours(), case.iv);
    let streamed = |msg: &[u8]| {
        let mut out = Vec::new();
        let mut encryptor = sm4::CbcEncryptor::new(&key, &iv, padding);
        msg.chunks(case.split.max(1))
            .for_each(|chunk| encryptor.update(chunk, &mut out));
        encryptor.finish(&mut out).map(|()| out)
    };
    let theirs_key = (&case.key.into(), &iv.into());
    block_mode(
        case.rest,
        BlockMode {
            encrypt: &|msg| sm4::cbc_encrypt(&key, &iv, padding, msg),
            decrypt: &|msg| sm4::cbc_decrypt(&key, &iv, padding, msg),
            streamed: &streamed,
            theirs_encrypt: &|msg| {
                let mode = cbc::Encryptor::<::sm4::Sm4>::new(theirs_key.0, theirs_key.1);
                theirs_encrypt(mode, padding, msg)
            },
            theirs_decrypt: &|msg| {
                let mode = cbc::Decryptor::<::sm4::Sm4>::new(theirs_key.0, theirs_key.1);
                theirs_decrypt(mode, padding, msg)
            },
        },
    );
}

/// A padded block mode (ECB or CBC) under one key and IV: ours one-shot and streamed, and
/// theirs (`None` where their padding cannot run or refuses).
struct BlockMode<'a> {
    encrypt: &'a Ours<'a>,
    decrypt: &'a Ours<'a>,
    streamed: &'a Ours<'a>,
    theirs_encrypt: &'a Theirs<'a>,
    theirs_decrypt: &'a Theirs<'a>,
}

/// One of our operations on a whole message.
type Ours<'a> = dyn Fn(&[u8]) -> Result<Vec<u8>, Error> + 'a;

/// One of RustCrypto's operations on a whole message; `None` where it cannot run or refuses.
type Theirs<'a> = dyn Fn(&[u8]) -> Option<Vec<u8>> + 'a;

/// Our encryption of `msg` equals theirs, or fails exactly where theirs cannot run (not whole
/// blocks without padding); streaming equals one-shot; our decryption of `msg` as ciphertext
/// equals theirs, and where theirs fails ours names the reason: not whole blocks, or a bad pad.
fn block_mode(msg: &[u8], mode: BlockMode<'_>) {
    let len = msg.len();
    let ours = (mode.encrypt)(msg);
    match (mode.theirs_encrypt)(msg) {
        Some(expected) => assert_eq!(ours, Ok(expected)),
        None => assert_eq!(ours, Err(Error::PlaintextNotBlockAligned { len })),
    }
    assert_eq!((mode.streamed)(msg), ours);
    let ours = (mode.decrypt)(msg);
    if !len.is_multiple_of(BLOCK_LEN) {
        assert_eq!(ours, Err(Error::CiphertextNotBlockAligned { len }));
        return;
    }
    match (mode.theirs_decrypt)(msg) {
        Some(expected) => assert_eq!(ours, Ok(expected)),
        None => assert_eq!(ours, Err(Error::BadPadding)),
    }
}

/// RustCrypto's encryption with our padding choice; `None` for unpadded partial blocks.
fn theirs_encrypt<E: BlockModeEncrypt>(mode: E, padding: Padding, msg: &[u8]) -> Option<Vec<u8>> {
    if padding == Padding::Pkcs7 {
        Some(mode.encrypt_padded_vec::<Pkcs7>(msg))
    } else {
        msg.len()
            .is_multiple_of(BLOCK_LEN)
            .then(|| mode.encrypt_padded_vec::<NoPadding>(msg))
    }
}

/// RustCrypto's decryption with our padding choice; `None` where it refuses.
fn theirs_decrypt<D: BlockModeDecrypt>(mode: D, padding: Padding, msg: &[u8]) -> Option<Vec<u8>> {
    if padding == Padding::Pkcs7 {
        mode.decrypt_padded_vec::<Pkcs7>(msg).ok()
    } else {
        mode.decrypt_padded_vec::<NoPadding>(msg).ok()
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

/// `gcm_seal`/`gcm_open` or `ccm_seal`/`ccm_open`.
type Seal = fn(&sm4::Key, Nonce, &[u8], &[u8]) -> Result<Vec<u8>, Error>;

/// An AEAD mode with a 12-byte nonce and 16-byte tag (RFC 8998 §3.1 GCM, §3.2 CCM): our
/// `seal` equals ciphertext ‖ tag of `theirs`, `open` inverts it and refuses a flipped bit or
/// changed associated data, and both agree on opening the raw input as a sealed message.
/// Returns the sealed message.
fn aead<A>(case: &Case<'_>, theirs: &A, seal: Seal, open: Seal) -> Vec<u8>
where
    A: AeadInOut + aes_gcm::AeadCore<NonceSize = U12, TagSize = U16>,
{
    let key = case.ours();
    let (aad, msg) = case.aad_and_message();
    let nonce = cipher::Array::try_from(&case.nonce_bytes()[..]).unwrap();
    let mut expected = msg.to_vec();
    let tag = theirs
        .encrypt_inout_detached(&nonce, aad, expected.as_mut_slice().into())
        .unwrap();
    expected.extend_from_slice(&tag);
    let sealed = seal(&key, case.nonce(), aad, msg).unwrap();
    assert_eq!(sealed, expected);
    assert_eq!(open(&key, case.nonce(), aad, &sealed).as_deref(), Ok(msg));
    assert_eq!(
        open(&key, case.nonce(), aad, &tampered(&sealed, case)),
        Err(Error::AuthenticationFailed)
    );
    let mut bad_aad = aad.to_vec();
    bad_aad.push(0);
    assert_eq!(
        open(&key, case.nonce(), &bad_aad, &sealed),
        Err(Error::AuthenticationFailed)
    );
    let theirs_opened = msg.len().checked_sub(16).is_some_and(|split| {
        let (ciphertext, tag) = msg.split_at(split);
        let mut buffer = ciphertext.to_vec();
        let tag = cipher::Array::try_from(tag).unwrap();
        theirs
            .decrypt_inout_detached(&nonce, aad, buffer.as_mut_slice().into(), &tag)
            .is_ok()
    });
    assert_eq!(open(&key, case.nonce(), aad, msg).is_ok(), theirs_opened);
    sealed
}

/// GCM (RFC 8998 §3.1) against `aes_gcm::AesGcm<Sm4, U12>`, and the detached forms: the same
/// ciphertext and tag, and a tampered message zeroed on refusal.
fn gcm(case: &Case<'_>) {
    let theirs = aes_gcm::AesGcm::<::sm4::Sm4, U12>::new(&case.key.into());
    let sealed = aead(case, &theirs, sm4::gcm_seal, sm4::gcm_open);
    let key = case.ours();
    let (aad, msg) = case.aad_and_message();
    let mut detached = msg.to_vec();
    let tag = sm4::gcm_seal_in_place_detached(&key, case.nonce(), aad, &mut detached).unwrap();
    assert_eq!((&detached[..], &tag[..]), sealed.split_at(msg.len()));
    let bad = tampered(&sealed, case);
    let (ciphertext, tag) = bad.split_at(msg.len());
    let mut in_out = ciphertext.to_vec();
    let tag: [u8; 16] = tag.try_into().unwrap();
    assert_eq!(
        sm4::gcm_open_in_place_detached(&key, case.nonce(), aad, &mut in_out, &tag),
        Err(Error::AuthenticationFailed)
    );
    assert!(in_out.iter().all(|&b| b == 0));
}

/// CCM (RFC 8998 §3.2, RFC 3610) against `ccm::Ccm<Sm4, U16, U12>`, and 4- and 8-byte tags
/// through the detached forms.
fn ccm(case: &Case<'_>) {
    let theirs = ccm::Ccm::<::sm4::Sm4, U16, U12>::new(&case.key.into());
    aead(case, &theirs, sm4::ccm_seal, sm4::ccm_open);
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
