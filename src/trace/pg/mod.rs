//! The [`Store`](super::Store) for many machines: PostgreSQL, through a connection pool.

mod queries;
mod schema;

use std::str::FromStr as _;
use std::time::Duration;

use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::r2d2::{Pool, PooledConnection};

use super::{Error, History, LogVerifier, VerifiedCheckpoint};

type Manager = PostgresConnectionManager<NoTls>;

/// How long taking a connection from the pool may wait (for a free one, or for the server to
/// accept a new one) before failing.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// A [`Store`](super::Store) in a PostgreSQL database, shared by any number of processes on
/// any number of machines.
///
/// ```text
/// ledger_schema      (one boolean PRIMARY KEY CHECK (one), version integer NOT NULL)
/// ledger_entries     (leaf bigint PRIMARY KEY, serial text NOT NULL, der bytea NOT NULL,
///                     hashes bytea NOT NULL)  -- the 32-byte hashes this leaf's append stored
/// ledger_checkpoints (size bigint PRIMARY KEY, note bytea NOT NULL)
/// INDEX ledger_entries_by_serial ON ledger_entries (serial, leaf)  -- the serial index
/// ledger_metadata    (name text PRIMARY KEY, value bytea NOT NULL)  -- e.g. the log's key
/// ledger_checkpoint_tokens (size bigint PRIMARY KEY REFERENCES ledger_checkpoints (size),
///                           token bytea NOT NULL)  -- RFC 3161 tokens over checkpoint notes
/// ```
///
/// The tables are found through the connection's `search_path`, so one database can hold
/// several logs, one per schema (`options=-csearch_path=shanghai` in the connection
/// parameters).
///
/// **Appends.** Each batch is one transaction that first takes `LOCK TABLE
/// ledger_checkpoints IN EXCLUSIVE MODE`, held until it commits. Appends from every process
/// are therefore serialised by the server, and each checks under the lock that it starts at
/// the latest checkpoint, so the log stays gap-free: the batch of a ledger whose sequencer is
/// behind is refused ([`Error::AppendConflict`]) with nothing written, and the ledger catches
/// up (one query and one signature check) and tries again, up to four times in all before it
/// returns [`Error::AppendContended`]. A process that dies mid-batch leaves an
/// open transaction that the server rolls back when the connection drops: no partial batch.
/// The commit returns once the server has flushed its WAL (the server's `synchronous_commit`
/// decides whether a synchronous standby must confirm too). Readers never wait for the lock.
///
/// **Schema.** [`SCHEMA_VERSION`](Self::SCHEMA_VERSION) is the newest version this code knows;
/// [`connect`](Self::connect) refuses a newer schema with [`Error::SchemaTooNew`] and
/// migrates an older one forward, one transaction per step, with processes that connect at
/// the same moment taking turns.
///
/// **Read replicas.** [`connect_read_only`](Self::connect_read_only) opens a store that
/// refuses appends, for a hot standby: [`history`](Self::history) reads everything about a
/// serial there and proves it against the standby's latest checkpoint, whose signature it
/// checks first.
///
/// ```no_run
/// use smtrust::sm2::SecretKey;
/// use smtrust::trace::{Entry, Ledger, LogSigner, PgStore};
///
/// fn log_signer() -> Result<LogSigner, Box<dyn std::error::Error>> {
///     let secret = SecretKey::from_bytes(&[7; 32])?; // in truth: from the key file or HSM
///     Ok(LogSigner::new("ledger.samr.example/shanghai", secret)?)
/// }
///
/// // One of many application servers: its own sequencer, its own connections.
/// let primary = PgStore::connect("host=db-primary user=ledger dbname=registry", 8)?;
/// let ledger = Ledger::open(primary.clone(), log_signer()?)?;
/// # let batch: Vec<Entry> = Vec::new();
/// // If another server appended since this one last did, the ledger catches up first.
/// let committed = ledger.append_batch(&batch)?;
///
/// // A regulator's reader on a replica needs only the log's public key.
/// let log = log_signer()?.verifier().clone();
/// let replica = PgStore::connect_read_only("host=db-replica user=reader dbname=registry", 4)?;
/// let history = replica.history(&log, "SH-2026-0001")?;
/// let bundle = history.to_bundle(&[])?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PgStore {
    pool: Pool<Manager>,
    read_only: bool,
}

