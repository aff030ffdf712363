//! libFuzzer entry for `smtrust_fuzz::seal::seal_signature` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run seal_signature fuzz/seeds/seal_signature`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::seal::seal_signature(data));
