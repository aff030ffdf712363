//! The OFD package target.

use smtrust::ofd::{Limits, Package, VerifyOptions};

const SAMPLE: &[u8] = include_bytes!("../../test-vectors/seals/ofdrw_SESV4SignDoc.ofd");
const PARTS: [&str; 5] = [
    "OFD.xml",
    "Doc_0/Signs/Signatures.xml",
    "Doc_0/Signs/Sign_0/Signature.xml",
    "Doc_0/Signs/Sign_0/SignedValue.dat",
    "Doc_0/Signs/Sign_0/Seal.esl",
];

/// OFD package reading and verification must return, never panic, for any input.
///
/// The input is read two ways: as a whole package (a zip), and, because the zip's CRCs would
/// hide most mutations of the XML inside, as one part of a signed sample package: the first
/// byte picks the part (OFD.xml, Signatures.xml, Signature.xml, SignedValue.dat, Seal.esl)
/// and the rest replaces it.
pub fn ofd(data: &[u8]) {
    if let Ok(package) = Package::from_bytes(data) {
        let _ = package
            .verify(&VerifyOptions::new())
            .map(|report| report.to_json());
    }
    let Some((&selector, replacement)) = data.split_first() else {
        return;
    };
    let Some(target) = PARTS.get(usize::from(selector) % PARTS.len()) else {
        return;
    };
    let Ok(sample) = Package::from_bytes(SAMPLE) else {
        return;
    };
    let parts = sample.parts().map(|(name, bytes)| {
        let bytes = if name == *target { replacement } else { bytes };
        (name.to_owned(), bytes.to_vec())
    });
    if let Ok(package) = Package::from_parts(parts, &Limits::default()) {
        let _ = package
            .verify(&VerifyOptions::new())
            .map(|report| report.to_json());
    }
}
