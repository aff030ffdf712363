//! Real-name signed verification records (`smtrust::realname::SignedRecord`): parse and
//! verify, with the attached certificate's key and with a pinned key.

use smtrust::realname::{SignedRecord, VerifyOptions};

use super::fixed;

/// `SignedRecord::from_der`, then `verify` with the attached certificate's key and with the
/// `leaf-good` key pinned; both must agree whenever the attached certificate is `leaf-good`.
pub fn realname_record(data: &[u8]) {
    let Ok(signed) = SignedRecord::from_der(data) else {
        return;
    };
    assert_eq!(signed.as_der(), data);
    let pinned = smtrust::pki::Certificate::from_der(fixed::LEAF_GOOD_CERTIFICATE)
        .unwrap()
        .sm2_public_key()
        .unwrap();
    let attached = signed.verify(&VerifyOptions::new());
    let with_pin = signed.verify(&VerifyOptions::new().with_pinned_key(pinned));
    if signed.certificate_der() == fixed::LEAF_GOOD_CERTIFICATE {
        assert_eq!(attached.is_ok(), with_pin.is_ok());
    } else {
        assert!(with_pin.is_err() || attached.is_ok());
    }
    if let Ok(verified) = with_pin {
        let _ = (verified.record(), verified.signer_public_key());
        let _ = verified.record().to_json();
    }
}
