//! libFuzzer entry for `smtrust_fuzz::trace::trace_bundle` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run trace_bundle fuzz/seeds/trace_bundle`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::trace::trace_bundle(data));
