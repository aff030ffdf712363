//! Input and output for the CLI: files or stdin/stdout, PEM or DER detection, hex output, and
//! the exit statuses of the CLI contract.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

use smtrust::pki::{Certificate, Crl};
use smtrust::sm2::{DistId, PublicKey, SecretKey};

/// The exit statuses of the CLI contract (DESIGN.md): 0 success, 1 verification failed,
/// 2 usage or input error, 3 indeterminate (nothing wrong found, but not everything could be
/// checked, or the verdict is "suspicious").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success = 0,
    VerificationFailed = 1,
    InputError = 2,
    Indeterminate = 3,
}

/// A failure with the status it exits with and a one-line reason for stderr.
#[derive(Debug)]
pub struct Failure {
    pub status: Status,
    pub reason: String,
}

impl Failure {
    pub fn input(reason: impl fmt::Display) -> Self {
        Self {
            status: Status::InputError,
            reason: reason.to_string(),
        }
    }

    pub fn verification(reason: impl fmt::Display) -> Self {
        Self {
            status: Status::VerificationFailed,
            reason: reason.to_string(),
        }
    }

    pub fn indeterminate(reason: impl fmt::Display) -> Self {
        Self {
            status: Status::Indeterminate,
            reason: reason.to_string(),
        }
    }
}

impl From<smtrust::sm2::Error> for Failure {
    fn from(err: smtrust::sm2::Error) -> Self {
        Self::input(err)
    }
}

impl From<smtrust::sm4::Error> for Failure {
    fn from(err: smtrust::sm4::Error) -> Self {
        Self::input(err)
    }
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Self {
        Self::input(err)
    }
}

pub type Outcome = Result<(), Failure>;

/// Reads all of `path`, or standard input when it is `None` or `-`.
pub fn read_input(path: Option<&Path>) -> Result<Vec<u8>, Failure> {
    let mut data = Vec::new();
    match path {
        Some(path) if path != Path::new("-") => {
            data = std::fs::read(path)
                .map_err(|err| Failure::input(format!("{}: {err}", path.display())))?;
        }
        _ => {
            std::io::stdin().read_to_end(&mut data)?;
        }
    }
    Ok(data)
}

/// Opens `path` for writing, or standard output when it is `None` or `-`.
pub fn open_output(path: Option<&Path>) -> Result<Box<dyn Write>, Failure> {
    match path {
        Some(path) if path != Path::new("-") => {
            let file = std::fs::File::create(path)
                .map_err(|err| Failure::input(format!("{}: {err}", path.display())))?;
            Ok(Box::new(std::io::BufWriter::new(file)))
        }
        _ => Ok(Box::new(std::io::stdout().lock())),
    }
}

/// Writes `data` raw, or as one line of lower-case hex when `hex` is set.
pub fn write_output(path: Option<&Path>, data: &[u8], hex: bool) -> Outcome {
    let mut out = open_output(path)?;
    if hex {
        writeln!(out, "{}", hex::encode(data))?;
    } else {
        out.write_all(data)?;
    }
    out.flush()?;
    Ok(())
}

/// Reads a file that may be raw bytes or hex text (what `--hex` writes).
pub fn read_bytes_or_hex(path: &Path) -> Result<Vec<u8>, Failure> {
    let data = read_input(Some(path))?;
    Ok(decode_if_hex(data))
}

/// Hex text (with an optional trailing newline) is decoded; anything else is returned as is.
pub fn decode_if_hex(data: Vec<u8>) -> Vec<u8> {
    let trimmed = data.trim_ascii();
    let looks_hex = !trimmed.is_empty()
        && trimmed.len().is_multiple_of(2)
        && trimmed.iter().all(u8::is_ascii_hexdigit);
    if looks_hex {
        hex::decode(trimmed).unwrap_or(data)
    } else {
        data
    }
}

fn is_pem(data: &[u8]) -> bool {
    data.trim_ascii_start().starts_with(b"-----BEGIN ")
}

/// Loads a private key from PEM (PKCS#8, SEC1, OpenSSL's SM2 label, or encrypted PKCS#8 with
/// `password`) or DER (PKCS#8 or SEC1).
pub fn load_secret_key(path: &Path, password: Option<&str>) -> Result<SecretKey, Failure> {
    let data = read_input(Some(path))?;
    let key = if is_pem(&data) {
        let text =
            String::from_utf8(data).map_err(|_| Failure::input("the PEM file is not text"))?;
        if text.contains("ENCRYPTED PRIVATE KEY") {
            let password =
                password.ok_or_else(|| Failure::input("the key is encrypted: give --pass"))?;
            SecretKey::from_pkcs8_encrypted_pem(&text, password.as_bytes())?
        } else {
            SecretKey::from_pem(&text)?
        }
    } else if let Some(password) = password {
        SecretKey::from_pkcs8_encrypted_der(&data, password.as_bytes())?
    } else {
        SecretKey::from_der(&data)?
    };
    Ok(key)
}

