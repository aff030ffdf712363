//! `hash` and `hmac`.

use std::path::PathBuf;

use clap::Args;
use smtrust::sm3;

use crate::io::{self, Outcome};

/// Print the SM3 digest of the input as hex.
#[derive(Args)]
pub struct Hash {
    /// The data (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
}

impl Hash {
    pub fn run(self) -> Outcome {
        let data = io::read_input(self.input.as_deref())?;
        println!("{}", hex::encode(sm3::hash(&data)));
        Ok(())
    }
}

/// Print the HMAC-SM3 of the input as hex.
#[derive(Args)]
pub struct Hmac {
    /// The key, as hex.
    #[arg(long)]
    key_hex: String,
    /// The data (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
}

impl Hmac {
    pub fn run(self) -> Outcome {
        let key = zeroize::Zeroizing::new(io::hex_arg("key-hex", &self.key_hex)?);
        let data = io::read_input(self.input.as_deref())?;
        println!("{}", hex::encode(sm3::hmac(&key, &data)));
        Ok(())
    }
}
