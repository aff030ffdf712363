//! The registration demo: a demo PKI, N applicants through online company registration
//! (identifier checks, a simulated qualified institution, the Shanghai online policy, a
//! CMS-signed application form sealed with the registration authority's electronic seal, both
//! signatures time-stamped), every step in a signed ledger stored in SQLite, and a regulator's
//! retrieval with an offline-verified evidence bundle and the seal and timestamps verified.
//!
//! `cargo run --release --example registration -- --applicants 20 --seed 7 --db /tmp/x.db`

mod applicant;
mod institution;
mod pki_setup;
mod progress;
mod regulator;
mod sealing;
mod summary;

use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use smtrust::realname::{CheckOptions, Date, Policy, Score};
use smtrust::sm2::SecretKey;
use smtrust::trace::{Ledger, LogSigner, SqliteStore};

use applicant::{Context, Outcome};

/// Online company registration with real-name verification and a tamper-evident ledger.
#[derive(Parser)]
struct Args {
    /// How many applicants to register.
    #[arg(long, default_value_t = 20)]
    applicants: u64,
    /// The seed of the simulated institution and of the keys.
    #[arg(long, default_value_t = 2)]
    seed: u64,
    /// The SQLite file for the ledger (default: smtrust-registration.db in the temp dir).
    /// The log's signing key is written beside it as DB.log-key.pem (mode 0600), where
    /// `smtrust ledger --db DB history|export-bundle` finds it.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Keep an existing database file instead of starting afresh.
    #[arg(long)]
    keep: bool,
    /// The demo's time, as YYYY-MM-DDTHH:MM:SSZ (default: now).
    #[arg(long)]
    at: Option<String>,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if month <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        month,
        day,
    )
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
fn format_time(secs: u64) -> String {
    // u64::MAX / 86 400 is below 2^48: the day count always fits.
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let (year, month, day) = civil_from_days(days);
    let rest = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` into Unix seconds.
fn parse_time(text: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let bad = || format!("--at {text:?} is not of the form YYYY-MM-DDTHH:MM:SSZ");
    let (date, time) = text
        .strip_suffix('Z')
        .and_then(|rest| rest.split_once('T'))
        .ok_or_else(bad)?;
    let numbers = |part: &str, sep: char| -> Result<Vec<i64>, String> {
        part.split(sep)
            .map(|n| n.parse::<i64>().map_err(|_| bad()))
            .collect()
    };
    let (d, t) = (numbers(date, '-')?, numbers(time, ':')?);
    let [year, month, day] = d[..] else {
        return Err(bad().into());
    };
    let [hour, minute, second] = t[..] else {
        return Err(bad().into());
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(bad().into());
    }
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Ok(u64::try_from(secs).map_err(|_| bad())?)
}

/// Writes the log's signing key as PKCS#8 PEM to `DB.log-key.pem`, readable by its owner
/// only, so that the command line can sign the Retrieved entries of later retrievals.
fn write_log_key(db: &std::path::Path, key: &SecretKey) -> std::io::Result<PathBuf> {
    use std::io::Write as _;
    let mut name = db.as_os_str().to_owned();
    name.push(".log-key.pem");
    let path = PathBuf::from(name);
    let mut options = std::fs::OpenOptions::new();
    let _ = options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let _ = options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(key.to_pkcs8_pem().as_bytes())?;
    Ok(path)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let at = match &args.at {
        Some(text) => parse_time(text)?,
        None => SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
    };
    let (year, month, day) = civil_from_days(i64::try_from(at / 86_400)?);
    let today = Date::new(
        u16::try_from(year)?,
        u8::try_from(month)?,
        u8::try_from(day)?,
    )?;
    let db = args
        .db
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("smtrust-registration.db"));
    if !args.keep && db.exists() {
        std::fs::remove_file(&db)?;
    }

    let mut rng = ChaCha20Rng::seed_from_u64(args.seed);
    let pki = pki_setup::DemoPki::build(&mut rng)?;
    println!("demo PKI (SM2, built with CertificateBuilder):");
    for party in [
        &pki.root,
        &pki.institution,
        &pki.authority,
        &pki.seal_maker,
        &pki.tsa,
    ] {
        println!("  {}", party.certificate.subject());
    }
    println!("  + one signing certificate per verified applicant");

    let log_secret = SecretKey::from_bytes(&pki.authority.key.secret_key().to_bytes()[..])?;
    let log_key_path = write_log_key(&db, &log_secret)?;
    let ledger = Ledger::open(
        SqliteStore::open(&db)?,
        LogSigner::new("registration.demo/ledger", log_secret)?,
    )?;
    let authority = sealing::Authority::new(&pki, at)?;
    let policy = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD);
    let options = CheckOptions::new(today);
    let context = Context {
        pki: &pki,
        authority: &authority,
        ledger: &ledger,
        policy: &policy,
        options: &options,
        at,
    };

    let start = Instant::now();
    let entries_before = ledger.checkpoint()?.size();
    let bar = progress::Progress::new(args.applicants);
    let mut rows = Vec::new();
    for number in 1..=args.applicants {
        let serial = format!("SH{year}{number:08}");
        rows.push(context.register(number, serial, &mut rng)?);
        bar.advance();
    }
    bar.finish();
    let elapsed = start.elapsed();
    let registered_entries = ledger.checkpoint()?.size().saturating_sub(entries_before);

    println!();
    summary::print_table(&rows);
    let seal = authority.seal();
    println!(
        "electronic seal: \"{}\", {} seal {}, made by the e-seal maker for the registration authority",
        seal.name(),
        seal.version(),
        seal.id()
    );
    println!(
        "sealed forms: {}, each with a SealApplied ledger entry; applicant and seal signatures time-stamped (RFC 3161, SM2)",
        rows.iter().filter(|row| row.evidence.is_some()).count()
    );

    let inspected = rows
        .iter()
        .find(|row| row.outcome == Outcome::Verified)
        .or(rows.first());
    if let Some(row) = inspected {
        let found = regulator::inspect(
            &ledger,
            authority.tsa(),
            &row.serial,
            at,
            &[
                pki.root.certificate.der().to_vec(),
                pki.seal_maker.certificate.der().to_vec(),
                authority.tsa_certificate().der().to_vec(),
            ],
            row.evidence.as_ref(),
            std::slice::from_ref(&pki.root.certificate),
        )?;
        println!();
        println!(
            "regulator: retrieved {} ({} entries)",
            found.serial, found.entries
        );
        if found.retrieval_logged {
            println!("regulator: retrieval logged in the ledger");
        }
        println!(
            "regulator: evidence bundle of {} bytes, {} entries: bundle verified offline",
            found.bundle_len, found.bundle_entries
        );
        let (size, stamped, tsa) = &found.checkpoint_stamp;
        println!(
            "regulator: the checkpoint of {size} entries existed at {} (RFC 3161 token in the bundle, verified; TSA {tsa})",
            format_time(stamped.as_secs())
        );
        println!(
            "regulator: one byte changed: tampering detected ({})",
            found.tamper_error
        );
        if let Some(seal) = &found.seal {
            println!(
                "regulator: seal signature on the form: {} (certificates checked at the timestamp's time)",
                seal.verdict
            );
            println!(
                "regulator: seal signature timestamp: {} (verified; TSA {})",
                format_time(seal.seal_time.as_secs()),
                seal.tsa
            );
            println!(
                "regulator: the seal signature carries its timestamp (GB/T 38540 timeStamp field)"
            );
            println!(
                "regulator: applicant's signature timestamp: {} (verified)",
                format_time(seal.form_time.as_secs())
            );
            println!(
                "regulator: one byte of the form changed: seal signature {}",
                seal.tampered_form
            );
            println!(
                "regulator: one byte of the seal signature value changed: timestamp refused ({})",
                seal.tampered_stamp_error
            );
        }
    }

    let checkpoint = ledger.verify()?;
    println!();
    println!("ledger size: {} entries", checkpoint.size());
    println!("checkpoint:");
    for line in String::from_utf8_lossy(checkpoint.note()).lines() {
        println!("  {line}");
    }
    if let Some(token) = ledger.checkpoint_token(checkpoint.size())? {
        println!(
            "checkpoint timestamp: {} (RFC 3161, {} imprint over the note above, serial {})",
            format_time(token.info().gen_time().as_secs()),
            token.info().imprint_algorithm().name(),
            token.info().serial_hex()
        );
    }
    println!("ledger database: {}", db.display());
    println!("log signing key: {}", log_key_path.display());
    let secs = elapsed.as_secs_f64();
    let rate = |count: u64| if secs > 0.0 { count as f64 / secs } else { 0.0 };
    println!(
        "throughput: {} applicants in {secs:.2} s ({:.0} applicants/s, {:.0} ledger entries/s)",
        args.applicants,
        rate(args.applicants),
        rate(registered_entries)
    );
    Ok(())
}
