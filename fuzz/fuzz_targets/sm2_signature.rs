//! libFuzzer entry for `smtrust_fuzz::sm2::sm2_signature` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run sm2_signature fuzz/seeds/sm2_signature`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::sm2::sm2_signature(data));
