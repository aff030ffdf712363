//! Certificates inside real seals and seal signatures (test-vectors/seals, SEAL-SPEC §5): every
//! X.509 certificate embedded in them parses with `pki::Certificate` — NULL parameters (D1),
//! UTF-8 in IA5String (D2), Chinese names, long serials — and carries an SM2 key.
//!
//! The certificates are found by scanning for `30 82 LL LL` DER headers rather than by parsing
//! the seal formats (that is the seals module's job). The expected counts are what
//! `openssl x509 -inform DER` accepted at the same offsets (OpenSSL 3.0.19).

use smtrust::pki::Certificate;

/// (file, certificates OpenSSL finds at `30 82` offsets)
const SAMPLES: [(&str, usize); 16] = [
    ("ofdrw_SESealData.DER", 3),
    ("ofdrw_SignedValueV4.dat", 3),
    ("ofdrw_SignedValueV5.dat", 3),
    ("ofdrw_UserV1.esl", 2),
    ("ofdrw_UserV4.esl", 2),
    ("ofdrw_UserV5.esl", 2),
    ("ofdrw_UserV5_ts.esl", 2),
    ("ofdsharp_Seal.esl", 2),
    ("ofdsharp_SignedValue.dat", 3),
    ("x_SignScaleError_SignedValue.dat", 3),
    ("x_keyword_Sign1_Seal.esl", 2),
    ("x_keyword_Sign1_SignedValue.dat", 3),
    ("x_n_Seal.esl", 1),
    ("x_n_SignedValue.dat", 2),
    ("x_signedFile_SignedValue.dat", 3),
    ("x_v4signed_SignedValue.dat", 3),
];

/// Every DER SEQUENCE with a two-byte length of at least 300 bytes that parses as a certificate.
fn embedded_certificates(bytes: &[u8]) -> Vec<Certificate> {
    let mut found = Vec::new();
    for start in 0..bytes.len().saturating_sub(4) {
        if bytes[start] != 0x30 || bytes[start + 1] != 0x82 {
            continue;
        }
        let len = usize::from(bytes[start + 2]) << 8 | usize::from(bytes[start + 3]);
        let Some(blob) = bytes.get(start..start + 4 + len) else {
            continue;
        };
        if len >= 300
            && let Ok(certificate) = Certificate::from_der(blob)
        {
            found.push(certificate);
        }
    }
    found
}

#[test]
fn every_certificate_in_the_real_seal_samples_parses() {
    let mut total = 0;
    for (file, expected) in SAMPLES {
        let path = format!("{}/test-vectors/seals/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        let certificates = embedded_certificates(&bytes);
        assert_eq!(certificates.len(), expected, "{file}");
        for certificate in &certificates {
            assert!(
                certificate.sm2_public_key().is_ok(),
                "{file}: {} has no SM2 key",
                certificate.subject()
            );
        }
        total += certificates.len();
    }
    println!("certificates parsed from real seal samples: {total}");
    assert_eq!(total, 39);
}
