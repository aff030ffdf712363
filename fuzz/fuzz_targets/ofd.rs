//! libFuzzer entry for `smtrust_fuzz::ofd::ofd` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run ofd fuzz/seeds/ofd`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::ofd::ofd(data));
