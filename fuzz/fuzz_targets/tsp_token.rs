//! libFuzzer entry for `smtrust_fuzz::tsp::tsp_token` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run tsp_token fuzz/seeds/tsp_token`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::tsp::tsp_token(data));
