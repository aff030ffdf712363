//! libFuzzer entry for `smtrust_fuzz::sm4::sm4_differential` (body and contract in
//! fuzz/targets/). Run with `cargo +nightly fuzz run sm4_differential fuzz/seeds/sm4_differential`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::sm4::sm4_differential(data));
