//! libFuzzer entry for `smtrust_fuzz::pki::certificate` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run certificate fuzz/seeds/certificate`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::pki::certificate(data));
