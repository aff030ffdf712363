//! libFuzzer entry for `smtrust_fuzz::sm2::sm2_encrypt_differential` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run sm2_encrypt_differential fuzz/seeds/sm2_encrypt_differential`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::sm2::sm2_encrypt_differential(data));
