//! `seal make | sign | verify | show`: electronic seals (GB/T 38540 v4, GM/T 0031 v1/v5).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::json;
use smtrust::pki::UnixTime;
use smtrust::seal::{
    CertList, Picture, PictureFormat, Report, Seal, SealBuilder, SealSignature, SignatureBuilder,
    Status, TimeInfo, Verdict, VerifyOptions, verify_der,
};
use smtrust::sm2::{DistId, SigningKey};

use crate::io::{self, Failure, Outcome};

/// Electronic seals: make, sign, verify and show.
#[derive(Args)]
pub struct SealCommand {
    #[command(subcommand)]
    command: SealSubcommand,
}

#[derive(Subcommand)]
enum SealSubcommand {
    Make(Make),
    Sign(Sign),
    Verify(Verify),
    Show(Show),
}

impl SealCommand {
    pub fn run(self) -> Outcome {
        match self.command {
            SealSubcommand::Make(command) => command.run(),
            SealSubcommand::Sign(command) => command.run(),
            SealSubcommand::Verify(command) => command.run(),
            SealSubcommand::Show(command) => command.run(),
        }
    }
}

/// Make a seal (GB/T 38540 v4 by default, GM/T 0031-2014 v1 with --v1), DER on --out.
#[derive(Args)]
struct Make {
    /// The seal maker's private key.
    #[arg(long)]
    maker_key: PathBuf,
    /// Password of an encrypted maker key.
    #[arg(long)]
    pass: Option<String>,
    /// The seal maker's certificate.
    #[arg(long)]
    maker_cert: PathBuf,
    /// A certificate allowed to sign with the seal (repeatable, at least one).
    #[arg(long, required = true)]
    signer_cert: Vec<PathBuf>,
    /// The stamp picture (PNG, JPG, GIF, BMP, SVG, or an OFD package).
    #[arg(long)]
    picture: PathBuf,
    /// The picture type (default: recognised from the bytes).
    #[arg(long)]
    picture_type: Option<String>,
    /// Display width in millimetres.
    #[arg(long, default_value_t = 40)]
    width: i64,
    /// Display height in millimetres.
    #[arg(long, default_value_t = 40)]
    height: i64,
    /// The seal's identifier (esID, ASCII).
    #[arg(long)]
    id: String,
    /// The seal's name.
    #[arg(long)]
    name: String,
    /// The business-defined seal type.
    #[arg(long = "type", default_value_t = 1)]
    seal_type: i64,
    /// The vendor identifier.
    #[arg(long)]
    vendor: Option<String>,
    /// Start of validity, RFC 3339.
    #[arg(long)]
    valid_from: String,
    /// End of validity, RFC 3339.
    #[arg(long)]
    valid_to: String,
    /// Creation time, RFC 3339 (default: --valid-from).
    #[arg(long)]
    created: Option<String>,
    /// Write the older GM/T 0031-2014 format.
    #[arg(long)]
    v1: bool,
    /// Where to write the seal (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Make {
    fn run(self) -> Outcome {
        let maker_key = SigningKey::new(
            io::load_secret_key(&self.maker_key, self.pass.as_deref())?,
            DistId::DEFAULT,
        );
        let maker_cert = io::load_certificate(&self.maker_cert)?;
        let data = io::read_input(Some(&self.picture))?;
        let format = match &self.picture_type {
            Some(name) => PictureFormat::from_name(name)
                .ok_or_else(|| Failure::input(format!("--picture-type: unknown type {name}")))?,
            None => PictureFormat::sniff(&data).ok_or_else(|| {
                Failure::input(format!(
                    "{}: not a PNG, JPG, GIF, BMP, SVG or OFD file (give --picture-type)",
                    self.picture.display()
                ))
            })?,
        };
        let picture = Picture::new(format, data, self.width, self.height);
        let valid_start = time(Some(&self.valid_from), "valid-from")?;
        let mut builder = SealBuilder::new(
            &self.id,
            &self.name,
            picture,
            valid_start,
            time(Some(&self.valid_to), "valid-to")?,
        )
        .seal_type(self.seal_type)
        .created(match &self.created {
            Some(text) => time(Some(text), "created")?,
            None => valid_start,
        });
        if let Some(vendor) = &self.vendor {
            builder = builder.vendor(vendor);
        }
        for path in &self.signer_cert {
            builder = builder.signer(&io::load_certificate(path)?);
        }
        let seal = if self.v1 {
            builder.make_v1(&maker_key, &maker_cert)
        } else {
            builder.make_v4(&maker_key, &maker_cert)
        }
        .map_err(Failure::input)?;
        io::write_output(self.out.as_deref(), seal.der(), false)
    }
}

