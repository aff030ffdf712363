//! libFuzzer entry for `smtrust_fuzz::records::realname_record` (body and contract in fuzz/targets/).
//! Run with `cargo +nightly fuzz run realname_record fuzz/seeds/realname_record`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtrust_fuzz::records::realname_record(data));
