//! `smtrust`: a command line for SM2, SM3 and SM4 in the style of `openssl` and `gmssl`.
//!
//! ```sh
//! cargo run --release --example smtrust -- keygen --out key.pem --pubout pub.pem
//! echo -n hello | cargo run --release --example smtrust -- sign --key key.pem --out sig.der
//! echo -n hello | cargo run --release --example smtrust -- verify --pubkey pub.pem --sig sig.der
//! ```
//!
//! Exit status: 0 success, 1 verification failed, 2 usage or input error (one line on stderr),
//! 3 indeterminate.

mod args;
mod certificates;
mod cms;
mod diagnosis;
mod digests;
mod encryption;
mod identifiers;
mod io;
mod keys;
mod ofd;
mod records;
mod seals;
mod signatures;
mod speed;
mod symmetric;
mod timestamps;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// SM2, SM3 and SM4 from the command line.
#[derive(Parser)]
#[command(name = "smtrust", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Keygen(keys::Keygen),
    Pubkey(keys::Pubkey),
    Sign(signatures::Sign),
    Verify(signatures::Verify),
    Encrypt(encryption::Encrypt),
    Decrypt(encryption::Decrypt),
    Convert(encryption::Convert),
    Diagnose(diagnosis::Diagnose),
    Hash(digests::Hash),
    Hmac(digests::Hmac),
    Sm4(symmetric::Sm4),
    Speed(speed::Speed),
    Id(identifiers::Id),
    Cert(certificates::Cert),
    Ofd(ofd::Ofd),
    Seal(seals::SealCommand),
    Cms(cms::Cms),
    Record(records::Record),
    Ts(timestamps::Ts),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Keygen(command) => command.run(),
        Command::Pubkey(command) => command.run(),
        Command::Sign(command) => command.run(),
        Command::Verify(command) => command.run(),
        Command::Encrypt(command) => command.run(),
        Command::Decrypt(command) => command.run(),
        Command::Convert(command) => command.run(),
        Command::Diagnose(command) => command.run(),
        Command::Hash(command) => command.run(),
        Command::Hmac(command) => command.run(),
        Command::Sm4(command) => command.run(),
        Command::Speed(command) => command.run(),
        Command::Id(command) => command.run(),
        Command::Cert(command) => command.run(),
        Command::Ofd(command) => command.run(),
        Command::Seal(command) => command.run(),
        Command::Cms(command) => command.run(),
        Command::Record(command) => command.run(),
        Command::Ts(command) => command.run(),
    };
    match outcome {
        Ok(()) => ExitCode::from(io::Status::Success as u8),
        Err(failure) => {
            eprintln!("smtrust: {}", failure.reason);
            ExitCode::from(failure.status as u8)
        }
    }
}
