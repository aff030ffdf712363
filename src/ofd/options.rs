//! What an OFD verification is given from outside: trust anchors, the time, and signer
//! certificates that the package itself does not carry.

use crate::pki::{Certificate, RequiredUsage, UnixTime, VerifyOptions as PathOptions};

/// How [`Package::verify`](super::Package::verify) checks signatures.
///
/// With no trust anchors the chains are not checked and the best verdict is
/// indeterminate. Certificate chains are validated at the given time, or else at the time
/// the signature claims (TBS_Sign `timeInfo`, the CMS signing-time attribute); a signature
/// that claims none needs a time.
///
/// ```
/// use smtrust::ofd::VerifyOptions;
/// use smtrust::pki::UnixTime;
///
/// let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_700_000_000));
/// let options = VerifyOptions::new().at(at);
/// assert_eq!(options.time(), Some(at));
/// assert!(options.anchors().is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    at: Option<UnixTime>,
    signer_certificates: Vec<Certificate>,
    legacy_root: bool,
}

impl VerifyOptions {
    /// No trust anchors, no time, no extra signer certificates.
    pub fn new() -> Self {
        Self::default()
    }

    /// The trust anchors (root certificates) for the maker and signer chains.
    pub fn trust_anchors(mut self, anchors: Vec<Certificate>) -> Self {
        self.anchors = anchors;
        self
    }

    /// Intermediate CA certificates offered for path building, beside those a signature
    /// carries.
    pub fn intermediates(mut self, intermediates: Vec<Certificate>) -> Self {
        self.intermediates = intermediates;
        self
    }

    /// Validate certificates at `at` instead of the time each signature claims.
    pub fn at(mut self, at: UnixTime) -> Self {
        self.at = Some(at);
        self
    }

    /// Certificates to try for a `Type="Sign"` SignedValue that is a bare SM2 signature with
    /// no certificate inside (ofdrw 1.2 wrote these).
    pub fn signer_certificates(mut self, certificates: Vec<Certificate>) -> Self {
        self.signer_certificates = certificates;
        self
    }

    /// Accept a trust anchor whose keyUsage lacks keyCertSign (the ofdrw test root, SEAL-SPEC
    /// D16); see
    /// [`pki::VerifyOptions::accept_root_without_key_cert_sign_for_legacy_use_only`](crate::pki::VerifyOptions::accept_root_without_key_cert_sign_for_legacy_use_only).
    pub fn accept_root_without_key_cert_sign_for_legacy_use_only(mut self) -> Self {
        self.legacy_root = true;
        self
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// The intermediates given.
    pub fn given_intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    /// The time given, if any.
    pub fn time(&self) -> Option<UnixTime> {
        self.at
    }

    /// The certificates given for bare signatures.
    pub fn given_signer_certificates(&self) -> &[Certificate] {
        &self.signer_certificates
    }

    /// Whether a root without keyCertSign is accepted.
    pub(crate) fn legacy_root(&self) -> bool {
        self.legacy_root
    }

    /// Path-validation options for a signer certificate at `at`.
    pub(crate) fn path_options(&self, at: UnixTime) -> PathOptions {
        let options = PathOptions::new(at).require(RequiredUsage::SIGNING);
        if self.legacy_root {
            options.accept_root_without_key_cert_sign_for_legacy_use_only()
        } else {
            options
        }
    }
}
