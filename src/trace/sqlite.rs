//! The embedded [`Store`]: one SQLite file in WAL mode.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::layout::leaf_of_stored_hash;
use super::{Batch, Error, HASH_LEN, Hash, HashReader, Store, StoredEntry};

/// The schema version this code writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = 4;

/// The migrations, oldest first; applying the first `n` gives schema version `n`.
const MIGRATIONS: [&str; 4] = [
    "CREATE TABLE entries (leaf INTEGER PRIMARY KEY, serial TEXT NOT NULL, der BLOB NOT NULL,
                           hashes BLOB NOT NULL);
     CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, note BLOB NOT NULL);",
    "CREATE INDEX entries_by_serial ON entries (serial, leaf);",
    "CREATE TABLE metadata (name TEXT PRIMARY KEY, value BLOB NOT NULL);",
    "CREATE TABLE checkpoint_tokens (size INTEGER PRIMARY KEY REFERENCES checkpoints (size),
                                    token BLOB NOT NULL);",
];

/// How long a connection waits for a lock held by another connection (a WAL checkpoint or a
/// second process) before failing, in milliseconds.
const BUSY_TIMEOUT_MS: u64 = 10_000;

/// How many serials one serial-index query asks about (SQLite allows 32,766 parameters).
const SERIALS_PER_QUERY: usize = 500;

/// How much a committed batch survives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Durability {
    /// Each commit is flushed to the disk (`synchronous = FULL`): a batch reported committed
    /// survives a crash of the process, of the operating system and a power cut. The default.
    PowerLoss,
    /// Commits reach the operating system but are flushed only at WAL checkpoints
    /// (`synchronous = NORMAL`): a batch reported committed survives the process being killed;
    /// a power cut or kernel crash may lose the latest batches (never part of one, never
    /// older ones).
    ProcessCrash,
}

/// The writer's page cache, in KiB: large enough that a batch of thousands of entries does
/// not spill pages to the WAL before it commits.
const WRITER_CACHE_KIB: u32 = 65_536;

/// WAL pages between automatic checkpoints (SQLite's default is 1,000): fewer, larger
/// checkpoints copy each often-written page (index and tree edges) once instead of many times.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// A [`Store`] in one SQLite file, in WAL mode, with the [`Durability`] it was opened with.
///
/// One connection writes, behind a lock (the ledger's sequencer already orders appends);
/// readers take their own connections from a pool, so in WAL mode they never wait for the
/// writer.
///
/// ```text
/// entries     (leaf INTEGER PRIMARY KEY, serial TEXT NOT NULL, der BLOB NOT NULL,
///              hashes BLOB NOT NULL)  -- the 32-byte hashes this leaf's append stored
/// checkpoints (size INTEGER PRIMARY KEY, note BLOB NOT NULL)
/// INDEX entries_by_serial ON entries (serial, leaf)       -- the serial index
/// metadata    (name TEXT PRIMARY KEY, value BLOB NOT NULL) -- e.g. the log's public key
/// checkpoint_tokens (size INTEGER PRIMARY KEY REFERENCES checkpoints (size),
///                    token BLOB NOT NULL)  -- RFC 3161 tokens over checkpoint notes
/// ```
///
/// The schema version is SQLite's `user_version`; [`SCHEMA_VERSION`] is the newest this code
/// knows, and opening a newer file is [`Error::SchemaTooNew`]. Older files are migrated
/// forward, one transaction per step, keeping their data: version 4 added
/// `checkpoint_tokens` to version 3's tables.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

fn storage(operation: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |err| Error::Storage {
        operation,
        message: err.to_string(),
    }
}

fn to_sql(value: u64) -> Result<i64, Error> {
    i64::try_from(value).map_err(|_| Error::Storage {
        operation: "convert an index",
        message: format!("{value} does not fit in an SQLite integer"),
    })
}

fn from_sql(value: i64) -> Result<u64, Error> {
    u64::try_from(value).map_err(|_| Error::Storage {
        operation: "read an index",
        message: format!("{value} is negative"),
    })
}

