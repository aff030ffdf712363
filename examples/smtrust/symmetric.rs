//! `sm4`: encrypt or decrypt with SM4 in any mode, streaming the input where the mode allows.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use smtrust::sm4::{
    self, CbcDecryptor, CbcEncryptor, CfbDecryptor, CfbEncryptor, Ctr, EcbDecryptor, EcbEncryptor,
    Key, Nonce, Ofb, Padding,
};
use zeroize::Zeroizing;

use crate::io::{self, Failure, Outcome};

/// How much input the streaming modes read at a time.
const CHUNK_LEN: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    Ecb,
    Cbc,
    Ctr,
    Cfb,
    Ofb,
    Gcm,
    Ccm,
}

/// Encrypt or decrypt with SM4 (GB/T 32907). ECB and CBC use PKCS#7 padding unless
/// `--no-padding`; GCM and CCM write ciphertext‖tag and read the same.
#[derive(Args)]
pub struct Sm4 {
    /// Encrypt.
    #[arg(long, conflicts_with = "decrypt", required_unless_present = "decrypt")]
    encrypt: bool,
    /// Decrypt.
    #[arg(long)]
    decrypt: bool,
    /// The mode.
    #[arg(long, value_enum)]
    mode: Mode,
    /// The 16-byte key, as hex.
    #[arg(long)]
    key_hex: String,
    /// The IV (16 bytes) or, for GCM and CCM, the nonce (12 bytes), as hex.
    #[arg(long)]
    iv_hex: Option<String>,
    /// Additional authenticated data for GCM and CCM, as hex.
    #[arg(long)]
    aad_hex: Option<String>,
    /// ECB and CBC: no padding (the input must be whole blocks).
    #[arg(long)]
    no_padding: bool,
    /// The input (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// Where to write the output (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Sm4 {
    pub fn run(self) -> Outcome {
        let key_bytes = Zeroizing::new(io::hex_arg("key-hex", &self.key_hex)?);
        let key = Key::from_slice(&key_bytes).map_err(Failure::input)?;
        match self.mode {
            Mode::Gcm | Mode::Ccm => self.run_aead(&key),
            _ => self.run_streaming(&key),
        }
    }

    fn iv(&self) -> Result<[u8; sm4::BLOCK_LEN], Failure> {
        let iv = self
            .iv_hex
            .as_deref()
            .ok_or_else(|| Failure::input("this mode needs --iv-hex"))?;
        io::hex_arg("iv-hex", iv)?
            .try_into()
            .map_err(|_| Failure::input("--iv-hex must be 16 bytes"))
    }

    fn padding(&self) -> Padding {
        if self.no_padding {
            Padding::None
        } else {
            Padding::Pkcs7
        }
    }

    fn run_aead(&self, key: &Key) -> Outcome {
        let nonce_hex = self
            .iv_hex
            .as_deref()
            .ok_or_else(|| Failure::input("GCM and CCM need --iv-hex (the 12-byte nonce)"))?;
        let nonce = Nonce::try_assume_unique_for_key(&io::hex_arg("iv-hex", nonce_hex)?)
            .map_err(Failure::input)?;
        let aad = match &self.aad_hex {
            Some(aad) => io::hex_arg("aad-hex", aad)?,
            None => Vec::new(),
        };
        let input = io::read_input(self.input.as_deref())?;
        let output = match (self.mode, self.encrypt) {
            (Mode::Gcm, true) => sm4::gcm_seal(key, nonce, &aad, &input),
            (Mode::Gcm, false) => sm4::gcm_open(key, nonce, &aad, &input),
            (_, true) => sm4::ccm_seal(key, nonce, &aad, &input),
            (_, false) => sm4::ccm_open(key, nonce, &aad, &input),
        };
        match output {
            Ok(output) => io::write_output(self.out.as_deref(), &output, false),
            Err(sm4::Error::AuthenticationFailed) => Err(Failure::verification(
                "the authentication tag does not match",
            )),
            Err(err) => Err(Failure::input(err)),
        }
    }

