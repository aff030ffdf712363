//! Checkpoint timestamps: an RFC 3161 token over a signed checkpoint's note, which proves that
//! the checkpoint — and so every entry under it (RFC 9162 §2.1.3) — existed at the token's
//! genTime.

use core::time::Duration;

use rustls_pki_types::UnixTime;

use super::{Error, History, Ledger, Store};
use crate::pki::DigestAlgorithm;
use crate::tsp::{
    self, LocalTsa, TimeStampRequest, TimeStampResponse, TimeStampToken, VerifiedTimestamp,
};

/// A time-stamp request (RFC 3161 §2.4.1) for one stored checkpoint: its message imprint is
/// the hash of the checkpoint's signed note, byte for byte as stored. Only
/// [`Ledger::timestamp_request`] makes one; send [`StampRequest::der`] to a TSA and give its
/// answer to [`Ledger::accept_timestamp`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StampRequest {
    size: u64,
    request: TimeStampRequest,
}

impl StampRequest {
    /// The size of the checkpoint the request is for.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The DER TimeStampReq to send (`Content-Type: application/timestamp-query`).
    pub fn der(&self) -> &[u8] {
        self.request.der()
    }

    /// The request, parsed: imprint algorithm, digest, nonce.
    pub fn request(&self) -> &TimeStampRequest {
        &self.request
    }
}

/// What a bundle's or a history's checkpoint timestamp amounts to.
///
/// A token is never silently trusted: [`CheckpointTimestamp::Unverified`] says that the token
/// matches the checkpoint and its signature holds, but that no TSA trust anchor was given, so
/// its time is only the TSA's claim.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum CheckpointTimestamp {
    /// There is no token.
    Absent,
    /// The token stamps the checkpoint's note and its CMS signature and timeStamping usage
    /// hold, but its TSA was not checked against a trust anchor (none was given).
    Unverified(Box<TimeStampToken>),
    /// The token passed every check of [`tsp::verify_token`] over the checkpoint's note,
    /// its TSA chaining to a given trust anchor at genTime.
    Verified(Box<VerifiedTimestamp>),
}

impl CheckpointTimestamp {
    /// The time the checkpoint is proved to have existed at: genTime of a verified token.
    /// `None` without a token or when its TSA was not verified.
    pub fn trusted_time(&self) -> Option<UnixTime> {
        match self {
            Self::Verified(verified) => Some(verified.gen_time()),
            Self::Absent | Self::Unverified(_) => None,
        }
    }

    /// The genTime the token states, verified or not.
    pub fn claimed_time(&self) -> Option<UnixTime> {
        match self {
            Self::Absent => None,
            Self::Unverified(token) => Some(token.info().gen_time()),
            Self::Verified(verified) => Some(verified.gen_time()),
        }
    }

    /// Checks `token` over the checkpoint `note` of `size` leaves with `options`: a token
    /// whose only failing check is the missing trust anchor is [`Self::Unverified`].
    pub(super) fn check(
        note: &[u8],
        size: u64,
        token: TimeStampToken,
        options: &tsp::VerifyOptions,
    ) -> Result<Self, Error> {
        match token.verify(note, options) {
            Ok(verified) => Ok(Self::Verified(Box::new(verified))),
            Err(tsp::Error::NoTrustAnchors) => Ok(Self::Unverified(Box::new(token))),
            Err(source) => Err(invalid(size, source)),
        }
    }
}

/// `Error::CheckpointTimestampInvalid` for the checkpoint of `size` leaves.
pub(super) fn invalid(size: u64, source: tsp::Error) -> Error {
    Error::CheckpointTimestampInvalid {
        size,
        source: Box::new(source),
    }
}

/// Parses a token and checks it stamps `note` (signature and imprint, no trust anchor).
pub(super) fn parse_for_note(note: &[u8], size: u64, der: &[u8]) -> Result<TimeStampToken, Error> {
    let token = TimeStampToken::from_der(der).map_err(|source| invalid(size, source))?;
    match token.verify(note, &tsp::VerifyOptions::new(Vec::new())) {
        // Without anchors, verification ends at NoTrustAnchors once every other check passed.
        Ok(_) | Err(tsp::Error::NoTrustAnchors) => Ok(token),
        Err(source) => Err(invalid(size, source)),
    }
}

impl<S: Store> Ledger<S> {
    /// The time-stamp request for the stored checkpoint of `size` leaves: the message
    /// imprint is `algorithm` over the checkpoint's signed note ([`DigestAlgorithm::Sm3`]
    /// normally, [`DigestAlgorithm::Sha256`] for a TSA without SM3), with `nonce` (a large
    /// random number, RFC 3161 §2.4.1) and certReq set. No network: send
    /// [`StampRequest::der`] and hand the answer to [`Ledger::accept_timestamp`].
    ///
    /// Errors: [`Error::CheckpointNotStored`], and the checkpoint's signature check.
    pub fn timestamp_request(
        &self,
        size: u64,
        algorithm: DigestAlgorithm,
        nonce: &[u8],
    ) -> Result<StampRequest, Error> {
        self.stamp_request(size, algorithm, Some(nonce))
    }