/// Sign a document with a seal: writes the seal signature (SES_Signature, DER).
#[derive(Args)]
struct Sign {
    /// The seal (DER).
    #[arg(long)]
    seal: PathBuf,
    /// The signer's private key.
    #[arg(long)]
    key: PathBuf,
    /// Password of an encrypted key.
    #[arg(long)]
    pass: Option<String>,
    /// The signer's certificate (must be in the seal's list).
    #[arg(long)]
    cert: PathBuf,
    /// The document to sign (default stdin), unless --digest-hex is given.
    #[arg(long = "in", conflicts_with = "digest_hex")]
    input: Option<PathBuf>,
    /// The document's SM3 digest, as hex, instead of the document.
    #[arg(long)]
    digest_hex: Option<String>,
    /// propertyInfo: what is signed (in OFD, the path of Signature.xml).
    #[arg(long, default_value = "")]
    property_info: String,
    /// Signing time, RFC 3339 (default now).
    #[arg(long)]
    at: Option<String>,
    /// Where to write the seal signature (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Sign {
    fn run(self) -> Outcome {
        let seal = Seal::from_der(&io::read_input(Some(&self.seal))?)
            .map_err(|err| Failure::input(format!("{}: {err}", self.seal.display())))?;
        let key = SigningKey::new(
            io::load_secret_key(&self.key, self.pass.as_deref())?,
            DistId::DEFAULT,
        );
        let cert = io::load_certificate(&self.cert)?;
        let mut builder = SignatureBuilder::new(&seal, time(self.at.as_deref(), "at")?)
            .property_info(&self.property_info);
        builder = match &self.digest_hex {
            Some(hex) => {
                let digest: [u8; 32] = io::hex_arg("digest-hex", hex)?
                    .try_into()
                    .map_err(|_| Failure::input("--digest-hex: an SM3 digest is 32 bytes"))?;
                builder.document_digest(digest)
            }
            None => builder.document(&io::read_input(self.input.as_deref())?),
        };
        let signature = builder.sign(&key, &cert).map_err(Failure::input)?;
        io::write_output(self.out.as_deref(), signature.der(), false)
    }
}

