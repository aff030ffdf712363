//! libFuzzer entry for `smtrust_fuzz::sm2::sm2_key_encrypted` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run sm2_key_encrypted fuzz/seeds/sm2_key_encrypted`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::sm2::sm2_key_encrypted(data));
