//! libFuzzer entry for `smtrust_fuzz::seal::seal` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run seal fuzz/seeds/seal`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::seal::seal(data));