/// Reads column `index` as bytes, whether SQLite holds it as a BLOB or (after an edit made
/// outside this code) as TEXT, so that verification can compare it rather than fail to read.
fn bytes(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Vec<u8>> {
    let value = row.get_ref(index)?;
    value.as_bytes().map(<[u8]>::to_vec).map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(index, value.data_type(), Box::new(err))
    })
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` with [`Durability::PowerLoss`],
    /// migrating an older schema forward.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::open_with(path, Durability::PowerLoss)
    }

    /// Opens (creating if needed) the store at `path` with the given durability, migrating
    /// an older schema forward.
    pub fn open_with(path: impl AsRef<Path>, durability: Durability) -> Result<Self, Error> {
        let path = path.as_ref().to_path_buf();
        let mut writer = connect(&path)?;
        let synchronous = match durability {
            Durability::PowerLoss => "FULL",
            Durability::ProcessCrash => "NORMAL",
        };
        writer
            .execute_batch(&format!(
                "PRAGMA synchronous = {synchronous};
                 PRAGMA cache_size = -{WRITER_CACHE_KIB};
                 PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES};"
            ))
            .map_err(storage("configure the writer"))?;
        migrate(&mut writer)?;
        Ok(Self {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn writer(&self) -> Result<MutexGuard<'_, Connection>, Error> {
        self.writer.lock().map_err(|_| Error::Storage {
            operation: "lock the writer",
            message: "a writer panicked".to_owned(),
        })
    }

    /// Runs `read` on a pooled reader connection.
    fn with_reader<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let pooled = self.readers.lock().ok().and_then(|mut pool| pool.pop());
        let conn = match pooled {
            Some(conn) => conn,
            None => connect(&self.path)?,
        };
        let result = read(&conn);
        if let Ok(mut pool) = self.readers.lock() {
            pool.push(conn);
        }
        result
    }
}

impl core::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn connect(path: &Path) -> Result<Connection, Error> {
    let conn = Connection::open(path).map_err(storage("open the database"))?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
        .map_err(storage("set the busy timeout"))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(storage("switch to WAL mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Storage {
            operation: "switch to WAL mode",
            message: format!("the journal mode stayed {mode}"),
        });
    }
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(storage("read the schema version"))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS.iter())
        .skip_while(|(v, _)| *v <= found)
    {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage("begin a migration"))?;
        tx.execute_batch(sql)
            .map_err(storage("migrate the schema"))?;
        tx.execute_batch(&format!("PRAGMA user_version = {version};"))
            .map_err(storage("record the schema version"))?;
        tx.commit().map_err(storage("commit a migration"))?;
    }
    Ok(())
}

impl HashReader for SqliteStore {
    /// Reads each hash from the row of the leaf whose append stored it (one query per leaf,
    /// consecutive positions of one leaf share it).
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, super::Error> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT hashes FROM entries WHERE leaf = ?1")
                .map_err(storage("read hashes"))?;
            let mut row: Option<(u64, Option<Vec<u8>>)> = None;
            let mut hashes = Vec::with_capacity(indexes.len());
            for &index in indexes {
                let (leaf, offset) = leaf_of_stored_hash(index);
                if row.as_ref().is_none_or(|(cached, _)| *cached != leaf) {
                    let blob = stmt
                        .query_row([to_sql(leaf)?], |r| bytes(r, 0))
                        .optional()
                        .map_err(storage("read hashes"))?;
                    row = Some((leaf, blob));
                }
                let hash = row
                    .as_ref()
                    .and_then(|(_, blob)| blob.as_deref())
                    .and_then(|blob| hash_at(blob, offset))
                    .ok_or_else(|| Error::HashNotStored {
                        index,
                        stored: self.hash_count().unwrap_or(0),
                    })?;
                hashes.push(hash);
            }
            Ok(hashes)
        })
    }
}

/// The `offset`-th 32-byte hash in `blob`.
fn hash_at(blob: &[u8], offset: u64) -> Option<Hash> {
    let start = usize::try_from(offset).ok()?.checked_mul(HASH_LEN)?;
    Hash::from_slice(blob.get(start..start.checked_add(HASH_LEN)?)?).ok()
}

impl Store for SqliteStore {
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
        let mut conn = self.writer()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage("begin an append"))?;
        let latest: Option<i64> = tx
            .query_row("SELECT max(size) FROM checkpoints", [], |row| row.get(0))
            .map_err(storage("read the store size"))?;
        let store_size = latest.map(from_sql).transpose()?;
        if store_size.unwrap_or(0) != batch.first_leaf || store_size == Some(batch.checkpoint_size)
        {
            return Err(Error::AppendConflict {
                batch_start: batch.first_leaf,
                store_size: store_size.unwrap_or(0),
            });
        }
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO entries (leaf, serial, der, hashes) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(storage("append entries"))?;
            let mut remaining = batch.hashes;
            let mut blob = Vec::with_capacity(HASH_LEN * 64);
            for (leaf, entry) in (batch.first_leaf..).zip(batch.entries) {
                let count = 1 + usize::try_from(leaf.trailing_ones()).unwrap_or(0);
                let (own, rest) = remaining.split_at_checked(count).ok_or(Error::Storage {
                    operation: "append entries",
                    message: "the batch holds fewer hashes than its leaves store".to_owned(),
                })?;
                remaining = rest;
                blob.clear();
                own.iter()
                    .for_each(|h| blob.extend_from_slice(h.as_bytes()));
                let _ = insert
                    .execute(params![to_sql(leaf)?, entry.serial, entry.der, blob])
                    .map_err(storage("append entries"))?;
            }
            if !remaining.is_empty() {
                return Err(Error::Storage {
                    operation: "append entries",
                    message: "the batch holds more hashes than its leaves store".to_owned(),
                });
            }
        }
        let _ = tx
            .execute(
                "INSERT INTO checkpoints (size, note) VALUES (?1, ?2)",
                params![to_sql(batch.checkpoint_size)?, batch.checkpoint],
            )
            .map_err(storage("append the checkpoint"))?;
        tx.commit().map_err(storage("commit the batch"))
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, Error> {
        self.with_reader(|conn| {
            conn.query_row(
                "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(storage("read the latest checkpoint"))
        })
    }

    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        self.with_reader(|conn| {
            conn.query_row(
                "SELECT note FROM checkpoints WHERE size = ?1",
                [to_sql(size)?],
                |row| row.get(0),
            )
            .optional()
            .map_err(storage("read a checkpoint"))
        })
    }

    fn checkpoint_sizes(&self) -> Result<Vec<u64>, Error> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT size FROM checkpoints ORDER BY size")
                .map_err(storage("list checkpoints"))?;
            let sizes = stmt
                .query_map([], |row| row.get::<_, i64>(0))
                .map_err(storage("list checkpoints"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage("list checkpoints"))?;
            sizes.into_iter().map(from_sql).collect()
        })
    }

    fn entries(&self, first: u64, limit: usize) -> Result<Vec<(u64, StoredEntry)>, Error> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT leaf, serial, der FROM entries WHERE leaf >= ?1 ORDER BY leaf LIMIT ?2",
                )
                .map_err(storage("read entries"))?;
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows = stmt
                .query_map(params![to_sql(first)?, limit], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get(1)?, bytes(row, 2)?))
                })
                .map_err(storage("read entries"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage("read entries"))?;
            rows.into_iter()
                .map(|(leaf, serial, der)| Ok((from_sql(leaf)?, StoredEntry { serial, der })))
                .collect()
        })
    }

    fn entries_at(&self, indexes: &[u64]) -> Result<Vec<StoredEntry>, Error> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT serial, der FROM entries WHERE leaf = ?1")
                .map_err(storage("read entries"))?;
            indexes
                .iter()
                .map(|&index| {
                    stmt.query_row([to_sql(index)?], |row| {
                        Ok(StoredEntry {
                            serial: row.get(0)?,
                            der: bytes(row, 1)?,
                        })
                    })
                    .optional()
                    .map_err(storage("read entries"))?
                    .ok_or(Error::EntryMissing { index })
                })
                .collect()
        })
    }

    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT leaf FROM entries WHERE serial = ?1 AND leaf < ?2 ORDER BY leaf",
                )
                .map_err(storage("read the serial index"))?;
            let leaves = stmt
                .query_map(params![serial, to_sql(size)?], |row| row.get::<_, i64>(0))
                .map_err(storage("read the serial index"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage("read the serial index"))?;
            leaves.into_iter().map(from_sql).collect()
        })
    }

    fn serials(&self) -> Result<Vec<String>, Error> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT DISTINCT serial FROM entries ORDER BY serial")
                .map_err(storage("list serials"))?;
            stmt.query_map([], |row| row.get(0))
                .map_err(storage("list serials"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage("list serials"))
        })
    }

    fn last_leaf(&self, serial: &str, size: u64) -> Result<Option<u64>, Error> {
        let size = to_sql(size)?;
        self.with_reader(|conn| {
            let leaf: Option<i64> = conn
                .prepare_cached("SELECT max(leaf) FROM entries WHERE serial = ?1 AND leaf < ?2")
                .and_then(|mut stmt| stmt.query_row(params![serial, size], |row| row.get(0)))
                .map_err(storage("read the serial index"))?;
            leaf.map(from_sql).transpose()
        })
    }

    /// One query per 500 serials (`SERIALS_PER_QUERY`).
    fn last_leaves(&self, serials: &[&str], size: u64) -> Result<Vec<Option<u64>>, Error> {
        let size = to_sql(size)?;
        let mut found: HashMap<String, u64> = HashMap::with_capacity(serials.len());
        self.with_reader(|conn| {
            for chunk in serials.chunks(SERIALS_PER_QUERY) {
                let marks = vec!["?"; chunk.len()].join(", ");
                let mut stmt = conn
                    .prepare_cached(&format!(
                        "SELECT serial, max(leaf) FROM entries
                         WHERE leaf < ? AND serial IN ({marks}) GROUP BY serial"
                    ))
                    .map_err(storage("read the serial index"))?;
                let values = core::iter::once(&size as &dyn rusqlite::ToSql)
                    .chain(chunk.iter().map(|serial| serial as &dyn rusqlite::ToSql));
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(values), |row| {
                        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
                    })
                    .map_err(storage("read the serial index"))?;
                for row in rows {
                    let (serial, leaf) = row.map_err(storage("read the serial index"))?;
                    let _ = found.insert(serial, from_sql(leaf)?);
                }
            }
            Ok(())
        })?;
        Ok(serials
            .iter()
            .map(|serial| found.get(*serial).copied())
            .collect())
    }

    fn set_checkpoint_token(&self, size: u64, token: &[u8]) -> Result<(), Error> {
        let size_sql = to_sql(size)?;
        let written = self
            .writer()?
            .execute(
                "INSERT OR REPLACE INTO checkpoint_tokens (size, token)
                 SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM checkpoints WHERE size = ?1)",
                params![size_sql, token],
            )
            .map_err(storage("store a checkpoint timestamp"))?;
        if written == 0 {
            return Err(Error::CheckpointNotStored { size });
        }
        Ok(())
    }

    fn checkpoint_token(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        self.with_reader(|conn| {
            conn.query_row(
                "SELECT token FROM checkpoint_tokens WHERE size = ?1",
                [to_sql(size)?],
                |row| bytes(row, 0),
            )
            .optional()
            .map_err(storage("read a checkpoint timestamp"))
        })
    }

    fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        self.with_reader(|conn| {
            conn.query_row(
                "SELECT value FROM metadata WHERE name = ?1",
                [name],
                |row| bytes(row, 0),
            )
            .optional()
            .map_err(storage("read metadata"))
        })
    }

    fn set_metadata(&self, name: &str, value: &[u8]) -> Result<(), Error> {
        let _ = self
            .writer()?
            .execute(
                "INSERT OR REPLACE INTO metadata (name, value) VALUES (?1, ?2)",
                params![name, value],
            )
            .map_err(storage("write metadata"))?;
        Ok(())
    }

    fn hash_count(&self) -> Result<u64, Error> {
        self.with_reader(|conn| {
            let count: i64 = conn
                .query_row(
                    "SELECT coalesce(sum(length(hashes)), 0) / 32 FROM entries",
                    [],
                    |row| row.get(0),
                )
                .map_err(storage("count hashes"))?;
            from_sql(count)
        })
    }
}
