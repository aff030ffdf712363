//! Verification of seals and seal signatures (SEAL-SPEC §2.3), producing a [`Report`].
//!
//! Each step is one report line. A signature is checked over the exact bytes the signer
//! signed (the original TLVs, never a re-encoding), with SM2 Z ‖ M and the default ID
//! `1234567812345678` (GB/T 35276). Certificate chains are built by [`pki::verify_path`]
//! with the caller's trust anchors; nothing is trusted that the caller did not give.

use rustls_pki_types::UnixTime;

use super::report::{Check, CheckName, Deviation, Report, Warning};
use super::time::display;
use super::timestamp;
use super::{CertList, Seal, SealSignature, SealVersion};
use crate::pki::{self, Certificate, RequiredUsage};
use crate::sm2::{DistId, PublicKey, Signature, VerifyingKey};

/// The SM2-with-SM3 signature algorithm (GM/T 0006), the only one seals use.
pub const SM2_WITH_SM3_OID: &str = "1.2.156.10197.1.501";

/// The SM2-with-SM3 AlgorithmIdentifier with NULL parameters, as found in certificates (D1).
const SM2_WITH_SM3_NULL_PARAMS: [u8; 14] = [
    0x30, 0x0c, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75, 0x05, 0x00,
];

/// What the caller supplies to verification: trust anchors, intermediate certificates, and
/// the time, all explicit (nothing reads the clock).
///
/// ```
/// use smtrust::pki::{Certificate, UnixTime};
/// use smtrust::seal::VerifyOptions;
///
/// let pem = std::fs::read_to_string("test-vectors/seals/derived_ROOT_cert.pem")?;
/// let options = VerifyOptions::new()
///     .trust_anchors(vec![Certificate::from_pem(&pem)?])
///     .at(UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_602_501_243)));
/// # let _ = options;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    trust_anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    tsa_trust_anchors: Option<Vec<Certificate>>,
    at: Option<UnixTime>,
    legacy_root: bool,
}

impl VerifyOptions {
    /// No trust anchors, no intermediates, no time: every chain is "not checked".
    pub fn new() -> Self {
        Self::default()
    }

    /// The roots the maker and signer certificates must chain to.
    pub fn trust_anchors(mut self, anchors: Vec<Certificate>) -> Self {
        self.trust_anchors = anchors;
        self
    }

    /// Intermediate CA certificates offered for path building.
    pub fn intermediates(mut self, intermediates: Vec<Certificate>) -> Self {
        self.intermediates = intermediates;
        self
    }

    /// The roots a timestamp token's TSA certificate must chain to, when they differ from
    /// [`VerifyOptions::trust_anchors`] (which are used for TSAs too when this is not given).
    /// The TSA's path is built with [`VerifyOptions::intermediates`] and the certificates the
    /// token carries.
    pub fn tsa_trust_anchors(mut self, anchors: Vec<Certificate>) -> Self {
        self.tsa_trust_anchors = Some(anchors);
        self
    }

    /// The roots for TSA certificates: the TSA anchors if given, else the trust anchors.
    fn tsa_anchors(&self) -> &[Certificate] {
        self.tsa_trust_anchors
            .as_deref()
            .unwrap_or(&self.trust_anchors)
    }

    /// The time at which to check. For a seal alone this is required for the validity and
    /// chain checks; for a seal signature it replaces the signing time the signature claims,
    /// unless a timestamp token on the signature verifies: then the token's genTime is used.
    pub fn at(mut self, at: UnixTime) -> Self {
        self.at = Some(at);
        self
    }

    /// Accepts a trust anchor that lacks keyCertSign, as the ofdrw test root does (D16).
    /// Reported as a warning; see
    /// [`pki::VerifyOptions::accept_root_without_key_cert_sign_for_legacy_use_only`].
    pub fn accept_root_without_key_cert_sign_for_legacy_use_only(mut self) -> Self {
        self.legacy_root = true;
        self
    }
}

