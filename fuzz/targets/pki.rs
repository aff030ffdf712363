//! Certificates, CRLs and CMS SignedData: every DER and PEM entry point returns, never
//! panics, and a parsed object keeps its exact bytes.

use smtrust::pki::{Certificate, CmsVerifyOptions, Crl, SignedData};

/// `Certificate::from_der` / `from_pem` and every accessor of a parsed certificate.
pub fn certificate(data: &[u8]) {
    if let Ok(cert) = Certificate::from_der(data) {
        assert_eq!(cert.der(), data);
        let _ = (
            cert.subject(),
            cert.issuer(),
            cert.serial_hex(),
            cert.key_usage(),
        );
        let _ = (cert.not_before(), cert.not_after(), cert.sm2_public_key());
        let _ = cert.unknown_critical_extensions();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Certificate::from_pem(text);
    }
}

/// `Crl::from_der` / `from_pem` and the accessors of a parsed CRL.
pub fn crl(data: &[u8]) {
    if let Ok(crl) = Crl::from_der(data) {
        assert_eq!(crl.der(), data);
        let _ = (
            crl.issuer(),
            crl.this_update(),
            crl.next_update(),
            crl.len(),
        );
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Crl::from_pem(text);
    }
}

/// `SignedData::from_der` and `verify`, attached and detached.
pub fn cms(data: &[u8]) {
    if let Ok(signed) = SignedData::from_der(data) {
        assert_eq!(signed.der(), data);
        let _ = (signed.content_type(), signed.certificates().len());
        let _ = signed.verify(None, &CmsVerifyOptions::new());
        let _ = signed.verify(Some(b"detached"), &CmsVerifyOptions::new());
    }
}
