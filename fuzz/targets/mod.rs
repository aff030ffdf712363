//! The bodies of every fuzz target, shared by the libFuzzer binaries (fuzz/fuzz_targets/,
//! nightly, `cargo +nightly fuzz run NAME`) and the stable replay test (tests/fuzz_replay.rs),
//! which runs every file of fuzz/seeds/NAME/ and fuzz/regressions/NAME/ through the same
//! function. A target returns normally for any input; a panic or failed assertion is a bug.

#[cfg(feature = "ffi")]
pub mod ffi;
pub mod fixed;
pub mod ofd;
pub mod pki;
pub mod records;
pub mod seal;
pub mod sm2;
pub mod sm4;
pub mod trace;
pub mod tsp;

/// A target: its name (the directory name under fuzz/seeds and fuzz/regressions, and the
/// binary name) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target.
pub const TARGETS: &[Target] = &[
    ("certificate", pki::certificate),
    ("crl", pki::crl),
    ("cms", pki::cms),
    ("sm2_keys", sm2::sm2_keys),
    ("sm2_key_encrypted", sm2::sm2_key_encrypted),
    ("sm2_signature", sm2::sm2_signature),
    ("sm2_sign_roundtrip", sm2::sm2_sign_roundtrip),
    ("sm2_ciphertext", sm2::sm2_ciphertext),
    ("sm2_encrypt_differential", sm2::sm2_encrypt_differential),
    ("sm4_differential", sm4::sm4_differential),
    ("realname_record", records::realname_record),
    ("trace_checkpoint", trace::trace_checkpoint),
    ("trace_bundle", trace::trace_bundle),
    ("seal", seal::seal),
    ("seal_signature", seal::seal_signature),
    ("ofd", ofd::ofd),
    ("tsp_token", tsp::tsp_token),
    #[cfg(feature = "ffi")]
    ("ffi", ffi::ffi),
];