/// Verifies a seal or a seal signature given as DER, whichever it parses as (a signature is
/// tried first). If it parses as neither, the report has one failed `structure` line.
///
/// ```
/// use smtrust::seal::{CheckName, Status, Verdict, VerifyOptions, verify_der};
///
/// let signed = std::fs::read("test-vectors/seals/ofdsharp_SignedValue.dat")?;
/// let xml = std::fs::read("test-vectors/seals/ofdsharp_Signature.xml")?;
/// let report = verify_der(&signed, Some(&xml), &VerifyOptions::new());
/// assert_eq!(report.status(CheckName::Signature), Some(Status::Pass));
/// assert_eq!(report.status(CheckName::DataHash), Some(Status::Pass));
/// // No trust anchor was given, so the chains are not checked.
/// assert_eq!(report.verdict(), Verdict::Indeterminate);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_der(der: &[u8], document: Option<&[u8]>, options: &VerifyOptions) -> Report {
    match SealSignature::from_der(der) {
        Ok(signature) => signature.verify(document, options),
        Err(signature_error) => match Seal::from_der(der) {
            Ok(seal) => seal.verify(options),
            Err(seal_error) => {
                let mut report = Report::new();
                report.push_check(Check::fail(
                    CheckName::Structure,
                    format!(
                        "neither a seal signature ({signature_error}) nor a seal ({seal_error})"
                    ),
                ));
                report
            }
        },
    }
}

impl Seal {
    /// Verifies the seal alone: its structure, the maker's signature, the maker's chain and
    /// the validity period, both at [`VerifyOptions::at`].
    pub fn verify(&self, options: &VerifyOptions) -> Report {
        let mut report = Report::new();
        report.push_check(Check::pass(
            CheckName::Structure,
            format!("a {} seal, {}", self.version, describe_seal(self)),
        ));
        verify_seal_parts(
            self,
            options.at,
            "the verification time",
            options,
            &mut report,
        );
        let stamped = timestamp::check(
            self.timestamp(),
            &self.maker_signature,
            "the maker's signature value",
            options.tsa_anchors(),
            &options.intermediates,
        );
        report.push_check(stamped.check);
        report
    }
}

impl SealSignature {
    /// Verifies the seal signature: the signature over TBS_Sign, that the signer is listed in
    /// the seal, the seal itself, the chains at the signing time, the document digest (if
    /// `document` is given: the signed original, in OFD the Signature.xml bytes) and the
    /// timestamp.
    ///
    /// The timestamp token (the `timeStamp` field, v4 and v5) is verified over the signature
    /// value — the content of the `signature` BIT STRING, as
    /// [`SignatureBuilder::sign_timestamped`](super::SignatureBuilder::sign_timestamped)
    /// stamps it — with TSA certificates chaining to [`VerifyOptions::tsa_trust_anchors`] (or
    /// the trust anchors). When it verifies, the chains and the seal's validity are checked at
    /// its genTime; otherwise at [`VerifyOptions::at`], else at the signing time the signature
    /// claims. Each chain and validity line names the time it used. Without a signature token,
    /// a v5 seal's own token is verified over the maker's signature value and reported, but
    /// does not change the time.
    pub fn verify(&self, document: Option<&[u8]>, options: &VerifyOptions) -> Report {
        let mut report = Report::new();
        for warning in self.warnings() {
            report.push_warning(warning);
        }
        report.push_check(self.structure_check());
        let stamped = match self.timestamp() {
            Some(token) => timestamp::check(
                Some(token),
                &self.signature,
                "the signature value",
                options.tsa_anchors(),
                &options.intermediates,
            ),
            None => timestamp::check(
                self.seal.timestamp(),
                &self.seal.maker_signature,
                "the seal maker's signature value",
                options.tsa_anchors(),
                &options.intermediates,
            )
            .without_time(),
        };
        let (at, when) = match (stamped.gen_time, options.at, self.signing_time()) {
            (Some(gen_time), _, _) => (Some(gen_time), "the timestamp's genTime"),
            (None, Some(at), _) => (Some(at), "the given verification time"),
            (None, None, Some(time)) => (Some(time), "the signing time claimed in timeInfo"),
            (None, None, None) => (None, "the signing time"),
        };
        verify_seal_parts(&self.seal, at, when, options, &mut report);
        let signer = SignerKey::read(&self.signer_certificate);
        if self.signer_certificate == self.seal.maker_certificate {
            report.push_warning(Warning::new(
                Deviation::MakerIsSigner,
                "the signer certificate is the seal maker's certificate",
            ));
        }
        report.push_check(self.listed_check());
        let signature_line = self.signature_check(&signer, &mut report);
        report.push_check(signature_line);
        let data_hash_line = self.data_hash_check(document, &signer, &mut report);
        report.push_check(data_hash_line);
        let signer_chain = chain_check(
            CheckName::SignerChain,
            "signer",
            signer.certificate.as_ref(),
            at,
            when,
            options,
            &mut report,
        );
        report.push_check(signer_chain);
        report.push_check(stamped.check);
        self.add_signature_warnings(&signer, document, &mut report);
        report
    }

