//! Turns a rustls-webpki failure into an [`Error`] that names the certificate and the facts.
//!
//! webpki decides; this module only explains. It rebuilds the path by names (each
//! certificate's issuer name matched against the offered subjects, preferring an issuer whose
//! key verifies the signature) and reads depth, subject, dates and serials from it. The walk is
//! bounded by the number of offered certificates, so it ends on loops of issuer names.

use rustls_pki_types::SignatureVerificationAlgorithm;

use super::algorithm::check_signed;
use super::key_usage::KeyUsages;
use super::options::VerifyOptions;
use super::{Certificate, Crl, Error, map};

/// What [`super::verify_path`] was asked, kept for explaining a failure.
pub(crate) struct Context<'a> {
    pub(crate) end_entity: &'a Certificate,
    pub(crate) intermediates: &'a [Certificate],
    pub(crate) trust_anchors: &'a [Certificate],
    pub(crate) options: &'a VerifyOptions,
    pub(crate) algorithms: &'a [&'a dyn SignatureVerificationAlgorithm],
}

/// A path rebuilt by names: the certificates from the end entity upwards and whether it
/// reached a trust anchor.
struct NamePath<'a> {
    certificates: Vec<&'a Certificate>,
    anchored: bool,
}

impl Context<'_> {
    /// The precise error for webpki's `error`.
    pub(crate) fn explain(&self, error: webpki::Error) -> Error {
        use webpki::Error as W;
        let path = self.name_path();
        match error {
            W::CertExpired { time, not_after } => {
                let (depth, subject) = path.find(|c| c.not_after() == not_after);
                Error::Expired {
                    depth,
                    subject,
                    not_after,
                    at: time,
                }
            }
            W::CertNotValidYet { time, not_before } => {
                let (depth, subject) = path.find(|c| c.not_before() == not_before);
                Error::NotYetValid {
                    depth,
                    subject,
                    not_before,
                    at: time,
                }
            }
            W::InvalidCertValidity => Error::InvalidValidity {
                subject: path.find(|c| c.not_after() < c.not_before()).1,
            },
            W::UnknownIssuer | W::InvalidSignatureForPublicKey => {
                self.explain_signature_or_issuer(&path)
            }
            W::EndEntityUsedAsCa => {
                let (depth, subject) = path.find_above_leaf(|c| !c.is_ca());
                let found = path.certificates.get(depth);
                let reason = if found.is_some_and(|c| c.has_basic_constraints()) {
                    "basicConstraints says CA FALSE, yet it issued the certificate below"
                } else {
                    "it has no basicConstraints extension, so it is not a CA, yet it issued the certificate below"
                };
                Error::InvalidCa {
                    depth,
                    subject,
                    reason,
                }
            }
            W::CaUsedAsEndEntity => Error::InvalidCa {
                depth: 0,
                subject: self.end_entity.subject().to_owned(),
                reason: "the end-entity certificate is a CA (basicConstraints CA TRUE)",
            },
            W::PathLenConstraintViolated => {
                let (depth, subject) = path.find_depth(|depth, c| {
                    depth > 0
                        && c.path_len_constraint()
                            .is_some_and(|limit| depth - 1 > usize::from(limit))
                });
                Error::PathLengthExceeded { depth, subject }
            }
            W::UnsupportedCriticalExtension => self.explain_critical(&path),
            W::CertRevoked => self.explain_revoked(&path),
            W::UnknownRevocationStatus => Error::RevocationStatusUnknown {
                depth: path
                    .certificates
                    .iter()
                    .position(|c| {
                        !self
                            .options
                            .crls
                            .iter()
                            .any(|crl| crl.issuer_der() == c.issuer_der())
                    })
                    .unwrap_or(0),
            },
            W::CrlExpired { time, next_update } => Error::CrlExpired {
                issuer: self
                    .options
                    .crls
                    .iter()
                    .find(|crl| crl.next_update() == Some(next_update))
                    .map(|crl| crl.issuer().to_owned())
                    .unwrap_or_default(),
                next_update,
                at: time,
            },
            W::InvalidCrlSignatureForPublicKey => Error::CrlBadSignature {
                issuer: self.crl_issuer(&path, |crl, issuer| {
                    crl.verify_signed_by(issuer, &self.options.sm2_id).is_err()
                }),
            },
            W::IssuerNotCrlSigner => Error::CrlIssuerLacksCrlSign {
                issuer: self.crl_issuer(&path, |_, issuer| {
                    issuer
                        .key_usage()
                        .is_some_and(|ku| !ku.contains(KeyUsages::CRL_SIGN))
                }),
            },
            W::UnsupportedCertVersion => Error::UnsupportedCertVersion {
                subject: path.find(|c| !c.is_v3()).1,
            },
            other => map::other_error(other, self.end_entity),
        }
    }

    fn explain_signature_or_issuer(&self, path: &NamePath<'_>) -> Error {
        for (depth, pair) in path.certificates.windows(2).enumerate() {
            if let [child, issuer] = pair
                && !self.signature_verifies(child, issuer)
            {
                return Error::BadSignature {
                    depth,
                    subject: child.subject().to_owned(),
                };
            }
        }
        let top_depth = path
            .certificates
            .len()
            .saturating_sub(1 + usize::from(path.anchored));
        let top = path
            .certificates
            .get(top_depth)
            .copied()
            .unwrap_or(self.end_entity);
        // Every link of the name walk verifies: the issuer that webpki did not accept is the
        // one at the top (or, if the walk reached an anchor, webpki refused that anchor).
        Error::UnknownIssuer {
            depth: top_depth,
            issuer: top.issuer(),
        }
    }

    fn explain_critical(&self, path: &NamePath<'_>) -> Error {
        let offered = path
            .certificates
            .iter()
            .copied()
            .chain(self.intermediates.iter());
        for cert in offered {
            if let Some(oid) = cert.unknown_critical_extensions().into_iter().next() {
                return Error::UnknownCriticalExtension {
                    subject: cert.subject().to_owned(),
                    oid,
                };
            }
        }
        map::other_error(webpki::Error::UnsupportedCriticalExtension, self.end_entity)
    }

    fn explain_revoked(&self, path: &NamePath<'_>) -> Error {
        let entry = path
            .certificates
            .iter()
            .find_map(|cert| self.options.crls.iter().find_map(|crl| crl.entry_for(cert)));
        match entry {
            Some(entry) => Error::Revoked {
                serial: hex::encode(&entry.serial),
                revoked_at: entry.revoked_at,
                reason: entry.reason,
            },
            // Invariant: webpki only reports a revocation it found in one of these CRLs.
            None => map::other_error(webpki::Error::CertRevoked, self.end_entity),
        }
    }

    /// The issuer name of the first CRL covering a certificate of the path for which `fails`
    /// holds, given that CRL and the certificate's issuer (next in the path); else the first
    /// CRL of the end entity's issuer.
    fn crl_issuer(
        &self,
        path: &NamePath<'_>,
        fails: impl Fn(&Crl, &Certificate) -> bool,
    ) -> String {
        let culprit = path.certificates.windows(2).find_map(|pair| match pair {
            [cert, issuer] => self
                .options
                .crls
                .iter()
                .find(|crl| crl.issuer_der() == cert.issuer_der() && fails(crl, issuer)),
            _ => None,
        });
        let leaf_issuer = self.end_entity.issuer_der();
        culprit
            .or_else(|| {
                self.options
                    .crls
                    .iter()
                    .find(|crl| crl.issuer_der() == leaf_issuer)
            })
            .or(self.options.crls.first())
            .map(|crl| crl.issuer().to_owned())
            .unwrap_or_default()
    }

    /// Whether `issuer`'s key verifies `child`'s signature with one of the algorithms.
    fn signature_verifies(&self, child: &Certificate, issuer: &Certificate) -> bool {
        check_signed(
            self.algorithms,
            &child.signature_algorithm_content(),
            issuer,
            child.tbs_der(),
            child.signature_value(),
        )
        .is_ok()
    }

    /// Rebuilds the path by names, from the end entity up to a trust anchor if one is found.
    fn name_path(&self) -> NamePath<'_> {
        let mut certificates = vec![self.end_entity];
        let mut anchored = false;
        // Each offered certificate can appear once, so this loop ends.
        while certificates.len() <= self.intermediates.len() + 1 {
            let Some(current) = certificates.last().copied() else {
                break;
            };
            let issuer_name = current.issuer_der();
            let named = |c: &&Certificate| c.subject_der() == issuer_name;
            let anchors: Vec<&Certificate> = self.trust_anchors.iter().filter(named).collect();
            if let Some(anchor) = self.pick(current, &anchors) {
                certificates.push(anchor);
                anchored = true;
                break;
            }
            let unused: Vec<&Certificate> = self
                .intermediates
                .iter()
                .filter(named)
                .filter(|c| !certificates.iter().any(|seen| seen.der() == c.der()))
                .collect();
            match self.pick(current, &unused) {
                Some(next) => certificates.push(next),
                None => break,
            }
        }
        NamePath {
            certificates,
            anchored,
        }
    }

    /// Of the `candidates` named as `child`'s issuer, the first whose key verifies `child`,
    /// else the first.
    fn pick<'c>(
        &self,
        child: &Certificate,
        candidates: &[&'c Certificate],
    ) -> Option<&'c Certificate> {
        candidates
            .iter()
            .find(|c| self.signature_verifies(child, c))
            .or(candidates.first())
            .copied()
    }
}

impl NamePath<'_> {
    /// Depth and subject of the first certificate matching `test` (else the end entity).
    fn find(&self, test: impl Fn(&Certificate) -> bool) -> (usize, String) {
        self.find_depth(|_, c| test(c))
    }

    /// As [`NamePath::find`], skipping the end entity and the trust anchor.
    fn find_above_leaf(&self, test: impl Fn(&Certificate) -> bool) -> (usize, String) {
        let top = self
            .certificates
            .len()
            .saturating_sub(usize::from(self.anchored));
        self.find_depth(|depth, c| depth > 0 && depth < top && test(c))
    }

    fn find_depth(&self, test: impl Fn(usize, &Certificate) -> bool) -> (usize, String) {
        self.certificates
            .iter()
            .enumerate()
            .find(|(depth, c)| test(*depth, c))
            .or(self.certificates.first().map(|c| (0, c)))
            .map(|(depth, c)| (depth, c.subject().to_owned()))
            .unwrap_or_default()
    }
}