impl PgStore {
    /// The schema version this code writes: the number of migrations.
    pub const SCHEMA_VERSION: i64 = schema::SCHEMA_VERSION;

    /// Connects to the primary with libpq-style `params` (`host=… user=… dbname=…` or a
    /// `postgresql://` URL), keeping up to `max_connections` open, and creates or migrates
    /// the schema.
    pub fn connect(params: &str, max_connections: u32) -> Result<Self, Error> {
        let store = Self::open_pool(params, max_connections, false)?;
        schema::migrate(&mut *store.connection()?)?;
        Ok(store)
    }

    /// Connects to a read replica (or any server this process must not write to) with
    /// `params`, keeping up to `max_connections` open. The schema must be the current one;
    /// [`append`](super::Store::append) is refused.
    pub fn connect_read_only(params: &str, max_connections: u32) -> Result<Self, Error> {
        let store = Self::open_pool(params, max_connections, true)?;
        schema::check_current(&mut *store.connection()?)?;
        Ok(store)
    }

    /// Whether this store refuses appends.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The latest checkpoint on this server, checked to be signed by `log`.
    pub fn latest_verified(&self, log: &LogVerifier) -> Result<VerifiedCheckpoint, Error> {
        let note = super::Store::latest_checkpoint(self)?.ok_or(Error::NoCheckpoint)?;
        log.verify(&note)
    }

    /// Everything recorded about `serial`, each entry with its inclusion proof against the
    /// latest checkpoint on this server, whose signature by `log` is checked first; every
    /// proof and the serial's chain of links are checked before the history is returned. Needs no signing key, so it serves
    /// readers on a replica.
    pub fn history(&self, log: &LogVerifier, serial: &str) -> Result<History, Error> {
        let checkpoint = self.latest_verified(log)?;
        let size = checkpoint.size();
        History::build(self, checkpoint, serial, size)
    }

    fn open_pool(params: &str, max_connections: u32, read_only: bool) -> Result<Self, Error> {
        let config = postgres::Config::from_str(params)
            .map_err(storage("parse the connection parameters"))?;
        let pool = Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(CONNECT_TIMEOUT)
            // A broken connection is noticed when a query fails and dropped on return; a
            // test query on every checkout would cost a round trip per store call.
            .test_on_check_out(false)
            .build(Manager::new(config, NoTls))
            .map_err(|err| Error::Storage {
                operation: "connect to the server",
                message: err.to_string(),
            })?;
        Ok(Self { pool, read_only })
    }

    fn refuse_if_read_only(&self, operation: &'static str) -> Result<(), Error> {
        if self.read_only {
            return Err(Error::Storage {
                operation,
                message: "the store was opened read-only".to_owned(),
            });
        }
        Ok(())
    }

    fn connection(&self) -> Result<PooledConnection<Manager>, Error> {
        self.pool.get().map_err(|err| Error::Storage {
            operation: "take a connection from the pool",
            message: err.to_string(),
        })
    }
}

impl core::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let state = self.pool.state();
        f.debug_struct("PgStore")
            .field("read_only", &self.read_only)
            .field("connections", &state.connections)
            .finish_non_exhaustive()
    }
}

/// Maps a client error to [`Error::Storage`], with the server's own message when it sent one.
fn storage(operation: &'static str) -> impl Fn(postgres::Error) -> Error {
    move |err| Error::Storage {
        operation,
        message: match err.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => match std::error::Error::source(&err) {
                Some(cause) => format!("{err}: {cause}"),
                None => err.to_string(),
            },
        },
    }
}

fn to_sql(value: u64) -> Result<i64, Error> {
    i64::try_from(value).map_err(|_| Error::Storage {
        operation: "convert an index",
        message: format!("{value} does not fit in a PostgreSQL bigint"),
    })
}

fn from_sql(value: i64) -> Result<u64, Error> {
    u64::try_from(value).map_err(|_| Error::Storage {
        operation: "read an index",
        message: format!("{value} is negative"),
    })
}