    fn structure_check(&self) -> Check {
        let mut detail = format!(
            "a {} seal signature (TBS_Sign version {}) of {} seal {}",
            self.version,
            self.tbs_version,
            self.seal.version,
            describe_seal(&self.seal)
        );
        if self.tbs_version != self.seal.header_version {
            detail.push_str(&format!(
                "; note: TBS_Sign version {} differs from the seal header version {}",
                self.tbs_version, self.seal.header_version
            ));
        }
        Check::pass(CheckName::Structure, detail)
    }

    /// Whether the signer certificate is in the seal's certList (SEAL-SPEC §2.3 step 3).
    fn listed_check(&self) -> Check {
        let name = CheckName::SignerListedInSeal;
        match &self.seal.cert_list {
            CertList::Certificates(certificates) if certificates.is_empty() => Check::not_checked(
                name,
                "the seal's certList holds no certificate to compare with (D12)",
            ),
            CertList::Certificates(certificates) => {
                match certificates
                    .iter()
                    .position(|c| *c == self.signer_certificate)
                {
                    Some(index) => Check::pass(
                        name,
                        format!(
                            "the signer certificate is entry {} of the {} in the seal's certList",
                            index + 1,
                            certificates.len()
                        ),
                    ),
                    None => Check::fail(
                        name,
                        format!(
                            "the signer certificate is not among the {} certificate(s) in the seal's certList",
                            certificates.len()
                        ),
                    ),
                }
            }
            CertList::Digests(digests) => {
                let found = digests
                    .iter()
                    .position(|d| cert_digest(&d.kind, &self.signer_certificate) == d.value);
                match found {
                    Some(index) => Check::pass(
                        name,
                        format!(
                            "the signer certificate's digest is entry {} of the {} in the seal's certList",
                            index + 1,
                            digests.len()
                        ),
                    ),
                    None => Check::fail(
                        name,
                        format!(
                            "the signer certificate's digest is not among the {} digest(s) in the seal's certList",
                            digests.len()
                        ),
                    ),
                }
            }
        }
    }

    /// The signer's signature over TBS_Sign (§2.2), or for a v1 signature that fails that,
    /// over dataHash as e without Z (D13).
    fn signature_check(&self, signer: &SignerKey, report: &mut Report) -> Check {
        let name = CheckName::Signature;
        let Some(key) = &signer.key else {
            return Check::fail(name, signer.problem.clone());
        };
        if self.algorithm != SM2_WITH_SM3_OID {
            return Check::fail(
                name,
                format!("signature algorithm {} is not SM2-with-SM3", self.algorithm),
            );
        }
        let Some((signature, _)) = decode_signature(&self.signature) else {
            return Check::fail(
                name,
                format!(
                    "the signature ({} bytes) is neither a DER SM2 signature nor raw r‖s",
                    self.signature.len()
                ),
            );
        };
        if key.verify(&self.tbs, &signature).is_ok() {
            return Check::pass(
                name,
                format!(
                    "verified over TBS_Sign ({} bytes) with the signer certificate ({}), SM2 ID 1234567812345678",
                    self.tbs.len(),
                    signer.subject
                ),
            );
        }
        if self.version == SealVersion::V1 && key.verify_digest(&self.data_hash, &signature).is_ok()
        {
            report.push_warning(Warning::new(
                Deviation::SignatureOverDataHashOnly,
                "the v1 signature verifies only as SM2 over dataHash without Z; TBS_Sign (the seal, the time, the signer certificate) is not covered by it",
            ));
            return Check::pass(
                name,
                format!(
                    "verified only as SM2 over dataHash used directly as e, without Z (D13): the seal and the time are not covered by it (signer {})",
                    signer.subject
                ),
            );
        }
        Check::fail(
            name,
            format!(
                "does not verify over TBS_Sign with the signer certificate's key ({})",
                signer.subject
            ),
        )
    }

