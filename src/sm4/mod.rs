//! The SM4 block cipher (GB/T 32907-2016, ISO/IEC 18033-3:2010/Amd 1:2021) and its modes of
//! operation.
//!
//! | mode | standard | functions |
//! | --- | --- | --- |
//! | ECB | GB/T 17964-2021 §5, NIST SP 800-38A §6.1 | [`ecb_encrypt`], [`ecb_decrypt`], [`ecb_encrypt_blocks`], [`ecb_decrypt_blocks`], [`EcbEncryptor`], [`EcbDecryptor`] |
//! | CBC | GB/T 17964-2021 §6, NIST SP 800-38A §6.2 | [`cbc_encrypt`], [`cbc_decrypt`], [`CbcEncryptor`], [`CbcDecryptor`] |
//! | CFB128 | GB/T 17964-2021 §7, NIST SP 800-38A §6.3 | [`cfb_encrypt`], [`cfb_decrypt`], [`CfbEncryptor`], [`CfbDecryptor`] |
//! | OFB | GB/T 17964-2021 §8, NIST SP 800-38A §6.4 | [`ofb_encrypt`], [`ofb_decrypt`], [`Ofb`] |
//! | CTR (128-bit counter) | GB/T 17964-2021 §9, NIST SP 800-38A §6.5 | [`ctr_encrypt`], [`ctr_decrypt`], [`Ctr`] |
//! | GCM | GB/T 36624-2018 §8, NIST SP 800-38D, RFC 8998 §3.1 | [`gcm_seal`], [`gcm_open`] and the `_in_place_detached` forms |
//! | CCM | GB/T 36624-2018 §7, NIST SP 800-38C, RFC 3610, RFC 8998 §3.2 | [`ccm_seal`], [`ccm_open`] and the `_in_place_detached` forms |
//!
//! ECB and CBC pad with PKCS#7 (RFC 5652 §6.3) or not at all ([`Padding`]); unpadding checks
//! every pad byte without secret-dependent branches and fails with the single
//! [`Error::BadPadding`]. GCM and CCM take a 12-byte [`Nonce`] that each call consumes, give a
//! 16-byte tag, and fail with the single [`Error::AuthenticationFailed`], zeroing any output
//! buffer. ECB, CBC and the stream modes work one-shot or on successive buffers of any length,
//! so large files can be processed in chunks.
//!
//! Everything works on byte slices and a [`Key`]. The cipher underneath is this module's own
//! and constant-time, with the fastest core the CPU has chosen at run time: on x86-64 with
//! GFNI the S-box is two Galois-field affine instructions, 16 blocks a register with AVX-512
//! or 8 with AVX2; with AES-NI it is `AESENCLAST`, the state kept on the AES side of the
//! S-box's input map and the linear layer with the output map folded in done by in-register
//! `PSHUFB` nibble tables, 4 or 8 blocks a register (VAES with AVX2); elsewhere a Boolean
//! circuit on bit planes computes it. No table is ever indexed by key or data.
//!
//! The modes are this module's own too: the parallel ones (ECB, CTR, GCM, CCM's encryption,
//! CBC and CFB decryption) hand the core whole runs of blocks, and GCM hashes with this
//! module's own GHASH (`PCLMULQDQ`, four blocks per reduction, chosen at run time; the
//! `ghash` crate elsewhere) under the powers of the hash key each [`Key`] computes once.
//!
//! ```
//! use smtrust::sm4::{self, Nonce, Padding};
//!
//! // RFC 8998 Appendix A.1: SM4-GCM.
//! let key = sm4::Key::from_slice(&hex::decode("0123456789abcdeffedcba9876543210")?)?;
//! let nonce = Nonce::try_assume_unique_for_key(&hex::decode("00001234567800000000abcd")?)?;
//! let aad = hex::decode("feedfacedeadbeeffeedfacedeadbeefabaddad2")?;
//! let plaintext = hex::decode(
//!     "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd\
//!      eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa",
//! )?;
//! let sealed = sm4::gcm_seal(&key, nonce, &aad, &plaintext)?;
//! assert_eq!(hex::encode(&sealed[plaintext.len()..]), "83de3541e4c2b58177e065a9bf7b62ec");
//!
//! // CBC with PKCS#7 padding, and the one error a bad pad gives.
//! let iv = [0x5a; 16];
//! let mut ciphertext = sm4::cbc_encrypt(&key, &iv, Padding::Pkcs7, b"registration form")?;
//! assert_eq!(ciphertext.len(), 32);
//! ciphertext[31] ^= 0x01; // Garbles the last plaintext block, padding included.
//! assert_eq!(
//!     sm4::cbc_decrypt(&key, &iv, Padding::Pkcs7, &ciphertext),
//!     Err(sm4::Error::BadPadding)
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(target_arch = "x86_64")]
mod aes_domain;
mod block_stream;
mod cbc;
mod ccm;
mod cfb;
mod cipher;
#[cfg(target_arch = "x86_64")]
mod clmul;
mod ctr;
mod ecb;
mod error;
mod gcm;
#[cfg(target_arch = "x86_64")]
mod gfni_domain;
mod hash_key;
mod key;
mod keystream;
#[cfg(test)]
mod mode_tests;
mod nonce;
mod ofb;
mod padding;
#[cfg(test)]
mod path_tests;
mod portable;
mod round;
#[cfg(test)]
mod timing_tests;
#[cfg(target_arch = "x86_64")]
mod x86;
#[cfg(target_arch = "x86_64")]
mod x86_gfni;

pub use self::cbc::{CbcDecryptor, CbcEncryptor, cbc_decrypt, cbc_encrypt};
pub use self::ccm::{ccm_open, ccm_open_in_place_detached, ccm_seal, ccm_seal_in_place_detached};
pub use self::cfb::{CfbDecryptor, CfbEncryptor, cfb_decrypt, cfb_encrypt};
pub use self::ctr::{Ctr, ctr_decrypt, ctr_encrypt};
pub use self::ecb::{
    EcbDecryptor, EcbEncryptor, ecb_decrypt, ecb_decrypt_blocks, ecb_encrypt, ecb_encrypt_blocks,
};
pub use self::error::Error;
pub use self::gcm::{gcm_open, gcm_open_in_place_detached, gcm_seal, gcm_seal_in_place_detached};
pub use self::key::Key;
pub use self::nonce::Nonce;
pub use self::ofb::{Ofb, ofb_decrypt, ofb_encrypt};
pub use self::padding::Padding;

/// Length in bytes of an SM4 block, which is also the IV length of CBC, CFB, OFB and CTR.
pub const BLOCK_LEN: usize = 16;

/// Length in bytes of an SM4 key.
pub const KEY_LEN: usize = 16;

/// Length in bytes of a GCM or CCM nonce (RFC 8998 §3.1, §3.2).
pub const NONCE_LEN: usize = 12;

/// Length in bytes of the GCM tag and of the default CCM tag.
pub const TAG_LEN: usize = 16;

/// Whether a length is above a mode's limit (a length that does not fit a `u64` is).
fn exceeds(len: usize, max: u64) -> bool {
    u64::try_from(len).map_or(true, |len| len > max)
}
