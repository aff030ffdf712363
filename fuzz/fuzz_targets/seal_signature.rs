//! Seal-signature (SES_Signature) parsing and verification must return, never panic, for any
//! input. Run with `cargo +nightly fuzz run seal_signature fuzz/seeds/seal_signature`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtrust::seal::{SealSignature, VerifyOptions, verify_der};

fuzz_target!(|data: &[u8]| {
    if let Ok(signature) = SealSignature::from_der(data) {
        assert_eq!(signature.der(), data);
        let _ = (signature.signing_time(), signature.warnings());
        let _ = signature.verify(Some(b"document"), &VerifyOptions::new());
    }
    // The entry point the CLI uses: a seal signature, else a seal, else a failed structure line.
    let report = verify_der(data, None, &VerifyOptions::new());
    let _ = report.to_json();
});