    /// dataHash against the document (§2.3 step 7): SM3 of it, or SM3(Z ‖ it) (D14).
    fn data_hash_check(
        &self,
        document: Option<&[u8]>,
        signer: &SignerKey,
        report: &mut Report,
    ) -> Check {
        let name = CheckName::DataHash;
        let placeholder = self.data_hash.iter().all(|b| *b == 0);
        let Some(document) = document else {
            return Check::not_checked(
                name,
                if placeholder {
                    "no document was given; dataHash is all zero bytes, a placeholder (D16)"
                } else {
                    "no document was given to compare dataHash with"
                },
            );
        };
        let plain = crate::sm3::hash(document);
        if self.data_hash == plain {
            return Check::pass(
                name,
                format!(
                    "dataHash equals SM3 of the document ({} bytes)",
                    document.len()
                ),
            );
        }
        if let Some(key) = &signer.key
            && self.data_hash == key.digest(document)
        {
            report.push_warning(Warning::new(
                Deviation::DigestWithZ,
                "dataHash is SM3(Z ‖ document) with the signer's Z, not SM3(document)",
            ));
            return Check::pass(
                name,
                "dataHash equals SM3(Z ‖ document) with the signer's Z (D14)",
            );
        }
        Check::fail(
            name,
            format!(
                "dataHash {} differs from SM3 of the document {}{}",
                hex::encode(&self.data_hash),
                hex::encode(plain),
                if placeholder {
                    " (dataHash is all zero bytes, a placeholder: D16)"
                } else {
                    ""
                }
            ),
        )
    }

    fn add_signature_warnings(
        &self,
        signer: &SignerKey,
        document: Option<&[u8]>,
        report: &mut Report,
    ) {
        if let Some((_, true)) = decode_signature(&self.signature) {
            report.push_warning(Warning::new(
                Deviation::RawSignature,
                "the signer's signature is raw 64-byte r‖s, not DER; read as r‖s",
            ));
        }
        if self.data_hash.iter().all(|b| *b == 0) {
            report.push_warning(Warning::new(
                Deviation::DataHashPlaceholder,
                format!(
                    "dataHash is {} zero bytes, a placeholder{}",
                    self.data_hash.len(),
                    if document.is_some() {
                        ""
                    } else {
                        " (no document given)"
                    }
                ),
            ));
        }
        if let Some(certificate) = &signer.certificate {
            add_certificate_warnings("signer", certificate, report);
        }
    }
}

/// The seal maker's signature, the maker's chain and the seal's validity at `at`.
fn verify_seal_parts(
    seal: &Seal,
    at: Option<UnixTime>,
    when: &str,
    options: &VerifyOptions,
    report: &mut Report,
) {
    for warning in seal.warnings() {
        report.push_warning(warning.clone());
    }
    let maker = SignerKey::read(&seal.maker_certificate);
    let maker_signature = maker_signature_check(seal, &maker, report);
    report.push_check(maker_signature);
    let maker_chain = chain_check(
        CheckName::SealMakerChain,
        "seal maker",
        maker.certificate.as_ref(),
        at,
        when,
        options,
        report,
    );
    report.push_check(maker_chain);
    report.push_check(validity_check(seal, at, when));
    if let Some(certificate) = &maker.certificate {
        add_certificate_warnings("seal maker", certificate, report);
    }
}

