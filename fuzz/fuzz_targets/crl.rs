//! libFuzzer entry for `smtrust_fuzz::pki::crl` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run crl fuzz/seeds/crl`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::pki::crl(data));
