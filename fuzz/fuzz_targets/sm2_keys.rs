//! libFuzzer entry for `smtrust_fuzz::sm2::sm2_keys` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run sm2_keys fuzz/seeds/sm2_keys`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::sm2::sm2_keys(data));