/// The maker's signature over SES_SealInfo (v4, v5) or SEQUENCE{sealInfo, cert, alg} (v1).
fn maker_signature_check(seal: &Seal, maker: &SignerKey, report: &mut Report) -> Check {
    let name = CheckName::SealMakerSignature;
    let Some(key) = &maker.key else {
        return Check::fail(name, maker.problem.clone());
    };
    if seal.algorithm != SM2_WITH_SM3_OID {
        return Check::fail(
            name,
            format!("signature algorithm {} is not SM2-with-SM3", seal.algorithm),
        );
    }
    let Some((signature, raw)) = decode_signature(&seal.maker_signature) else {
        return Check::fail(
            name,
            format!(
                "the maker signature ({} bytes) is neither a DER SM2 signature nor raw r‖s",
                seal.maker_signature.len()
            ),
        );
    };
    if raw {
        report.push_warning(Warning::new(
            Deviation::RawSignature,
            "the seal maker's signature is raw 64-byte r‖s, not DER; read as r‖s",
        ));
    }
    let signed = match seal.version {
        SealVersion::V1 => "SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }",
        SealVersion::V4 | SealVersion::V5 => "SES_SealInfo",
    };
    match key.verify(&seal.maker_signed, &signature) {
        Ok(()) => Check::pass(
            name,
            format!(
                "verified over {signed} with the maker certificate ({}), SM2 ID 1234567812345678",
                maker.subject
            ),
        ),
        Err(_) => Check::fail(
            name,
            format!(
                "does not verify over {signed} with the maker certificate's key ({}): the seal was changed, or signed by another key (as in D11)",
                maker.subject
            ),
        ),
    }
}

/// A certificate path check at `at` with the caller's anchors.
fn chain_check(
    name: CheckName,
    role: &str,
    certificate: Option<&Certificate>,
    at: Option<UnixTime>,
    when: &str,
    options: &VerifyOptions,
    report: &mut Report,
) -> Check {
    let Some(certificate) = certificate else {
        return Check::fail(name, format!("the {role} certificate cannot be read"));
    };
    if options.trust_anchors.is_empty() {
        return Check::not_checked(name, "no trust anchor was given");
    }
    let Some(at) = at else {
        return Check::not_checked(
            name,
            format!("{when} is unknown, so validity cannot be checked"),
        );
    };
    let mut pki_options = pki::VerifyOptions::new(at).require(RequiredUsage::SIGNING);
    if options.legacy_root {
        pki_options = pki_options.accept_root_without_key_cert_sign_for_legacy_use_only();
    }
    match pki::verify_path(
        certificate,
        &options.intermediates,
        &options.trust_anchors,
        &pki_options,
    ) {
        Ok(path) => {
            if options.legacy_root
                && path
                    .trust_anchor()
                    .key_usage()
                    .is_some_and(|ku| !ku.contains(pki::KeyUsages::KEY_CERT_SIGN))
            {
                report.push_warning(Warning::new(
                    Deviation::DataHashPlaceholder,
                    format!(
                        "the trust anchor {} lacks keyCertSign and was accepted for legacy use only (as the ofdrw test root, D16)",
                        path.trust_anchor().subject()
                    ),
                ));
            }
            Check::pass(
                name,
                format!(
                    "the {role} certificate ({}) chains to {} at {when}, {}",
                    certificate.subject(),
                    path.trust_anchor().subject(),
                    display(at)
                ),
            )
        }
        Err(error) => {
            if matches!(error, pki::Error::InvalidCa { depth: 0, .. }) {
                report.push_warning(Warning::new(
                    Deviation::MakerIsSigner,
                    format!("the {role} certificate is a CA certificate used to sign seals"),
                ));
            }
            Check::fail(
                name,
                format!(
                    "the {role} certificate ({}) at {when}, {}: {error}",
                    certificate.subject(),
                    display(at)
                ),
            )
        }
    }
}

