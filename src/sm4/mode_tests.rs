//! SM4's own modes on every core, forced one at a time, against the RustCrypto mode crates
//! over the `sm4` crate: streaming in random pieces (every partial-block state of CTR, CFB and
//! OFB), every CCM tag length and associated-data length encoding, GCM's 32-bit counter, and
//! the failures. `path_tests` covers the one-shot functions for every length 0..=4096.

use aes_gcm::AeadInOut;
use cipher::{
    Array, KeyInit, KeyIvInit, StreamCipher,
    array::ArraySize,
    consts::{U4, U6, U8, U10, U12, U14, U16},
};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

use super::cipher::Core;
use super::keystream::Increment;
use super::{Error, Key, Nonce};

fn random_vec(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rng.fill_bytes(&mut bytes);
    bytes
}

fn random_block(rng: &mut ChaCha20Rng) -> [u8; 16] {
    random_vec(rng, 16).try_into().unwrap()
}

/// Cuts `len` into random pieces of 0 to 40 bytes.
fn random_pieces(rng: &mut ChaCha20Rng, len: usize) -> Vec<usize> {
    let mut pieces = Vec::new();
    let mut left = len;
    while left > 0 {
        let piece = usize::try_from(rng.next_u32() % 41).unwrap().min(left);
        pieces.push(piece);
        left -= piece;
    }
    pieces
}

/// Applies `f` to `data` piece by piece.
fn in_pieces(data: &mut [u8], pieces: &[usize], mut f: impl FnMut(&mut [u8])) {
    let mut rest = data;
    for &piece in pieces {
        let (head, tail) = rest.split_at_mut(piece);
        f(head);
        rest = tail;
    }
}

/// GB/T 17964-2021 §7–§9: CTR, CFB128 and OFB fed in random pieces equal the crates' output.
#[test]
fn gbt17964_stream_modes_in_random_pieces_match_the_mode_crates_on_every_core() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5344_0101);
    for core in Core::available() {
        for round in 0..40 {
            let key_bytes = random_block(&mut rng);
            let key = Key::with_core(key_bytes, core);
            let iv = random_block(&mut rng);
            let len = 16 * round + usize::try_from(rng.next_u32() % 16).unwrap();
            let message = random_vec(&mut rng, len);
            let pieces = random_pieces(&mut rng, len);
            let (k, v) = (Array::from(key_bytes), Array::from(iv));

            let mut expected = message.clone();
            ctr::Ctr128BE::<::sm4::Sm4>::new(&k, &v).apply_keystream(&mut expected);
            let mut ours = message.clone();
            let mut stream = super::Ctr::new(&key, &iv);
            in_pieces(&mut ours, &pieces, |p| stream.apply_keystream(p));
            assert_eq!(ours, expected, "CTR {core:?} {pieces:?}");

            let mut expected = message.clone();
            ofb::Ofb::<::sm4::Sm4>::new(&k, &v).apply_keystream(&mut expected);
            let mut ours = message.clone();
            let mut stream = super::Ofb::new(&key, &iv);
            in_pieces(&mut ours, &pieces, |p| stream.apply_keystream(p));
            assert_eq!(ours, expected, "OFB {core:?} {pieces:?}");

            let mut expected = message.clone();
            cfb_mode::BufEncryptor::<::sm4::Sm4>::new(&k, &v).encrypt(&mut expected);
            let mut ours = message.clone();
            let mut encryptor = super::CfbEncryptor::new(&key, &iv);
            in_pieces(&mut ours, &pieces, |p| encryptor.encrypt(p));
            assert_eq!(ours, expected, "CFB encryption {core:?} {pieces:?}");
            let mut decryptor = super::CfbDecryptor::new(&key, &iv);
            in_pieces(&mut ours, &pieces, |p| decryptor.decrypt(p));
            assert_eq!(ours, message, "CFB decryption {core:?} {pieces:?}");
        }
    }
}

/// The `ccm` crate at one tag length: (ciphertext, tag).
type ReferenceCcm = fn([u8; 16], [u8; 12], &[u8], &[u8]) -> (Vec<u8>, Vec<u8>);

fn reference_ccm<M: ArraySize + ccm::TagSize>(
    key: [u8; 16],
    nonce: [u8; 12],
    aad: &[u8],
    message: &[u8],
) -> (Vec<u8>, Vec<u8>) {
    let mut ciphertext = message.to_vec();
    let tag = ccm::Ccm::<::sm4::Sm4, M, U12>::new(&Array::from(key))
        .encrypt_inout_detached(&Array::from(nonce), aad, ciphertext.as_mut_slice().into())
        .unwrap();
    (ciphertext, tag.to_vec())
}

