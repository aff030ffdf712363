//! libFuzzer entry for `smtrust_fuzz::ffi::ffi` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run ffi fuzz/seeds/ffi`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::ffi::ffi(data));
