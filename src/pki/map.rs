//! rustls-webpki errors that need no path context, mapped onto [`Error`].

use super::{Certificate, Error};

/// webpki rejected `cert` while parsing it (x509-cert had accepted it).
pub(crate) fn parse_error(error: webpki::Error, cert: &Certificate) -> Error {
    use webpki::Error as W;
    let subject = cert.subject().to_owned();
    match error {
        W::UnsupportedCertVersion => Error::UnsupportedCertVersion { subject },
        W::UnsupportedCriticalExtension => Error::UnknownCriticalExtension {
            oid: cert
                .unknown_critical_extensions()
                .into_iter()
                .next()
                .unwrap_or_default(),
            subject,
        },
        W::ExtensionValueInvalid | W::MalformedExtensions | W::EmptyEkuExtension => {
            Error::InvalidExtension {
                subject,
                reason: describe(&error),
            }
        }
        other => Error::Malformed {
            what: "certificate",
            reason: describe(&other),
        },
    }
}

/// webpki rejected a CRL of `issuer` while parsing it.
pub(crate) fn crl_parse_error(error: webpki::Error, issuer: &str) -> Error {
    use webpki::Error as W;
    let reason = match error {
        W::UnsupportedCrlVersion => "only v2 CRLs are supported",
        W::UnsupportedDeltaCrl => "delta CRLs are not supported",
        W::UnsupportedIndirectCrl => "indirect CRLs are not supported",
        W::UnsupportedRevocationReasonsPartitioning => {
            "CRLs partitioned by reason are not supported"
        }
        W::UnsupportedCrlIssuingDistributionPoint => {
            "the issuing distribution point is not supported"
        }
        W::UnsupportedRevocationReason => "an entry has an unknown revocation reason",
        W::InvalidCrlNumber => "the cRLNumber is invalid",
        other => {
            return Error::Malformed {
                what: "CRL",
                reason: format!("{} (issuer {issuer})", describe(&other)),
            };
        }
    };
    Error::UnsupportedCrl { reason }
}

/// Path errors that name no particular certificate beyond the end entity.
pub(crate) fn other_error(error: webpki::Error, end_entity: &Certificate) -> Error {
    use webpki::Error as W;
    match error {
        W::MaximumSignatureChecksExceeded => Error::BudgetExceeded {
            budget: "signature checks (100)",
        },
        W::MaximumPathBuildCallsExceeded => Error::BudgetExceeded {
            budget: "path building calls (200,000)",
        },
        W::MaximumPathDepthExceeded => Error::BudgetExceeded {
            budget: "path depth (6 intermediates)",
        },
        W::MaximumNameConstraintComparisonsExceeded => Error::BudgetExceeded {
            budget: "name constraint comparisons",
        },
        W::NameConstraintViolation => Error::NameConstraintViolation,
        W::UnsupportedSignatureAlgorithmContext(context)
        | W::UnsupportedCrlSignatureAlgorithmContext(context) => {
            Error::UnsupportedSignatureAlgorithm {
                algorithm: hex::encode(context.signature_algorithm_id),
                public_key_algorithm: String::new(),
            }
        }
        W::UnsupportedSignatureAlgorithmForPublicKeyContext(context)
        | W::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(context) => {
            Error::UnsupportedSignatureAlgorithm {
                algorithm: hex::encode(context.signature_algorithm_id),
                public_key_algorithm: hex::encode(context.public_key_algorithm_id),
            }
        }
        W::UnsupportedCrlVersion
        | W::UnsupportedDeltaCrl
        | W::UnsupportedIndirectCrl
        | W::UnsupportedRevocationReasonsPartitioning
        | W::UnsupportedCrlIssuingDistributionPoint
        | W::UnsupportedRevocationReason
        | W::InvalidCrlNumber => crl_parse_error(error, ""),
        other => parse_error(other, end_entity),
    }
}

/// A sentence for a webpki error without a variant of its own here.
fn describe(error: &webpki::Error) -> String {
    use webpki::Error as W;
    let text = match error {
        W::BadDer => "the DER is invalid",
        W::BadDerTime => "a time field is invalid",
        W::TrailingData(_) => "there are bytes after the DER value",
        W::MalformedExtensions => "the extensions are malformed or repeated",
        W::ExtensionValueInvalid => "an extension value is invalid",
        W::EmptyEkuExtension => "the extendedKeyUsage extension is empty",
        W::InvalidSerialNumber => "the serial number is invalid",
        W::SignatureAlgorithmMismatch => {
            "signatureAlgorithm differs from the signature field inside tbsCertificate"
        }
        W::UnsupportedNameType => "a name of an unsupported type",
        W::MalformedNameConstraint => "the nameConstraints extension is malformed",
        W::CertDistrusted => "the issuer is distrusted",
        _ => return format!("rejected by path validation ({error:?})"),
    };
    text.to_owned()
}