/// NIST SP 800-38C §A.1: every tag length 4, 6, …, 16 matches the `ccm` crate, opens, and
/// refuses a flipped tag bit with the one error, zeroing the buffer.
#[test]
fn sp800_38c_a1_every_tag_length_matches_the_ccm_crate_on_every_core() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5344_0102);
    let reference: [ReferenceCcm; 7] = [
        reference_ccm::<U4>,
        reference_ccm::<U6>,
        reference_ccm::<U8>,
        reference_ccm::<U10>,
        reference_ccm::<U12>,
        reference_ccm::<U14>,
        reference_ccm::<U16>,
    ];
    for core in Core::available() {
        for (tag_len, reference) in (4..=16).step_by(2).zip(reference) {
            let key_bytes = random_block(&mut rng);
            let key = Key::with_core(key_bytes, core);
            let nonce: [u8; 12] = random_vec(&mut rng, 12).try_into().unwrap();
            let len = usize::try_from(rng.next_u32() % 200).unwrap();
            let aad = random_vec(&mut rng, len % 33);
            let message = random_vec(&mut rng, len);
            let (expected, expected_tag) = reference(key_bytes, nonce, &aad, &message);

            let mut buffer = message.clone();
            let mut tag = vec![0; tag_len];
            let n = || Nonce::assume_unique_for_key(nonce);
            super::ccm_seal_in_place_detached(&key, n(), &aad, &mut buffer, &mut tag).unwrap();
            assert_eq!(
                (&buffer, &tag),
                (&expected, &expected_tag),
                "{core:?} {tag_len}"
            );
            let mut opened = buffer.clone();
            super::ccm_open_in_place_detached(&key, n(), &aad, &mut opened, &tag).unwrap();
            assert_eq!(opened, message);

            tag[tag_len - 1] ^= 0x80;
            let got = super::ccm_open_in_place_detached(&key, n(), &aad, &mut buffer, &tag);
            assert_eq!(got, Err(Error::AuthenticationFailed), "{core:?} {tag_len}");
            assert!(buffer.iter().all(|b| *b == 0));
        }
    }
}

/// NIST SP 800-38C §A.2.2: associated data of 2^16 − 2^8 − 1 bytes has a 2-byte length, of
/// 2^16 − 2^8 bytes the 0xfffe form; both match the crate.
#[test]
fn sp800_38c_a2_2_both_sides_of_the_aad_length_encoding_boundary() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5344_0103);
    let key_bytes = random_block(&mut rng);
    let nonce: [u8; 12] = random_vec(&mut rng, 12).try_into().unwrap();
    let message = random_vec(&mut rng, 37);
    for aad_len in [0xfeff, 0xff00] {
        let aad = random_vec(&mut rng, aad_len);
        let (mut expected, tag) = reference_ccm::<U16>(key_bytes, nonce, &aad, &message);
        expected.extend_from_slice(&tag);
        for core in Core::available() {
            let key = Key::with_core(key_bytes, core);
            let sealed = super::ccm_seal(&key, Nonce::assume_unique_for_key(nonce), &aad, &message);
            assert_eq!(sealed.unwrap(), expected, "{core:?} aad {aad_len}");
        }
    }
}

/// NIST SP 800-38D §7.1: GCM with associated data longer than a keystream batch and messages
/// of every tail length matches `aes-gcm`; a flipped bit in the associated data, ciphertext or
/// tag gives the one error and a zeroed buffer.
#[test]
fn sp800_38d_7_gcm_matches_aes_gcm_and_refuses_every_tampering_on_every_core() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5344_0104);
    for core in Core::available() {
        for len in [0, 1, 15, 16, 17, 1008, 1009, 1024, 1040] {
            let key_bytes = random_block(&mut rng);
            let key = Key::with_core(key_bytes, core);
            let nonce: [u8; 12] = random_vec(&mut rng, 12).try_into().unwrap();
            let aad = random_vec(&mut rng, 1100 + len % 7);
            let message = random_vec(&mut rng, len);
            let mut expected = message.clone();
            let tag = aes_gcm::AesGcm::<::sm4::Sm4, U12>::new(&Array::from(key_bytes))
                .encrypt_inout_detached(&Array::from(nonce), &aad, expected.as_mut_slice().into())
                .unwrap();
            let n = || Nonce::assume_unique_for_key(nonce);
            let mut buffer = message.clone();
            let ours = super::gcm_seal_in_place_detached(&key, n(), &aad, &mut buffer).unwrap();
            assert_eq!(
                (&buffer, &ours[..]),
                (&expected, &tag[..]),
                "{core:?} {len}"
            );

            let mut bad_aad = aad.clone();
            bad_aad[len % aad.len()] ^= 1;
            let mut bad_tag = ours;
            bad_tag[len % 16] ^= 1;
            let mut tamperings = vec![
                (&bad_aad, buffer.clone(), &ours),
                (&aad, buffer.clone(), &bad_tag),
            ];
            let mut bad_ciphertext = buffer.clone();
            if let Some(byte) = bad_ciphertext.last_mut() {
                *byte ^= 1;
                // An empty message has no ciphertext bit to flip.
                tamperings.push((&aad, bad_ciphertext, &ours));
            }
            for (aad, ciphertext, tag) in tamperings {
                let mut opened = ciphertext.clone();
                let got = super::gcm_open_in_place_detached(&key, n(), aad, &mut opened, tag);
                assert_eq!(got, Err(Error::AuthenticationFailed), "{core:?} {len}");
                assert!(opened.iter().all(|b| *b == 0));
            }
        }
    }
}

/// NIST SP 800-38D §6.2: inc32 steps only the last 32 bits, wrapping them without a carry;
/// CTR's counter carries through all 128 bits.
#[test]
fn sp800_38d_6_2_inc32_wraps_the_low_32_bits_only() {
    let counter = 0x0123_4567_89ab_cdef_0011_2233_ffff_ffff_u128;
    assert_eq!(
        Increment::Low32.next(counter),
        0x0123_4567_89ab_cdef_0011_2233_0000_0000
    );
    assert_eq!(
        Increment::Whole.next(counter),
        0x0123_4567_89ab_cdef_0011_2234_0000_0000
    );
    assert_eq!(Increment::Whole.next(u128::MAX), 0);
}
