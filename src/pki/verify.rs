//! Certification path validation (RFC 5280 §6) through rustls-webpki, plus the checks webpki
//! leaves to its caller: the end entity's keyUsage and keyCertSign on every issuing CA.

use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use webpki::{
    BorrowedCertRevocationList, CertRevocationList, EndEntityCert, ExpirationPolicy,
    KeyPurposeIdIter, RevocationCheckDepth, RevocationOptionsBuilder, UnknownStatusPolicy,
};

use super::algorithm::{sm2_pair, with_ring};
use super::explain::Context;
use super::key_usage::KeyUsages;
use super::options::{RevocationDepth, UnknownStatus, VerifyOptions};
use super::{Certificate, Error, map};
use crate::sm2::DistId;

/// The most intermediate certificates one validation looks at. Real GM paths have one or two
/// intermediates; webpki itself stops at 6 sub-CAs in a path. Refusing a larger pool up front
/// bounds the search (1,000 offered intermediates fail at once, not after a long search).
pub const MAX_INTERMEDIATES: usize = 64;

/// The most trust anchors one validation accepts (a national trust list has a few hundred).
pub const MAX_TRUST_ANCHORS: usize = 1024;

/// The most CRLs one validation accepts.
pub const MAX_CRLS: usize = 64;

/// A certification path that passed validation; only [`verify_path`] makes one.
///
/// The certificates run from the end entity (depth 0) to the trust anchor (the last one).
#[derive(Debug, Clone)]
pub struct VerifiedPath {
    end_entity: Certificate,
    intermediates: Vec<Certificate>,
    trust_anchor: Certificate,
    sm2_id: DistId,
    revocation_checked: bool,
    at: UnixTime,
}

impl VerifiedPath {
    /// The path, end entity first, trust anchor last.
    pub fn certificates(&self) -> Vec<&Certificate> {
        core::iter::once(&self.end_entity)
            .chain(&self.intermediates)
            .chain(core::iter::once(&self.trust_anchor))
            .collect()
    }

    /// The end-entity certificate (depth 0).
    pub fn end_entity(&self) -> &Certificate {
        &self.end_entity
    }

    /// The intermediate CA certificates, from depth 1 upwards.
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    /// The trust anchor the path ends in.
    pub fn trust_anchor(&self) -> &Certificate {
        &self.trust_anchor
    }

    /// The SM2 ID the SM2 signatures were checked with.
    pub fn sm2_id(&self) -> &DistId {
        &self.sm2_id
    }

    /// Whether revocation was checked against CRLs (false when none were given).
    pub fn revocation_checked(&self) -> bool {
        self.revocation_checked
    }

    /// The time the path was validated at.
    pub fn at(&self) -> UnixTime {
        self.at
    }
}