/// The seal's validity period at `at` (§2.3 seal step 4).
fn validity_check(seal: &Seal, at: Option<UnixTime>, when: &str) -> Check {
    let name = CheckName::SealValidity;
    let period = format!(
        "{} to {}",
        display(seal.valid_start),
        display(seal.valid_end)
    );
    let Some(at) = at else {
        return Check::not_checked(
            name,
            format!("{when} is unknown; the seal is valid from {period}"),
        );
    };
    if seal.valid_start <= at && at <= seal.valid_end {
        Check::pass(
            name,
            format!(
                "{when}, {}, is inside the seal's validity, {period}",
                display(at)
            ),
        )
    } else {
        Check::fail(
            name,
            format!(
                "{when}, {}, is outside the seal's validity, {period}",
                display(at)
            ),
        )
    }
}

/// A certificate embedded in a seal, read for its SM2 key (or the reason it cannot be).
struct SignerKey {
    certificate: Option<Certificate>,
    key: Option<VerifyingKey>,
    subject: String,
    problem: String,
}

impl SignerKey {
    fn read(der: &[u8]) -> Self {
        match Certificate::from_der(der) {
            Ok(certificate) => {
                let subject = certificate.subject().to_string();
                match certificate.sm2_public_key() {
                    Ok(public_key) => Self {
                        key: Some(verifying_key(public_key)),
                        certificate: Some(certificate),
                        subject,
                        problem: String::new(),
                    },
                    Err(error) => Self {
                        problem: format!("the certificate ({subject}) has no SM2 key: {error}"),
                        certificate: Some(certificate),
                        key: None,
                        subject,
                    },
                }
            }
            Err(error) => Self {
                certificate: None,
                key: None,
                subject: String::new(),
                problem: format!("the embedded certificate cannot be read: {error}"),
            },
        }
    }
}

fn verifying_key(public_key: PublicKey) -> VerifyingKey {
    VerifyingKey::new(public_key, DistId::DEFAULT)
}

/// A DER SM2 signature, or 64 raw bytes read as r‖s (D9); the flag says it was raw.
fn decode_signature(bytes: &[u8]) -> Option<(Signature, bool)> {
    if let Ok(signature) = Signature::from_der(bytes) {
        return Some((signature, false));
    }
    if bytes.len() == 64 {
        return Signature::from_raw(bytes).ok().map(|s| (s, true));
    }
    None
}

/// The digest a CertDigestObj label names: SHA-256 or SHA-1 when the label says so, else SM3.
pub(super) fn cert_digest(kind: &str, certificate: &[u8]) -> Vec<u8> {
    use sha1::Digest as _;
    let label = kind.to_ascii_lowercase().replace(['-', '_'], "");
    if label.contains("sha256") {
        sha2::Sha256::digest(certificate).to_vec()
    } else if label.contains("sha1") {
        sha1::Sha1::digest(certificate).to_vec()
    } else {
        crate::sm3::hash(certificate).to_vec()
    }
}

/// D1: a certificate signed with SM2-with-SM3 written with NULL parameters; D2: an
/// emailAddress (an IA5String) holding non-ASCII bytes.
fn add_certificate_warnings(role: &str, certificate: &Certificate, report: &mut Report) {
    let non_ascii_email = certificate
        .subject()
        .split(", ")
        .any(|part| part.starts_with("emailAddress=") && !part.is_ascii());
    if non_ascii_email {
        report.push_warning(Warning::new(
            Deviation::NonAsciiIa5String,
            format!("the {role} certificate's emailAddress (an IA5String) holds non-ASCII bytes, read as UTF-8"),
        ));
    }
    let der = certificate.der();
    if der
        .windows(SM2_WITH_SM3_NULL_PARAMS.len())
        .any(|w| w == SM2_WITH_SM3_NULL_PARAMS)
    {
        report.push_warning(Warning::new(
            Deviation::NullAlgorithmParameters,
            format!(
                "the {role} certificate's SM2-with-SM3 algorithm identifier has NULL parameters"
            ),
        ));
    }
}

fn describe_seal(seal: &Seal) -> String {
    format!(
        "esID {:?}, name {:?}, vendor {:?}",
        seal.es_id, seal.name, seal.vid
    )
}
