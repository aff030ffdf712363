//! The ledger on PostgreSQL beside SQLite, in one run on one machine: appends/s with 1, 4 and
//! 16 concurrent appenders at batch 100 and 1000, and `history(serial)` with proofs per second.
//!
//! `cargo bench --features postgres --bench ledger_pg` (starts its own throw-away server with
//! `initdb`/`pg_ctl`, `fsync = on`, on a Unix socket; see `tests/pg/mod.rs`). Set
//! `SMTRUST_BENCH_SECONDS` to change the time per measurement (default 2). The figures in
//! docs/scaling.md came from `--all-features --profile dev` with 1 s per measurement.
//!
//! Two ways to run N appenders:
//! - **shared sequencer**: N threads append through one `Ledger` (one process, its sequencer
//!   orders the batches; the store sees one writer);
//! - **own sequencers**: N `Ledger`s, each with its own store handle and connections, as N
//!   processes would be. Each batch is computed against the size its sequencer last saw; a
//!   batch that lost the race gets `AppendConflict` and is recomputed after the ledger is
//!   reopened at the store's size. The conflicts are counted.
//!
//! Both stores are durable: SQLite with `synchronous = FULL`, PostgreSQL with `fsync = on`
//! and `synchronous_commit = on`.

#[path = "../tests/pg/mod.rs"]
mod pg;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use smtrust::sm2::SecretKey;
use smtrust::trace::{
    Actor, Entry, Error, Event, Ledger, LogSigner, PgStore, Role, SqliteStore, Store,
};

fn signer() -> LogSigner {
    LogSigner::new(
        "bench.example/ledger",
        SecretKey::from_bytes(&[7; 32]).unwrap(),
    )
    .unwrap()
}

/// Entry `i` of appender `a`: a decision entry of about 75 bytes of DER; each serial gets
/// five entries, as a registration does.
fn entry(a: usize, i: u64) -> Entry {
    Entry::new(
        &format!("SH-{a:02}-{:08}", i / 5),
        UNIX_EPOCH + Duration::from_secs(1_780_000_000 + i),
        Actor::new(Role::Registrar, "clerk-07"),
        Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        },
    )
    .unwrap()
}

fn seconds() -> Duration {
    let secs = std::env::var("SMTRUST_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

/// Opens a new handle on one store (a connection pool, a file).
type Opener<S> = Arc<dyn Fn() -> S + Send + Sync>;

struct Outcome {
    entries_per_second: f64,
    conflicts: u64,
}

/// N threads append through one ledger for `seconds()`.
fn shared_sequencer<S: Store + 'static>(open: &Opener<S>, appenders: usize, batch: u64) -> Outcome {
    let ledger = Arc::new(Ledger::open(open(), signer()).unwrap());
    run(appenders, batch, |_| {
        let ledger = Arc::clone(&ledger);
        move |entries: &[Entry]| {
            ledger.append_batch(entries).unwrap();
            0
        }
    })
}

/// N ledgers, each with its own store handle, append for `seconds()`.
fn own_sequencers<S: Store + 'static>(open: &Opener<S>, appenders: usize, batch: u64) -> Outcome {
    run(appenders, batch, |_| {
        let open = Arc::clone(open);
        let mut ledger = Ledger::open(open(), signer()).unwrap();
        move |entries: &[Entry]| {
            let mut conflicts = 0;
            loop {
                match ledger.append_batch(entries) {
                    Ok(_) => return conflicts,
                    Err(Error::AppendConflict { .. }) => {
                        conflicts += 1;
                        ledger = Ledger::open(open(), signer()).unwrap();
                    }
                    Err(err) => panic!("{err}"),
                }
            }
        }
    })
}

