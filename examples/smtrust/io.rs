//! Input and output for the CLI: files or stdin/stdout, PEM or DER detection, hex output, and
//! the exit statuses of the CLI contract.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

use smtrust::sm2::{DistId, PublicKey, SecretKey};

/// The exit statuses of the CLI contract (DESIGN.md): 0 success, 1 verification failed,
/// 2 usage or input error. Status 3 (indeterminate) belongs to the certificate and seal
/// commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success = 0,
    VerificationFailed = 1,
    InputError = 2,
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
