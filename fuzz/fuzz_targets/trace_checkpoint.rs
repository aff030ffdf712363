//! libFuzzer entry for `smtrust_fuzz::trace::trace_checkpoint` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run trace_checkpoint fuzz/seeds/trace_checkpoint`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::trace::trace_checkpoint(data));
