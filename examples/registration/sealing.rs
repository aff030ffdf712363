//! The registration authority's electronic seal and the demo's trusted time: one GB/T 38540
//! v4 seal per run, made by the e-seal maker and listing the authority's certificate; each
//! applicant's signed application form sealed by the authority; the seal signature value
//! time-stamped (RFC 3161, SM2) by a local TSA, the token embedded in the seal signature's
//! `timeStamp` field; the signed form time-stamped beside it; the TSA also stamps ledger
//! checkpoints.

use std::time::Duration;

use smtrust::pki::{Certificate, DigestAlgorithm, UnixTime};
use smtrust::seal::{Picture, PictureFormat, Seal, SealBuilder, SealSignature, SignatureBuilder};
use smtrust::tsp::{LocalTsa, TimeStampToken};

use crate::pki_setup::DemoPki;

/// The seal's identifier (esID).
const SEAL_ID: &str = "31000020260001";
/// The seal's name, as printed on the stamp.
const SEAL_NAME: &str = "Demo Registration Authority 登记专用章";
/// The demo TSA's policy: a made-up OID, as the library's own examples use (a real TSA has
/// one registered under its organisation's arc).
const TSA_POLICY: &str = "1.2.3.4.1";
/// How long the seal is valid after it is made: five years.
const SEAL_VALIDITY_SECS: u64 = 5 * 365 * 86_400;
/// The stamp picture: a red ring around a star, 40 mm across.
const PICTURE: &str = concat!(
    r##"<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="40mm" viewBox="0 0 100 100">"##,
    r##"<circle cx="50" cy="50" r="46" fill="none" stroke="#d00000" stroke-width="4"/>"##,
    r##"<text x="50" y="62" font-size="36" text-anchor="middle" fill="#d00000">★</text></svg>"##,
);

fn time(secs: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(secs))
}

/// What a sealed application leaves beside its ledger entries, for whoever later needs to
/// show it: the signed form, the authority's seal signature over it (carrying its own
/// timestamp), and the form's timestamp.
pub struct Evidence {
    /// The applicant's CMS SignedData (GM/T 0010) over the application form, DER.
    pub form: Vec<u8>,
    /// The authority's seal signature over `form`, its `timeStamp` field holding the token
    /// over its signature value.
    pub seal_signature: SealSignature,
    /// The timestamp over `form`, which holds the applicant's signature value.
    pub form_token: TimeStampToken,
}

/// The registration authority's seal and the TSA it asks for trusted time.
pub struct Authority<'a> {
    pki: &'a DemoPki,
    seal: Seal,
    tsa: LocalTsa<'a>,
}

impl<'a> Authority<'a> {
    /// Has the e-seal maker make the authority's v4 seal, valid from `at`, and sets up the
    /// TSA.
    pub fn new(pki: &'a DemoPki, at: u64) -> Result<Self, Box<dyn std::error::Error>> {
        let picture = Picture::new(PictureFormat::Svg, PICTURE.as_bytes().to_vec(), 40, 40);
        let seal = SealBuilder::new(
            SEAL_ID,
            SEAL_NAME,
            picture,
            time(at),
            time(at + SEAL_VALIDITY_SECS),
        )
        .signer(&pki.authority.certificate)
        .make_v4(&pki.seal_maker.key, &pki.seal_maker.certificate)?;
        let tsa = LocalTsa::new(&pki.tsa.key, pki.tsa.certificate.clone(), TSA_POLICY)?;
        Ok(Self { pki, seal, tsa })
    }

    /// The authority's seal.
    pub fn seal(&self) -> &Seal {
        &self.seal
    }

    /// The TSA's certificate.
    pub fn tsa_certificate(&self) -> &Certificate {
        self.tsa.certificate()
    }

    /// The TSA, which also stamps the ledger's checkpoints.
    pub fn tsa(&self) -> &LocalTsa<'a> {
        &self.tsa
    }

    /// Seals the signed form of `serial` at `at` (dataHash = SM3 of the SignedData DER), the
    /// seal signature value time-stamped into the signature itself, and has the form
    /// time-stamped.
    pub fn seal_form(
        &self,
        serial: &str,
        form: Vec<u8>,
        at: u64,
    ) -> Result<Evidence, Box<dyn std::error::Error>> {
        let authority = &self.pki.authority;
        let seal_signature = SignatureBuilder::new(&self.seal, time(at))
            .document(&form)
            .property_info(&format!("registration/{serial}/application-form.p7"))
            .sign_timestamped(&authority.key, &authority.certificate, |value| {
                self.tsa
                    .stamp(DigestAlgorithm::Sm3, value, time(at))
                    .map(|token| token.der().to_vec())
            })?;
        let form_token = self.tsa.stamp(DigestAlgorithm::Sm3, &form, time(at))?;
        Ok(Evidence {
            form,
            seal_signature,
            form_token,
        })
    }
}
