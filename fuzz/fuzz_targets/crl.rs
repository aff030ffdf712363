//! CRL parsing: DER and PEM entry points must return, never panic, for any input.
//! Run with `cargo +nightly fuzz run crl fuzz/seeds/crl`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtrust::pki::Crl;

fuzz_target!(|data: &[u8]| {
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
});
