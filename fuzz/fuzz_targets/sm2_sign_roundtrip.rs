//! libFuzzer entry for `smtrust_fuzz::sm2::sm2_sign_roundtrip` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run sm2_sign_roundtrip fuzz/seeds/sm2_sign_roundtrip`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::sm2::sm2_sign_roundtrip(data));