/// Verify a seal or a seal signature. Exit 0 valid, 1 invalid, 3 indeterminate (e.g. no --ca).
#[derive(Args)]
struct Verify {
    /// The seal (.esl) or seal signature (SignedValue.dat), DER.
    file: PathBuf,
    /// The signed document (in OFD, Signature.xml), to compare with dataHash.
    #[arg(long)]
    doc: Option<PathBuf>,
    /// A trusted root certificate (repeatable).
    #[arg(long)]
    ca: Vec<PathBuf>,
    /// An intermediate CA certificate (repeatable).
    #[arg(long)]
    untrusted: Vec<PathBuf>,
    /// Verification time, RFC 3339 (default: the signing time for a signature, now for a seal).
    #[arg(long)]
    at: Option<String>,
    /// Accept a root without keyCertSign (legacy test roots such as ofdrw's, D16).
    #[arg(long)]
    legacy_root_without_key_cert_sign: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

impl Verify {
    fn run(self) -> Outcome {
        let der = io::read_input(Some(&self.file))?;
        let document = self
            .doc
            .as_deref()
            .map(|p| io::read_input(Some(p)))
            .transpose()?;
        let load = |paths: &[PathBuf]| {
            paths
                .iter()
                .map(|path| io::load_certificate(path))
                .collect::<Result<Vec<_>, _>>()
        };
        let mut options = VerifyOptions::new()
            .trust_anchors(load(&self.ca)?)
            .intermediates(load(&self.untrusted)?);
        let is_signature = SealSignature::from_der(&der).is_ok();
        if self.at.is_some() || !is_signature {
            options = options.at(time(self.at.as_deref(), "at")?);
        }
        if self.legacy_root_without_key_cert_sign {
            options = options.accept_root_without_key_cert_sign_for_legacy_use_only();
        }
        let report = verify_der(&der, document.as_deref(), &options);
        if self.json {
            println!("{}", report.to_json());
        } else {
            print!("{report}");
        }
        let name = self.file.display();
        match report.verdict() {
            Verdict::Valid => Ok(()),
            Verdict::Invalid => Err(Failure::verification(format!(
                "{name}: invalid (failed: {})",
                names(&report, Status::Fail)
            ))),
            Verdict::Indeterminate => Err(Failure::indeterminate(format!(
                "{name}: indeterminate (not checked: {})",
                names(&report, Status::NotChecked)
            ))),
        }
    }
}

fn names(report: &Report, status: Status) -> String {
    report
        .checks()
        .iter()
        .filter(|c| c.status == status && c.name.matters_when_not_checked())
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Show what a seal or seal signature holds, and extract the stamp picture.
#[derive(Args)]
struct Show {
    /// The seal or seal signature, DER.
    file: PathBuf,
    /// Write the stamp picture's bytes to this file.
    #[arg(long)]
    picture_out: Option<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

impl Show {
    fn run(self) -> Outcome {
        let der = io::read_input(Some(&self.file))?;
        let (seal, signature) = match SealSignature::from_der(&der) {
            Ok(signature) => (signature.seal().clone(), Some(signature)),
            Err(signature_error) => match Seal::from_der(&der) {
                Ok(seal) => (seal, None),
                Err(seal_error) => {
                    return Err(Failure::input(format!(
                        "{}: neither a seal signature ({signature_error}) nor a seal ({seal_error})",
                        self.file.display()
                    )));
                }
            },
        };
        if let Some(path) = &self.picture_out {
            io::write_output(Some(path), &seal.picture().data, false)?;
        }
        let mut view = json!({ "seal": seal_view(&seal) });
        if let Some(signature) = &signature {
            view["signature"] = signature_view(signature);
        }
        if self.json {
            println!("{view}");
        } else {
            print_text(&view, "");
        }
        Ok(())
    }
}

fn seal_view(seal: &Seal) -> serde_json::Value {
    let picture = seal.picture();
    let cert_list: Vec<String> = match seal.cert_list() {
        CertList::Certificates(certificates) => {
            certificates.iter().map(|der| subject_of(der)).collect()
        }
        CertList::Digests(digests) => digests
            .iter()
            .map(|d| format!("{} {}", d.kind, hex::encode(&d.value)))
            .collect(),
    };
    json!({
        "version": seal.version().standard(),
        "vendor": seal.vendor(),
        "id": seal.id(),
        "name": seal.name(),
        "type": seal.seal_type(),
        "created": rfc3339(seal.created()),
        "valid_from": rfc3339(seal.valid_start()),
        "valid_to": rfc3339(seal.valid_end()),
        "picture": {
            "type": picture.kind,
            "bytes": picture.data.len(),
            "width_mm": picture.width,
            "height_mm": picture.height,
        },
        "maker": subject_of(seal.maker_certificate()),
        "cert_list": cert_list,
        "extensions": seal.extensions().iter().map(|e| e.oid.clone()).collect::<Vec<_>>(),
    })
}

fn signature_view(signature: &SealSignature) -> serde_json::Value {
    let time = match signature.time_info() {
        TimeInfo::Time(time) => rfc3339(*time),
        TimeInfo::Text(text, _) => text.clone(),
        TimeInfo::Opaque(bytes) => hex::encode(bytes),
        _ => String::new(),
    };
    json!({
        "version": signature.version().standard(),
        "time": time,
        "signer": subject_of(signature.signer_certificate()),
        "property_info": signature.property_info(),
        "data_hash": hex::encode(signature.data_hash()),
        "timestamp": signature.timestamp().is_some(),
    })
}

fn subject_of(der: &[u8]) -> String {
    smtrust::pki::Certificate::from_der(der)
        .map(|c| c.subject().to_string())
        .unwrap_or_else(|err| format!("(not a certificate: {err})"))
}

fn rfc3339(time: UnixTime) -> String {
    let seconds = i64::try_from(time.as_secs()).unwrap_or(i64::MAX);
    let (year, month, day) = io::civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `key: value` lines, nested objects indented.
fn print_text(value: &serde_json::Value, indent: &str) {
    if let Some(object) = value.as_object() {
        for (key, item) in object {
            match item {
                serde_json::Value::Object(_) => {
                    println!("{indent}{key}:");
                    print_text(item, &format!("{indent}  "));
                }
                serde_json::Value::Array(items) => {
                    println!("{indent}{key}:");
                    for item in items {
                        println!("{indent}  - {}", plain(item));
                    }
                }
                other => println!("{indent}{key}: {}", plain(other)),
            }
        }
    }
}

fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn time(text: Option<&str>, name: &str) -> Result<UnixTime, Failure> {
    let seconds = io::unix_seconds(text).map_err(|failure| {
        Failure::input(failure.reason.replacen("--at", &format!("--{name}"), 1))
    })?;
    Ok(UnixTime::since_unix_epoch(Duration::from_secs(seconds)))
}
