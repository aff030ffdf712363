//! Certificate parsing: DER and PEM entry points must return, never panic, for any input.
//! Run with `cargo +nightly fuzz run certificate fuzz/seeds/certificate`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtrust::pki::Certificate;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = Certificate::from_der(data) {
        // A parsed certificate keeps its exact bytes and answers every accessor.
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
});
