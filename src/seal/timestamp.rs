//! The `timestamp` check: an RFC 3161 token over a signature value, verified with
//! [`tsp::verify_token`](crate::tsp::verify_token), whose genTime then becomes the time at
//! which the certificates and the seal's validity are checked.

use rustls_pki_types::UnixTime;

use super::report::{Check, CheckName};
use super::time::display;
use crate::pki::Certificate;
use crate::tsp;

/// The outcome of the timestamp check: its report line, and genTime when the token verified.
pub(super) struct Stamped {
    pub(super) check: Check,
    pub(super) gen_time: Option<UnixTime>,
}

impl Stamped {
    /// The same line, with genTime dropped: for a token that does not date the signature
    /// (a v5 seal's own token, made when the seal was).
    pub(super) fn without_time(self) -> Self {
        Self {
            check: self.check,
            gen_time: None,
        }
    }
}

/// Verifies `token` (if any) over `value`, the signature value it stamps (`what` names it in
/// the report), with TSA certificates chaining to `anchors` through `intermediates`.
pub(super) fn check(
    token: Option<&[u8]>,
    value: &[u8],
    what: &str,
    anchors: &[Certificate],
    intermediates: &[Certificate],
) -> Stamped {
    let name = CheckName::Timestamp;
    let Some(token) = token else {
        return Stamped {
            check: Check::not_checked(name, "no timestamp"),
            gen_time: None,
        };
    };
    if anchors.is_empty() {
        return Stamped {
            check: Check::not_checked(
                name,
                format!(
                    "a token ({} bytes) over {what} is present, but no trust anchor for TSAs was given",
                    token.len()
                ),
            ),
            gen_time: None,
        };
    }
    let options = tsp::VerifyOptions::new(anchors.to_vec()).intermediates(intermediates.to_vec());
    match tsp::verify_token(token, value, &options) {
        Ok(verified) => Stamped {
            check: Check::pass(
                name,
                format!(
                    "the token over {what} verifies: genTime {}, TSA {} chaining to {}, serial {}",
                    display(verified.gen_time()),
                    verified.tsa_certificate().subject(),
                    verified.path().trust_anchor().subject(),
                    verified.serial_hex()
                ),
            ),
            gen_time: Some(verified.gen_time()),
        },
        Err(error) => Stamped {
            check: Check::fail(
                name,
                format!("the token over {what} does not verify: {error}"),
            ),
            gen_time: None,
        },
    }
}
