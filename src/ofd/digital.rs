//! `Type="Sign"` signatures: the SignedValue is a GB/T 35275 / GM/T 0010 CMS SignedData over
//! Signature.xml (SEAL-SPEC §7), or, from ofdrw 1.2, a bare SM2 signature over it.
//!
//! Two SignedData shapes are seen in real files: the content attached as the 32-byte
//! SM3(Signature.xml) with no signed attributes (oesplugin), and detached content with signed
//! attributes (gomain). Either way the signature binds Signature.xml, which binds every
//! referenced file through its digest.

use super::VerifyOptions;
use crate::pki::{
    Certificate, CmsError, CmsOids, CmsVerifyOptions, CmsWarning, SignedData, verify_path,
};
use crate::seal::{Check, CheckName, Deviation, Report, Warning};
use crate::sm2::{DistId, PublicKey, Signature, VerifyingKey};

/// Checks a `Type="Sign"` SignedValue over the Signature.xml bytes `xml`; adds `structure`,
/// `signature`, `data_hash` and `signer_chain` to `report` and returns the signer's key when
/// the signer is known.
pub(crate) fn verify_sign(
    xml: &[u8],
    signed_value: &[u8],
    options: &VerifyOptions,
    report: &mut Report,
) -> Option<PublicKey> {
    match SignedData::from_der(signed_value) {
        Ok(signed) => verify_signed_data(&signed, xml, options, report),
        Err(cms_error) => match bare_signature(signed_value) {
            Some(signature) => verify_bare(&signature, xml, options, report),
            None => {
                report.push_check(Check::fail(
                    CheckName::Structure,
                    format!(
                        "the SignedValue is neither a CMS SignedData ({cms_error}) nor an SM2 signature"
                    ),
                ));
                None
            }
        },
    }
}

fn verify_signed_data(
    signed: &SignedData,
    xml: &[u8],
    options: &VerifyOptions,
    report: &mut Report,
) -> Option<PublicKey> {
    let attached = signed.content();
    report.push_check(Check::pass(
        CheckName::Structure,
        format!(
            "a CMS SignedData ({} OIDs) with {} content and {} signer(s)",
            match signed.oids() {
                CmsOids::Pkcs7 => "PKCS#7",
                _ => "GM/T 0010",
            },
            if attached.is_some() {
                "attached"
            } else {
                "detached"
            },
            signed.signer_count()
        ),
    ));
    let xml_digest = crate::sm3::hash(xml);
    let detached = match attached {
        Some(content) if content == xml_digest.as_slice() => {
            report.push_check(Check::pass(
                CheckName::DataHash,
                "the signed content is SM3(Signature.xml)",
            ));
            None
        }
        Some(content) if content == xml => {
            report.push_check(Check::pass(
                CheckName::DataHash,
                "the signed content is Signature.xml itself",
            ));
            None
        }
        Some(content) => {
            report.push_check(Check::fail(
                CheckName::DataHash,
                format!(
                    "the signed content ({} bytes) is neither Signature.xml nor its SM3 digest {}",
                    content.len(),
                    hex::encode(xml_digest)
                ),
            ));
            None
        }
        None => Some(xml),
    };
    let verified = match signed.verify(detached, &CmsVerifyOptions::new()) {
        Ok(verified) => verified,
        Err(error) => {
            cms_failure(error, detached.is_some(), report);
            return None;
        }
    };
    if detached.is_some() {
        report.push_check(Check::pass(
            CheckName::DataHash,
            "the signed (detached) content is Signature.xml",
        ));
    }
    let signer = verified.signer();
    let mut notes = Vec::new();
    for warning in signer.warnings() {
        match warning {
            CmsWarning::RawSignature => report.push_warning(Warning::new(
                Deviation::RawSignature,
                "the SignedData's SM2 signature is raw 64-byte r‖s, not DER",
            )),
            CmsWarning::NoSignedAttributes => notes.push("no signed attributes".to_owned()),
            CmsWarning::DataOidsDiffer { content, attribute } => notes.push(format!(
                "content-type attribute {attribute} over eContentType {content}"
            )),
        }
    }
    let notes = match notes.is_empty() {
        true => String::new(),
        false => format!(" ({})", notes.join("; ")),
    };
    report.push_check(Check::pass(
        CheckName::Signature,
        format!(
            "the SM2 signature of {} verifies with ID 1234567812345678{notes}",
            signer.certificate().subject()
        ),
    ));
    let others: Vec<Certificate> = signed
        .certificates()
        .iter()
        .filter(|c| *c != signer.certificate())
        .chain(options.given_intermediates())
        .cloned()
        .collect();
    signer_chain(
        signer.certificate(),
        &others,
        signer.signing_time(),
        options,
        report,
    );
    signer.certificate().sm2_public_key().ok()
}