/// Loads a public key from PEM or DER SPKI, or a raw SEC1 point (binary or hex).
pub fn load_public_key(path: &Path) -> Result<PublicKey, Failure> {
    let data = read_input(Some(path))?;
    if is_pem(&data) {
        let text =
            String::from_utf8(data).map_err(|_| Failure::input("the PEM file is not text"))?;
        return Ok(PublicKey::from_pem(&text)?);
    }
    let data = decode_if_hex(data);
    PublicKey::from_spki_der(&data)
        .or_else(|_| PublicKey::from_sec1_bytes(&data))
        .map_err(|err| Failure::input(format!("{}: not a public key: {err}", path.display())))
}

/// The distinguishing ID from `--id` or `--id-hex`, defaulting to `1234567812345678`.
pub fn dist_id(id: Option<&str>, id_hex: Option<&str>) -> Result<DistId, Failure> {
    match (id, id_hex) {
        (Some(_), Some(_)) => Err(Failure::input("give --id or --id-hex, not both")),
        (Some(text), None) => Ok(DistId::new(text.as_bytes().to_vec())?),
        (None, Some(hex_text)) => {
            let bytes =
                hex::decode(hex_text).map_err(|err| Failure::input(format!("--id-hex: {err}")))?;
            Ok(DistId::new(bytes)?)
        }
        (None, None) => Ok(DistId::DEFAULT),
    }
}

/// Decodes a `--…-hex` argument.
pub fn hex_arg(name: &str, value: &str) -> Result<Vec<u8>, Failure> {
    hex::decode(value.trim()).map_err(|err| Failure::input(format!("--{name}: {err}")))
}

/// Loads a certificate from PEM or DER.
pub fn load_certificate(path: &Path) -> Result<Certificate, Failure> {
    let data = read_input(Some(path))?;
    let parsed = if is_pem(&data) {
        let text = std::str::from_utf8(&data)
            .map_err(|_| Failure::input(format!("{}: the PEM file is not text", path.display())))?;
        Certificate::from_pem(text)
    } else {
        Certificate::from_der(&data)
    };
    parsed.map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

/// Loads a CRL from PEM or DER.
pub fn load_crl(path: &Path) -> Result<Crl, Failure> {
    let data = read_input(Some(path))?;
    let parsed = if is_pem(&data) {
        let text = std::str::from_utf8(&data)
            .map_err(|_| Failure::input(format!("{}: the PEM file is not text", path.display())))?;
        Crl::from_pem(text)
    } else {
        Crl::from_der(&data)
    };
    parsed.map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

/// Seconds since the Unix epoch from `--at` (RFC 3339, e.g. `2030-06-01T00:00:00Z` or
/// `2030-06-01T08:00:00+08:00`; fractions of a second are ignored), or the clock when absent.
pub fn unix_seconds(at: Option<&str>) -> Result<u64, Failure> {
    match at {
        Some(text) => parse_rfc3339(text)
            .ok_or_else(|| Failure::input(format!("--at: not an RFC 3339 time: {text}"))),
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .map_err(|_| Failure::input("the system clock is before 1970")),
    }
}

fn parse_rfc3339(text: &str) -> Option<u64> {
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut date_parts = date.split('-');
    let year: i64 = number(date_parts.next()?, 4)?;
    let month: i64 = number(date_parts.next()?, 2)?;
    let day: i64 = number(date_parts.next()?, 2)?;
    if date_parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset_seconds) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let split = rest.rfind(['+', '-'])?;
        let (clock, offset) = rest.split_at(split);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = offset.get(1..)?.split_once(':')?;
        let offset = number(hours, 2)? * 3600 + number(minutes, 2)? * 60;
        (clock, sign * offset)
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, _)| whole);
    let mut clock_parts = clock.split(':');
    let hour: i64 = number(clock_parts.next()?, 2)?;
    let minute: i64 = number(clock_parts.next()?, 2)?;
    let second: i64 = number(clock_parts.next()?, 2)?;
    if clock_parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset_seconds;
    u64::try_from(seconds).ok()
}

fn number(text: &str, digits: usize) -> Option<i64> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The UTC calendar date `(year, month, day)` of a number of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u8, day as u8)
}
