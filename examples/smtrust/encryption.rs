//! `encrypt`, `decrypt` and `convert`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use smtrust::sm2::{Ciphertext, CiphertextFormat, PublicKey, Signature};

use crate::args::{OutputArgs, PrivateKeyArgs};
use crate::io::{self, Failure, Outcome};

/// Ciphertext layouts on the command line.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    /// GM/T 0009 DER SM2Cipher.
    Der,
    /// 04‖C1‖C3‖C2.
    C1c3c2,
    /// 04‖C1‖C2‖C3.
    C1c2c3,
    /// C1‖C3‖C2 without 04.
    #[value(name = "c1c3c2-no04")]
    C1c3c2No04,
    /// C1‖C2‖C3 without 04.
    #[value(name = "c1c2c3-no04")]
    C1c2c3No04,
    /// Find the layout by decrypting (decrypt only).
    Auto,
}

impl Layout {
    fn format(self) -> Option<CiphertextFormat> {
        match self {
            Self::Der => Some(CiphertextFormat::Der),
            Self::C1c3c2 => Some(CiphertextFormat::C1C3C2),
            Self::C1c2c3 => Some(CiphertextFormat::C1C2C3),
            Self::C1c3c2No04 => Some(CiphertextFormat::C1C3C2NoPrefix),
            Self::C1c2c3No04 => Some(CiphertextFormat::C1C2C3NoPrefix),
            Self::Auto => None,
        }
    }

    fn required(self, what: &str) -> Result<CiphertextFormat, Failure> {
        self.format()
            .ok_or_else(|| Failure::input(format!("{what} needs an explicit format, not auto")))
    }
}

/// Encrypt the input for an SM2 public key.
#[derive(Args)]
pub struct Encrypt {
    /// The recipient's public key.
    #[arg(long)]
    pubkey: PathBuf,
    /// The ciphertext layout.
    #[arg(long, value_enum, default_value = "der")]
    format: Layout,
    /// The plaintext (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

impl Encrypt {
    pub fn run(self) -> Outcome {
        let public: PublicKey = io::load_public_key(&self.pubkey)?;
        let format = self.format.required("encrypt")?;
        let plaintext = io::read_input(self.input.as_deref())?;
        let ciphertext = public.encrypt(&mut getrandom::SysRng, &plaintext)?;
        self.output.write(&ciphertext.to_bytes(format))
    }
}

/// Decrypt an SM2 ciphertext.
#[derive(Args)]
pub struct Decrypt {
    #[command(flatten)]
    key: PrivateKeyArgs,
    /// The ciphertext layout.
    #[arg(long, value_enum, default_value = "auto")]
    format: Layout,
    /// The ciphertext, binary or hex (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// Where to write the plaintext (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Decrypt {
    pub fn run(self) -> Outcome {
        let key = self.key.load()?;
        let ciphertext = io::decode_if_hex(io::read_input(self.input.as_deref())?);
        let plaintext = match self.format.format() {
            Some(format) => key.decrypt(&ciphertext, format)?,
            None => key.decrypt_detecting_format(&ciphertext)?.0,
        };
        io::write_output(self.out.as_deref(), &plaintext, false)
    }
}

/// What `convert` converts.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// An SM2 ciphertext (formats der, c1c3c2, c1c2c3, c1c3c2-no04, c1c2c3-no04).
    Ciphertext,
    /// An SM2 signature (formats der, raw).
    Signature,
}

/// Re-encode a ciphertext or a signature from one layout to another, losslessly.
#[derive(Args)]
pub struct Convert {
    /// What the input is.
    #[arg(long, value_enum, default_value = "ciphertext")]
    kind: Kind,
    /// The input's format.
    #[arg(long)]
    from: String,
    /// The output's format.
    #[arg(long)]
    to: String,
    /// The input, binary or hex (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

impl Convert {
    pub fn run(self) -> Outcome {
        let input = io::decode_if_hex(io::read_input(self.input.as_deref())?);
        let output = match self.kind {
            Kind::Ciphertext => {
                let format = |name: &str| {
                    CiphertextFormat::from_name(name)
                        .ok_or_else(|| Failure::input(format!("unknown ciphertext format {name}")))
                };
                Ciphertext::convert(&input, format(&self.from)?, format(&self.to)?)?
            }
            Kind::Signature => {
                let signature = match self.from.as_str() {
                    "der" => Signature::from_der(&input)?,
                    "raw" => Signature::from_raw(&input)?,
                    other => {
                        return Err(Failure::input(format!("unknown signature format {other}")));
                    }
                };
                match self.to.as_str() {
                    "der" => signature.to_der(),
                    "raw" => signature.to_raw().to_vec(),
                    other => {
                        return Err(Failure::input(format!("unknown signature format {other}")));
                    }
                }
            }
        };
        self.output.write(&output)
    }
}
