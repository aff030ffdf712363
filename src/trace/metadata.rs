//! The log's name and public key, kept in a store's metadata so that tools can check a
//! store without being handed the key.

use super::{Error, LogVerifier, Store};
use crate::sm2::PublicKey;

/// The metadata name under which the log's name (its checkpoints' origin) is kept, UTF-8.
const LOG_NAME: &str = "log-name";

/// The metadata name under which the log's public key is kept, SPKI DER.
const LOG_KEY: &str = "log-key";

/// Records `log`'s name and key in `store` if it records none; refuses a store that records
/// another log.
pub(super) fn record_log<S: Store>(store: &S, log: &LogVerifier) -> Result<(), Error> {
    let key = log.public_key().to_spki_der();
    for (what, name, value) in [
        ("log name", LOG_NAME, log.name().as_bytes()),
        ("log public key", LOG_KEY, key.as_slice()),
    ] {
        match store.metadata(name)? {
            None => store.set_metadata(name, value)?,
            Some(stored) if stored == value => {}
            Some(stored) => {
                return Err(Error::LogMetadataMismatch {
                    what,
                    stored: shown(&stored, name),
                    given: shown(value, name),
                });
            }
        }
    }
    Ok(())
}

/// A metadata value as text for a message: the name as is, the key as hex.
fn shown(value: &[u8], name: &str) -> String {
    if name == LOG_NAME {
        String::from_utf8_lossy(value).into_owned()
    } else {
        hex::encode(value)
    }
}

impl LogVerifier {
    /// The verifier of the log whose name and public key `store` records (a
    /// [`Ledger`](super::Ledger) records them when it opens the store).
    ///
    /// The store is not a trusted source of its own key: whoever altered the log could have
    /// replaced the key too. Compare [`LogVerifier::key_hash`] or the key itself with a copy
    /// published by the log's operator before relying on what this verifier accepts.
    pub fn recorded_in<S: Store>(store: &S) -> Result<Self, Error> {
        let name = store
            .metadata(LOG_NAME)?
            .ok_or(Error::LogMetadataMissing { what: "log name" })?;
        let key = store.metadata(LOG_KEY)?.ok_or(Error::LogMetadataMissing {
            what: "log public key",
        })?;
        let name = String::from_utf8(name).map_err(|err| Error::LogMetadataUnreadable {
            what: "log name",
            reason: err.to_string(),
        })?;
        let key = PublicKey::from_spki_der(&key).map_err(|err| Error::LogMetadataUnreadable {
            what: "log public key",
            reason: err.to_string(),
        })?;
        Self::new(&name, key)
    }
}