    /// Checks a TSA's answer to `request` — a DER TimeStampResp or a bare TimeStampToken —
    /// and stores its token with the checkpoint ([`Store::set_checkpoint_token`]).
    ///
    /// The token must stamp the checkpoint's signed note with the request's algorithm
    /// (RFC 3161 §2.4.2 messageImprint), repeat the request's nonce (§2.4.2), carry a valid
    /// CMS signature with the ESS signingCertificate binding (§2.4.1, RFC 5816) and a TSA
    /// certificate with the critical timeStamping usage alone (§2.3). Whether that TSA is
    /// trusted is for whoever verifies the bundle to judge, with their own anchors
    /// ([`EvidenceBundle::verify_with_tsa`](super::EvidenceBundle::verify_with_tsa)).
    ///
    /// Errors: [`Error::CheckpointTimestampInvalid`] with the [`tsp::Error`] that failed
    /// (e.g. [`tsp::Error::ImprintMismatch`] for a token over another checkpoint,
    /// [`tsp::Error::NonceMismatch`], [`tsp::Error::NotGranted`] for a refusal); nothing is
    /// stored then.
    pub fn accept_timestamp(
        &self,
        request: &StampRequest,
        reply: &[u8],
    ) -> Result<TimeStampToken, Error> {
        let size = request.size;
        let note = self.checkpoint_at(size)?.note().to_vec();
        let token = token_of_reply(reply).map_err(|source| invalid(size, source))?;
        let mut options = tsp::VerifyOptions::new(Vec::new());
        if let Some(nonce) = request.request.nonce() {
            options = options.nonce(nonce);
        }
        let algorithm = request.request.algorithm();
        match token.verify_digest(algorithm, &algorithm.digest(&note), &options) {
            // Without anchors, verification ends at NoTrustAnchors once every other check
            // passed.
            Ok(_) | Err(tsp::Error::NoTrustAnchors) => {}
            Err(source) => return Err(invalid(size, source)),
        }
        self.store().set_checkpoint_token(size, token.der())?;
        Ok(token)
    }

    /// Has the in-process `tsa` stamp the stored checkpoint of `size` leaves at `at` (SM3
    /// imprint, through a request and a response as an external TSA would), and stores the
    /// token as [`Ledger::accept_timestamp`] does.
    pub fn stamp_checkpoint(
        &self,
        size: u64,
        tsa: &LocalTsa<'_>,
        at: UnixTime,
    ) -> Result<TimeStampToken, Error> {
        let request = self.stamp_request(size, DigestAlgorithm::Sm3, None)?;
        let response = tsa
            .respond(request.der(), Duration::from_secs(at.as_secs()))
            .map_err(|source| invalid(size, source))?;
        self.accept_timestamp(&request, response.der())
    }

    /// The stored token of the checkpoint of `size` leaves, if any, checked to stamp that
    /// checkpoint (its TSA is not checked against any trust anchor).
    pub fn checkpoint_token(&self, size: u64) -> Result<Option<TimeStampToken>, Error> {
        let Some(der) = self.store().checkpoint_token(size)? else {
            return Ok(None);
        };
        let note = self.checkpoint_at(size)?.note().to_vec();
        parse_for_note(&note, size, &der).map(Some)
    }

    fn stamp_request(
        &self,
        size: u64,
        algorithm: DigestAlgorithm,
        nonce: Option<&[u8]>,
    ) -> Result<StampRequest, Error> {
        let checkpoint = self.checkpoint_at(size)?;
        let mut builder = TimeStampRequest::builder(algorithm, checkpoint.note());
        if let Some(nonce) = nonce {
            builder = builder.nonce(nonce);
        }
        let request = builder.build().map_err(|source| invalid(size, source))?;
        Ok(StampRequest { size, request })
    }
}

/// The token of a DER TimeStampResp (which must grant one) or a bare TimeStampToken, told
/// apart by the first field: a ContentInfo starts with its content type (an OBJECT
/// IDENTIFIER), a TimeStampResp with PKIStatusInfo (a SEQUENCE).
fn token_of_reply(reply: &[u8]) -> Result<TimeStampToken, tsp::Error> {
    const OBJECT_IDENTIFIER: u8 = 0x06;
    let outer = <der::asn1::AnyRef<'_> as der::Decode>::from_der(reply).map_err(|err| {
        tsp::Error::Malformed {
            what: "TimeStampResp or TimeStampToken",
            reason: err.to_string(),
        }
    })?;
    if outer.value().first() == Some(&OBJECT_IDENTIFIER) {
        TimeStampToken::from_der(reply)
    } else {
        TimeStampResponse::from_der(reply)?.into_token()
    }
}

impl History {
    /// The same history with `token` as its checkpoint's timestamp, after checking that the
    /// token stamps the checkpoint's signed note (signature and imprint; trust is for the
    /// bundle's verifier): e.g. a regulator's retrieval, whose checkpoint is stamped once the
    /// retrieval is committed.
    pub fn with_checkpoint_token(mut self, token: &TimeStampToken) -> Result<Self, Error> {
        let size = self.checkpoint().size();
        let checked = parse_for_note(self.checkpoint().note(), size, token.der())?;
        self.set_checkpoint_token(Some(checked));
        Ok(self)
    }
}
