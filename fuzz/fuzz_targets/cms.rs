//! libFuzzer entry for `smtrust_fuzz::pki::cms` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run cms fuzz/seeds/cms`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::pki::cms(data));
