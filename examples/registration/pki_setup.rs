//! The demo PKI: a root CA and the certificates issued under it, the time-stamping
//! authority's among them.

use rand_chacha::ChaCha20Rng;
use smtrust::pki::{Certificate, CertificateBuilder};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::tsp::LocalTsa;

/// A key and its certificate.
pub struct Party {
    pub key: SigningKey,
    pub certificate: Certificate,
}

/// The demo PKI.
pub struct DemoPki {
    pub root: Party,
    pub institution: Party,
    pub authority: Party,
    pub seal_maker: Party,
    pub tsa: Party,
}

/// A fresh SM2 key bound to the default ID.
pub fn new_key(rng: &mut ChaCha20Rng) -> Result<SigningKey, Box<dyn std::error::Error>> {
    Ok(SigningKey::new(SecretKey::generate(rng)?, DistId::DEFAULT))
}

impl DemoPki {
    /// Builds the root, the qualified institution, the registration authority, the e-seal
    /// maker and the time-stamping authority (critical extendedKeyUsage timeStamping).
    pub fn build(rng: &mut ChaCha20Rng) -> Result<Self, Box<dyn std::error::Error>> {
        let root_key = new_key(rng)?;
        let root_certificate = CertificateBuilder::ca("C=CN, O=smtrust demo, CN=Demo Root CA", 1)
            .self_signed(&root_key)?;
        let root = Party {
            key: root_key,
            certificate: root_certificate,
        };
        let institution = root.issue(
            rng,
            "C=CN, O=Demo Qualified Institution, CN=Real-name verification",
            2,
        )?;
        let authority = root.issue(
            rng,
            "C=CN, O=Demo Registration Authority, CN=Online registration",
            3,
        )?;
        let seal_maker = root.issue(rng, "C=CN, O=Demo E-Seal Maker, CN=Seal production", 4)?;
        // The TSA key comes from a stream of its own, so that the applicants' draws, and with
        // them the outcomes a seed gives, are those of a PKI without a TSA.
        let mut tsa_rng = rng.clone();
        tsa_rng.set_stream(1);
        let tsa_key = new_key(&mut tsa_rng)?;
        let tsa_certificate = LocalTsa::certificate_builder(
            "C=CN, O=Demo Time-Stamping Authority, CN=Trusted time",
            5,
        )
        .issue(
            tsa_key.verifying_key().public_key(),
            &root.certificate,
            &root.key,
        )?;
        let tsa = Party {
            key: tsa_key,
            certificate: tsa_certificate,
        };
        Ok(Self {
            root,
            institution,
            authority,
            seal_maker,
            tsa,
        })
    }
}

impl Party {
    /// Issues an end-entity certificate for a new key.
    pub fn issue(
        &self,
        rng: &mut ChaCha20Rng,
        subject: &str,
        serial: u64,
    ) -> Result<Party, Box<dyn std::error::Error>> {
        let key = new_key(rng)?;
        let certificate = CertificateBuilder::end_entity(subject, serial).issue(
            key.verifying_key().public_key(),
            &self.certificate,
            &self.key,
        )?;
        Ok(Party { key, certificate })
    }
}