/// Runs `appenders` threads, each appending batches of `batch` entries with the closure
/// `make(a)` gives it (which returns the conflicts met), until the time is up.
fn run<F, A>(appenders: usize, batch: u64, make: F) -> Outcome
where
    F: Fn(usize) -> A,
    A: FnMut(&[Entry]) -> u64 + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(AtomicU64::new(0));
    let conflicts = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..appenders)
        .map(|a| {
            let mut append = make(a);
            let (stop, committed, conflicts) = (
                Arc::clone(&stop),
                Arc::clone(&committed),
                Arc::clone(&conflicts),
            );
            std::thread::spawn(move || {
                let mut next = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    let entries: Vec<Entry> = (next..next + batch).map(|i| entry(a, i)).collect();
                    next += batch;
                    let _ = conflicts.fetch_add(append(&entries), Ordering::SeqCst);
                    let _ = committed.fetch_add(batch, Ordering::SeqCst);
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(seconds());
    stop.store(true, Ordering::SeqCst);
    for thread in threads {
        thread.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    Outcome {
        entries_per_second: committed.load(Ordering::SeqCst) as f64 / elapsed,
        conflicts: conflicts.load(Ordering::SeqCst),
    }
}

/// `history(serial)` with proofs on a 100,000-entry log, per second, from `readers` threads.
fn reads<S: Store + 'static>(ledger: &Arc<Ledger<S>>, readers: usize) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..readers)
        .map(|r| {
            let (ledger, stop, done) = (Arc::clone(ledger), Arc::clone(&stop), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut i = r as u64;
                while !stop.load(Ordering::SeqCst) {
                    let serial = format!("SH-00-{:08}", (i * 7919) % 20_000);
                    assert_eq!(ledger.history(&serial).unwrap().entries().len(), 5);
                    let _ = done.fetch_add(1, Ordering::SeqCst);
                    i += readers as u64;
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(seconds());
    stop.store(true, Ordering::SeqCst);
    for thread in threads {
        thread.join().unwrap();
    }
    done.load(Ordering::SeqCst) as f64 / started.elapsed().as_secs_f64()
}

fn fill<S: Store>(store: S) -> Arc<Ledger<S>> {
    let ledger = Ledger::open(store, signer()).unwrap();
    for start in (0..100_000).step_by(1000) {
        let entries: Vec<Entry> = (start..start + 1000).map(|i| entry(0, i)).collect();
        ledger.append_batch(&entries).unwrap();
    }
    Arc::new(ledger)
}

fn main() {
    let server = match pg::Server::start(pg::Fsync::On) {
        Ok(Some(server)) => server,
        Ok(None) => return,
        Err(reason) => panic!("{reason}"),
    };
    let dir = tempfile::tempdir().unwrap();
    println!(
        "ledger appends, entries/s ({:.1} s each; conflicts = batches recomputed)",
        seconds().as_secs_f64()
    );
    println!(
        "{:<8} {:>10} {:>6} {:>22} {:>30}",
        "store", "appenders", "batch", "shared sequencer", "own sequencers (conflicts)"
    );
    let mut case = 0;
    for appenders in [1, 4, 16] {
        for batch in [100, 1000] {
            case += 1;
            let path = dir.path().join(format!("append-{case}.db"));
            let sqlite: Opener<SqliteStore> = Arc::new(move || SqliteStore::open(&path).unwrap());
            let path2 = dir.path().join(format!("append-{case}-own.db"));
            let sqlite_own: Opener<SqliteStore> =
                Arc::new(move || SqliteStore::open(&path2).unwrap());
            report("sqlite", appenders, batch, &sqlite, &sqlite_own);

            let (shared, own) = (server.new_log(), server.new_log());
            let pg: Opener<PgStore> = Arc::new(move || PgStore::connect(&shared, 8).unwrap());
            let pg_own: Opener<PgStore> = Arc::new(move || PgStore::connect(&own, 2).unwrap());
            report("postgres", appenders, batch, &pg, &pg_own);
        }
    }

    println!("\nhistory(serial) with proofs, 5 entries, 100,000-entry log, reads/s");
    let sqlite = fill(SqliteStore::open(dir.path().join("reads.db")).unwrap());
    let params = server.new_log();
    let postgres = fill(PgStore::connect(&params, 8).unwrap());
    print_storage(&dir.path().join("reads.db"), &params);
    println!("{:<8} {:>8} {:>12}", "store", "readers", "reads/s");
    for readers in [1, 4] {
        println!(
            "{:<8} {readers:>8} {:>12.0}",
            "sqlite",
            reads(&sqlite, readers)
        );
        println!(
            "{:<8} {readers:>8} {:>12.0}",
            "postgres",
            reads(&postgres, readers)
        );
    }
}

/// Bytes per entry of the 100,000-entry logs: the SQLite file (its WAL folded in), and the
/// PostgreSQL tables with their indexes and TOAST (after VACUUM).
fn print_storage(sqlite: &std::path::Path, params: &str) {
    rusqlite::Connection::open(sqlite)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let sqlite = std::fs::metadata(sqlite).unwrap().len();
    let mut client = postgres::Client::connect(params, postgres::NoTls).unwrap();
    client
        .batch_execute("VACUUM ledger_entries, ledger_checkpoints")
        .unwrap();
    let postgres: i64 = client
        .query_one(
            "SELECT pg_total_relation_size('ledger_entries')
                  + pg_total_relation_size('ledger_checkpoints')",
            &[],
        )
        .unwrap()
        .get(0);
    println!(
        "storage per entry: sqlite {} bytes, postgres {} bytes (entry DER {} bytes)",
        sqlite / 100_000,
        postgres / 100_000,
        entry(0, 0).to_der().unwrap().len()
    );
}

fn report<A: Store + 'static, B: Store + 'static>(
    name: &str,
    appenders: usize,
    batch: u64,
    shared: &Opener<A>,
    own: &Opener<B>,
) {
    let one = shared_sequencer(shared, appenders, batch);
    let many = own_sequencers(own, appenders, batch);
    println!(
        "{name:<8} {appenders:>10} {batch:>6} {:>22.0} {:>22.0} ({:>5})",
        one.entries_per_second, many.entries_per_second, many.conflicts
    );
}