/// Validates a path from `end_entity` through some of `intermediates` to one of
/// `trust_anchors`, as `options` say.
///
/// What is checked: every signature (SM2 with the options' ID, RSA and ECDSA through *ring*),
/// validity at `options.at()` for every certificate below the anchor, basicConstraints and
/// pathLenConstraint (RFC 5280 §6.1.4 (k), (l), (m)), name constraints, unknown critical
/// extensions, revocation of the end entity (or the whole chain) against the given CRLs and
/// their signatures, the end entity's keyUsage against the requirement, and keyCertSign on
/// every issuing CA including the anchor. Trust anchors are trusted as given: their signature
/// and validity are not checked (RFC 5280 §6.1.1).
///
/// The search is bounded: [`MAX_INTERMEDIATES`], [`MAX_TRUST_ANCHORS`], [`MAX_CRLS`] and
/// webpki's budget of 100 signature checks and 200,000 path-building calls.
///
/// ```
/// use smtrust::pki::{Certificate, RequiredUsage, UnixTime, VerifyOptions, verify_path};
///
/// let read = |name: &str| -> Certificate {
///     let pem = std::fs::read_to_string(format!("test-vectors/interop/pki/std/{name}")).unwrap();
///     Certificate::from_pem(&pem).unwrap()
/// };
/// let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_906_502_400));
/// let path = verify_path(
///     &read("leaf-good.pem"),
///     &[read("int.pem")],
///     &[read("root.pem")],
///     &VerifyOptions::new(at).require(RequiredUsage::SIGNING),
/// )?;
/// assert_eq!(path.certificates().len(), 3);
/// # Ok::<(), smtrust::pki::Error>(())
/// ```
pub fn verify_path(
    end_entity: &Certificate,
    intermediates: &[Certificate],
    trust_anchors: &[Certificate],
    options: &VerifyOptions,
) -> Result<VerifiedPath, Error> {
    check_counts(intermediates, trust_anchors, options)?;
    let ee_der = CertificateDer::from(end_entity.der());
    let ee = EndEntityCert::try_from(&ee_der).map_err(|e| map::parse_error(e, end_entity))?;
    let intermediate_ders: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .map(|c| CertificateDer::from(c.der()))
        .collect();
    let anchor_ders: Vec<CertificateDer<'_>> = trust_anchors
        .iter()
        .map(|c| CertificateDer::from(c.der()))
        .collect();
    let anchors = anchor_ders
        .iter()
        .zip(trust_anchors)
        .map(|(der, cert)| {
            webpki::anchor_from_trusted_cert(der).map_err(|e| map::parse_error(e, cert))
        })
        .collect::<Result<Vec<TrustAnchor<'_>>, Error>>()?;

    let sm2 = sm2_pair(&options.sm2_id);
    let algorithms = with_ring(&sm2);

    let crls = options
        .crls
        .iter()
        .map(|crl| {
            BorrowedCertRevocationList::from_der(crl.der())
                .map(CertRevocationList::from)
                .map_err(|e| map::crl_parse_error(e, crl.issuer()))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let crl_refs: Vec<&CertRevocationList<'_>> = crls.iter().collect();
    let revocation = RevocationOptionsBuilder::new(&crl_refs)
        .ok()
        .map(|builder| {
            builder
                .with_depth(match options.revocation_depth {
                    RevocationDepth::EndEntity => RevocationCheckDepth::EndEntity,
                    RevocationDepth::Chain => RevocationCheckDepth::Chain,
                })
                .with_status_policy(match options.unknown_status {
                    UnknownStatus::Allow => UnknownStatusPolicy::Allow,
                    UnknownStatus::Deny => UnknownStatusPolicy::Deny,
                })
                .with_expiration_policy(ExpirationPolicy::Enforce)
                .build()
        });
    let revocation_checked = revocation.is_some();

    let context = Context {
        end_entity,
        intermediates,
        trust_anchors,
        options,
        algorithms: &algorithms,
    };
    let path = ee
        .verify_for_usage(
            &algorithms,
            &anchors,
            &intermediate_ders,
            options.at,
            AnyExtendedKeyUsage,
            revocation,
            None,
        )
        .map_err(|e| context.explain(e))?;

    let path_intermediates: Vec<Certificate> = path
        .intermediate_certificates()
        .filter_map(|cert| {
            let der = cert.der();
            intermediates.iter().find(|c| c.der() == der.as_ref())
        })
        .cloned()
        .collect();
    // Invariant: webpki's anchor is an element of `anchors`, which is parallel to
    // `trust_anchors`; the error arm cannot be reached.
    let trust_anchor = anchors
        .iter()
        .position(|a| core::ptr::eq(a, path.anchor()))
        .and_then(|index| trust_anchors.get(index))
        .ok_or_else(|| context.explain(webpki::Error::UnknownIssuer))?
        .clone();
    let mut chain = vec![end_entity];
    chain.extend(&path_intermediates);
    chain.push(&trust_anchor);
    check_key_usages(&chain, options)?;
    Ok(VerifiedPath {
        end_entity: end_entity.clone(),
        intermediates: path_intermediates,
        trust_anchor: trust_anchor.clone(),
        sm2_id: options.sm2_id.clone(),
        revocation_checked,
        at: options.at,
    })
}

fn check_counts(
    intermediates: &[Certificate],
    trust_anchors: &[Certificate],
    options: &VerifyOptions,
) -> Result<(), Error> {
    let limits = [
        (
            intermediates.len(),
            MAX_INTERMEDIATES,
            "intermediate certificates",
        ),
        (trust_anchors.len(), MAX_TRUST_ANCHORS, "trust anchors"),
        (options.crls.len(), MAX_CRLS, "CRLs"),
    ];
    match limits.iter().find(|(count, limit, _)| count > limit) {
        Some(&(_, limit, what)) => Err(Error::TooManyCertificates { what, limit }),
        None => Ok(()),
    }
}

/// The end entity's keyUsage against the requirement, and keyCertSign on each issuer
/// (RFC 5280 §4.2.1.3), which webpki does not check.
fn check_key_usages(path: &[&Certificate], options: &VerifyOptions) -> Result<(), Error> {
    if let Some(leaf) = path.first()
        && !options.required.is_met_by(leaf.key_usage())
    {
        return Err(Error::KeyUsage {
            required: options.required,
            present: leaf.key_usage().unwrap_or_default(),
        });
    }
    let anchor_depth = path.len().saturating_sub(1);
    for (depth, ca) in path.iter().enumerate().skip(1) {
        let lacks = ca
            .key_usage()
            .is_some_and(|ku| !ku.contains(KeyUsages::KEY_CERT_SIGN));
        let excused = depth == anchor_depth && options.legacy_root_without_key_cert_sign;
        if lacks && !excused {
            return Err(Error::CaLacksKeyCertSign {
                depth,
                subject: ca.subject().to_owned(),
            });
        }
    }
    Ok(())
}

/// No extendedKeyUsage requirement: the e-signature profiles we serve do not fix one, and
/// real signer certificates carry clientAuth, emailProtection or none. A malformed extension
/// is still an error.
struct AnyExtendedKeyUsage;

impl webpki::ExtendedKeyUsageValidator for AnyExtendedKeyUsage {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        for purpose in iter {
            purpose?;
        }
        Ok(())
    }
}
