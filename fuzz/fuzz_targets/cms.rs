//! CMS SignedData parsing and verification must return, never panic, for any input.
//! Run with `cargo +nightly fuzz run cms fuzz/seeds/cms`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtrust::pki::{CmsVerifyOptions, SignedData};

fuzz_target!(|data: &[u8]| {
    if let Ok(signed) = SignedData::from_der(data) {
        assert_eq!(signed.der(), data);
        let _ = (signed.content_type(), signed.certificates().len());
        let _ = signed.verify(None, &CmsVerifyOptions::new());
        let _ = signed.verify(Some(b"detached"), &CmsVerifyOptions::new());
    }
});
