//! `Type="Seal"` signatures: the SignedValue is a seal signature (`SES_Signature`, GB/T 38540
//! v4, GM/T 0031 v1 or v5) whose original document is the whole Signature.xml (SEAL-SPEC §7).

use super::VerifyOptions;
use crate::pki::Certificate;
use crate::seal::{Check, CheckName, Deviation, Report, SealSignature, Warning};
use crate::sm2::PublicKey;

/// Verifies the seal signature `signed_value` of the Signature.xml at package path `part`
/// (bytes `xml`) with the seal module — the seal and its maker, the signer, `dataHash`
/// against SM3(Signature.xml) (or SM3(Z ‖ Signature.xml), D14), the chains, the timestamp —
/// and compares the seal copy Signature.xml names (`Seal/BaseLoc`), if any, with the seal
/// inside the signature. Returns the signer's key when the signature parses.
pub(crate) fn verify_seal(
    part: &str,
    xml: &[u8],
    signed_value: &[u8],
    seal_copy: Option<&[u8]>,
    options: &VerifyOptions,
    report: &mut Report,
) -> Option<PublicKey> {
    let signature = match SealSignature::from_der(signed_value) {
        Ok(signature) => signature,
        Err(error) => {
            report.push_check(Check::fail(
                CheckName::Structure,
                format!("the SignedValue is not a seal signature: {error}"),
            ));
            return None;
        }
    };
    report.extend(signature.verify(Some(xml), &seal_options(options)));
    let property_info = signature.property_info();
    if property_info.trim_start_matches('/') != part {
        report.push_warning(Warning::new(
            Deviation::PropertyInfo,
            format!(
                "propertyInfo is \"{property_info}\", not the path of this Signature.xml (/{part})"
            ),
        ));
    }
    if let Some(copy) = seal_copy
        && copy != signature.seal().der()
    {
        report.push_check(Check::fail(
            CheckName::Structure,
            "the seal copy Signature.xml names (Seal/BaseLoc) differs from the seal inside the signature, so a viewer may show a seal that was not signed",
        ));
    }
    Certificate::from_der(signature.signer_certificate())
        .ok()?
        .sm2_public_key()
        .ok()
}

/// The same trust anchors, intermediates, time and legacy-root choice for the seal module.
fn seal_options(options: &VerifyOptions) -> crate::seal::VerifyOptions {
    let mut seal = crate::seal::VerifyOptions::new()
        .trust_anchors(options.anchors().to_vec())
        .intermediates(options.given_intermediates().to_vec());
    if let Some(at) = options.time() {
        seal = seal.at(at);
    }
    if options.legacy_root() {
        seal = seal.accept_root_without_key_cert_sign_for_legacy_use_only();
    }
    seal
}