/// Maps a SignedData verification error onto the check it belongs to.
fn cms_failure(error: CmsError, detached: bool, report: &mut Report) {
    let not_checked = |why: &str| Check::not_checked(CheckName::SignerChain, why.to_owned());
    match error {
        CmsError::MessageDigestMismatch { .. } => {
            report.push_check(Check::fail(CheckName::DataHash, error.to_string()));
            report.push_check(Check::not_checked(
                CheckName::Signature,
                "not checked: the signed digest already differs from Signature.xml",
            ));
        }
        other => {
            if detached {
                report.push_check(Check::not_checked(
                    CheckName::DataHash,
                    "not known: the SignedData does not verify",
                ));
            }
            report.push_check(Check::fail(CheckName::Signature, other.to_string()));
        }
    }
    report.push_check(not_checked("not checked: the signature does not verify"));
}

/// A SignedValue that is a DER SM2 signature, or 64 raw bytes r‖s.
fn bare_signature(bytes: &[u8]) -> Option<Signature> {
    Signature::from_der(bytes).ok().or_else(|| {
        (bytes.len() == 64)
            .then(|| Signature::from_raw(bytes).ok())
            .flatten()
    })
}

/// ofdrw 1.2: an SM2 signature over Signature.xml, with no certificate; the caller's
/// certificates are tried.
fn verify_bare(
    signature: &Signature,
    xml: &[u8],
    options: &VerifyOptions,
    report: &mut Report,
) -> Option<PublicKey> {
    report.push_check(Check::pass(
        CheckName::Structure,
        "a bare SM2 signature over Signature.xml, without a certificate",
    ));
    report.push_warning(Warning::new(
        Deviation::OfdXmlVariation,
        "the Type=\"Sign\" SignedValue is a bare SM2 signature (as ofdrw 1.2 wrote), not a GB/T 35275 SignedData",
    ));
    let given = options.given_signer_certificates();
    if given.is_empty() {
        report.push_check(Check::not_checked(
            CheckName::Signature,
            "the SignedValue carries no certificate; give the signer's certificate to check it",
        ));
        report.push_check(Check::not_checked(
            CheckName::DataHash,
            "covered by the signature, which was not checked",
        ));
        report.push_check(Check::not_checked(
            CheckName::SignerChain,
            "no signer certificate",
        ));
        return None;
    }
    let found = given.iter().find_map(|certificate| {
        let key = certificate.sm2_public_key().ok()?;
        VerifyingKey::new(key, DistId::DEFAULT)
            .verify(xml, signature)
            .ok()
            .map(|()| (certificate, key))
    });
    let Some((certificate, key)) = found else {
        report.push_check(Check::fail(
            CheckName::Signature,
            format!(
                "the SM2 signature over Signature.xml verifies with none of the {} given certificate(s) (ID 1234567812345678)",
                given.len()
            ),
        ));
        report.push_check(Check::not_checked(
            CheckName::DataHash,
            "covered by the signature, which does not verify",
        ));
        report.push_check(Check::not_checked(
            CheckName::SignerChain,
            "not checked: the signature does not verify",
        ));
        return None;
    };
    report.push_check(Check::pass(
        CheckName::Signature,
        format!(
            "the SM2 signature verifies with the given certificate of {} (ID 1234567812345678)",
            certificate.subject()
        ),
    ));
    report.push_check(Check::pass(
        CheckName::DataHash,
        "the signature is over Signature.xml itself",
    ));
    signer_chain(
        certificate,
        options.given_intermediates(),
        None,
        options,
        report,
    );
    Some(key)
}

/// The `signer_chain` line: the signer certificate's path to a trust anchor, at the time
/// given or the time the signature claims.
fn signer_chain(
    certificate: &Certificate,
    intermediates: &[Certificate],
    claimed: Option<crate::pki::UnixTime>,
    options: &VerifyOptions,
    report: &mut Report,
) {
    if options.anchors().is_empty() {
        report.push_check(Check::not_checked(
            CheckName::SignerChain,
            "no trust anchor was given",
        ));
        return;
    }
    let Some(at) = options.time().or(claimed) else {
        report.push_check(Check::not_checked(
            CheckName::SignerChain,
            "the signature claims no signing time and none was given",
        ));
        return;
    };
    let check = match verify_path(
        certificate,
        intermediates,
        options.anchors(),
        &options.path_options(at),
    ) {
        Ok(path) => Check::pass(
            CheckName::SignerChain,
            format!(
                "{} chains to {} ({} certificates)",
                certificate.subject(),
                path.trust_anchor().subject(),
                path.certificates().len()
            ),
        ),
        Err(error) => Check::fail(CheckName::SignerChain, error.to_string()),
    };
    report.push_check(check);
}