    fn run_streaming(&self, key: &Key) -> Outcome {
        let mut transform = self.stream(key)?;
        let mut reader: Box<dyn Read> = match self.input.as_deref() {
            Some(path) if path != std::path::Path::new("-") => Box::new(
                std::fs::File::open(path)
                    .map_err(|err| Failure::input(format!("{}: {err}", path.display())))?,
            ),
            _ => Box::new(std::io::stdin().lock()),
        };
        let mut writer = io::open_output(self.out.as_deref())?;
        let mut chunk = vec![0u8; CHUNK_LEN];
        let mut output = Vec::with_capacity(CHUNK_LEN + sm4::BLOCK_LEN);
        loop {
            let read = reader.read(&mut chunk)?;
            if read == 0 {
                break;
            }
            output.clear();
            transform.update(&mut chunk[..read], &mut output);
            writer.write_all(&output)?;
        }
        output.clear();
        transform.finish(&mut output).map_err(Failure::input)?;
        writer.write_all(&output)?;
        writer.flush()?;
        Ok(())
    }

    fn stream<'k>(&self, key: &'k Key) -> Result<Stream<'k>, Failure> {
        let padding = self.padding();
        Ok(match (self.mode, self.encrypt) {
            (Mode::Ecb, true) => Stream::EcbEncrypt(EcbEncryptor::new(key, padding)),
            (Mode::Ecb, false) => Stream::EcbDecrypt(EcbDecryptor::new(key, padding)),
            (Mode::Cbc, true) => Stream::CbcEncrypt(CbcEncryptor::new(key, &self.iv()?, padding)),
            (Mode::Cbc, false) => Stream::CbcDecrypt(CbcDecryptor::new(key, &self.iv()?, padding)),
            (Mode::Ctr, _) => Stream::Ctr(Ctr::new(key, &self.iv()?)),
            (Mode::Ofb, _) => Stream::Ofb(Ofb::new(key, &self.iv()?)),
            (Mode::Cfb, true) => Stream::CfbEncrypt(CfbEncryptor::new(key, &self.iv()?)),
            (Mode::Cfb, false) => Stream::CfbDecrypt(CfbDecryptor::new(key, &self.iv()?)),
            (Mode::Gcm | Mode::Ccm, _) => {
                return Err(Failure::input("GCM and CCM do not stream"));
            }
        })
    }
}

/// One streaming SM4 transform, whatever the mode.
enum Stream<'k> {
    EcbEncrypt(EcbEncryptor<'k>),
    EcbDecrypt(EcbDecryptor<'k>),
    CbcEncrypt(CbcEncryptor<'k>),
    CbcDecrypt(CbcDecryptor<'k>),
    Ctr(Ctr<'k>),
    Ofb(Ofb<'k>),
    CfbEncrypt(CfbEncryptor<'k>),
    CfbDecrypt(CfbDecryptor<'k>),
}

impl Stream<'_> {
    fn update(&mut self, input: &mut [u8], output: &mut Vec<u8>) {
        match self {
            Self::EcbEncrypt(mode) => mode.update(input, output),
            Self::EcbDecrypt(mode) => mode.update(input, output),
            Self::CbcEncrypt(mode) => mode.update(input, output),
            Self::CbcDecrypt(mode) => mode.update(input, output),
            Self::Ctr(mode) => {
                mode.apply_keystream(input);
                output.extend_from_slice(input);
            }
            Self::Ofb(mode) => {
                mode.apply_keystream(input);
                output.extend_from_slice(input);
            }
            Self::CfbEncrypt(mode) => {
                mode.encrypt(input);
                output.extend_from_slice(input);
            }
            Self::CfbDecrypt(mode) => {
                mode.decrypt(input);
                output.extend_from_slice(input);
            }
        }
    }

    fn finish(self, output: &mut Vec<u8>) -> Result<(), sm4::Error> {
        match self {
            Self::EcbEncrypt(mode) => mode.finish(output),
            Self::EcbDecrypt(mode) => mode.finish(output),
            Self::CbcEncrypt(mode) => mode.finish(output),
            Self::CbcDecrypt(mode) => mode.finish(output),
            Self::Ctr(_) | Self::Ofb(_) | Self::CfbEncrypt(_) | Self::CfbDecrypt(_) => Ok(()),
        }
    }
}
