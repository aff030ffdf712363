//! The RFC 3161 target.

use smtrust::tsp::{TimeStampRequest, TimeStampResponse, TimeStampToken, VerifyOptions};

/// RFC 3161 token, response and request parsing, and token verification, must return, never
/// panic, for any input.
pub fn tsp_token(data: &[u8]) {
    if let Ok(token) = TimeStampToken::from_der(data) {
        assert_eq!(token.der(), data);
        let _ = (token.info().gen_time(), token.info().serial_hex());
        let _ = token.verify(b"data", &VerifyOptions::new(Vec::new()));
    }
    if let Ok(response) = TimeStampResponse::from_der(data) {
        assert_eq!(response.der(), data);
        let _ = response.into_token();
    }
    if let Ok(request) = TimeStampRequest::from_der(data) {
        assert_eq!(request.der(), data);
    }
}
