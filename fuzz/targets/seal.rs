//! Seal and seal-signature targets (GB/T 38540 v4, GM/T 0031 v1/v5).

use smtrust::seal::{Seal, SealSignature, VerifyOptions, verify_der};

/// Seal parsing and verification (GB/T 38540 v4, GM/T 0031 v1/v5) must return, never panic,
/// for any input.
pub fn seal(data: &[u8]) {
    if let Ok(seal) = Seal::from_der(data) {
        // A parsed seal keeps its exact bytes; the signed part is a slice of them (v4/v5) or
        // built from them (v1).
        assert_eq!(seal.der(), data);
        let _ = (seal.picture().format(), seal.picture().sniffed_format());
        let report = seal.verify(&VerifyOptions::new());
        let _ = (report.verdict(), report.to_json());
    }
}

/// Seal-signature (SES_Signature) parsing and verification must return, never panic, for any
/// input.
pub fn seal_signature(data: &[u8]) {
    if let Ok(signature) = SealSignature::from_der(data) {
        assert_eq!(signature.der(), data);
        let _ = (signature.signing_time(), signature.warnings());
        let _ = signature.verify(Some(b"document"), &VerifyOptions::new());
    }
    // The entry point the CLI uses: a seal signature, else a seal, else a failed structure line.
    let report = verify_der(data, None, &VerifyOptions::new());
    let _ = report.to_json();
}
