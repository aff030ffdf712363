//! Seal parsing and verification (GB/T 38540 v4, GM/T 0031 v1/v5) must return, never panic,
//! for any input. Run with `cargo +nightly fuzz run seal fuzz/seeds/seal`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtrust::seal::{Seal, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(seal) = Seal::from_der(data) {
        // A parsed seal keeps its exact bytes; the signed part is a slice of them (v4/v5) or
        // built from them (v1).
        assert_eq!(seal.der(), data);
        let _ = (seal.picture().format(), seal.picture().sniffed_format());
        let report = seal.verify(&VerifyOptions::new());
        let _ = (report.verdict(), report.to_json());
    }
});
