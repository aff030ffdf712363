//! `id check`.

use clap::{Args, Subcommand, ValueEnum};
use smtrust::realname::{CheckOptions, Date, Expect, IdKind, Outcome, check};

use crate::io::{self, Failure};

/// Identifier checks (resident ID, credit code, registration number, mobile, bank card).
#[derive(Args)]
pub struct Id {
    #[command(subcommand)]
    command: IdCommand,
}

#[derive(Subcommand)]
enum IdCommand {
    Check(Check),
}

impl Id {
    pub fn run(self) -> io::Outcome {
        match self.command {
            IdCommand::Check(command) => command.run(),
        }
    }
}

/// Check an identifier: prints its kind, the verdict and the reason. Exit 0 valid, 1 invalid,
/// 3 suspicious.
#[derive(Args)]
struct Check {
    /// The identifier as typed (full-width digits, spaces and hyphens are normalised).
    value: String,
    /// What the value is; `auto` guesses from its shape.
    #[arg(long, value_enum, default_value = "auto")]
    kind: KindArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Auto,
    Resident,
    Uscc,
    Regno,
    Mobile,
    Card,
}

impl KindArg {
    fn expect(self) -> Expect {
        match self {
            Self::Auto => Expect::Auto,
            Self::Resident => Expect::Kind(IdKind::ResidentId),
            Self::Uscc => Expect::Kind(IdKind::SocialCreditCode),
            Self::Regno => Expect::Kind(IdKind::RegistrationNumber),
            Self::Mobile => Expect::Kind(IdKind::Mobile),
            Self::Card => Expect::Kind(IdKind::BankCard),
        }
    }
}

impl Check {
    fn run(self) -> io::Outcome {
        let options = CheckOptions::new(today()?);
        let expect = self.kind.expect();
        let outcome = check(&self.value, expect, &options);
        let kind = match (outcome.identifier(), expect) {
            (Some(identifier), _) => identifier.kind().to_string(),
            (None, Expect::Kind(kind)) => kind.to_string(),
            (None, Expect::Auto) => "unrecognised".to_owned(),
        };
        println!("kind: {kind}");
        match outcome {
            Outcome::Valid(_) => {
                println!("verdict: valid");
                println!("reason: every rule of the kind holds");
                Ok(())
            }
            Outcome::Suspicious(_, reason) => {
                println!("verdict: suspicious");
                println!("reason: {reason:?}");
                Err(Failure::indeterminate(format!("suspicious: {reason:?}")))
            }
            Outcome::Invalid(reason) => {
                println!("verdict: invalid");
                println!("reason: {reason:?}");
                Err(Failure::verification(format!("invalid: {reason:?}")))
            }
        }
    }
}

/// Today's UTC date from the clock.
fn today() -> Result<Date, Failure> {
    let seconds = io::unix_seconds(None)?;
    let days = i64::try_from(seconds / 86_400)
        .map_err(|_| Failure::input("the system clock is out of range"))?;
    let (year, month, day) = io::civil_from_days(days);
    let year =
        u16::try_from(year).map_err(|_| Failure::input("the system clock is out of range"))?;
    Date::new(year, month, day).map_err(Failure::input)
}
