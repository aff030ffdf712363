//! The PostgreSQL schema: its versions, the migrations between them, and the check a read
//! replica makes instead of migrating.

use postgres::{Client, GenericClient};

use super::{Error, storage};

/// The schema version this code writes: the number of migrations.
pub(super) const SCHEMA_VERSION: i64 = 4;

/// The migrations, oldest first; applying the first `n` gives schema version `n`. They mirror
/// [`SqliteStore`](crate::trace::SqliteStore)'s: the tables, the serial index, metadata, then
/// the checkpoints' timestamp tokens.
const MIGRATIONS: [&str; 4] = [
    "CREATE TABLE ledger_schema (one boolean PRIMARY KEY DEFAULT true CHECK (one),
                                 version integer NOT NULL);
     INSERT INTO ledger_schema (version) VALUES (0);
     CREATE TABLE ledger_entries (leaf bigint PRIMARY KEY, serial text NOT NULL,
                                  der bytea NOT NULL, hashes bytea NOT NULL);
     CREATE TABLE ledger_checkpoints (size bigint PRIMARY KEY, note bytea NOT NULL);",
    "CREATE INDEX ledger_entries_by_serial ON ledger_entries (serial, leaf);",
    "CREATE TABLE ledger_metadata (name text PRIMARY KEY, value bytea NOT NULL);",
    "CREATE TABLE ledger_checkpoint_tokens (size bigint PRIMARY KEY
                                               REFERENCES ledger_checkpoints (size),
                                           token bytea NOT NULL);",
];

/// Serialises migrations of every ledger in the database, so that processes opening one
/// store at the same moment apply each step once (the key is arbitrary but fixed: "smtrust"
/// and 1).
const MIGRATION_LOCK: i64 = 0x736d_7472_7573_7401;

/// The schema version of the store the client's `search_path` leads to: 0 when it has no
/// tables yet.
pub(super) fn version(client: &mut impl GenericClient) -> Result<i64, Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('ledger_schema') IS NOT NULL", &[])
        .and_then(|row| row.try_get(0))
        .map_err(storage("read the schema version"))?;
    if !exists {
        return Ok(0);
    }
    let version: i32 = client
        .query_one("SELECT version FROM ledger_schema", &[])
        .and_then(|row| row.try_get(0))
        .map_err(storage("read the schema version"))?;
    Ok(i64::from(version))
}

/// Refuses a newer schema, then brings an older one up to [`SCHEMA_VERSION`], one
/// transaction per step, all under the migration lock.
pub(super) fn migrate(client: &mut Client) -> Result<(), Error> {
    let found = version(client)?;
    check_not_newer(found)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // A session lock, taken before any transaction begins: each transaction below then starts
    // after the previous holder's commits, and sees their tables (a transaction that began
    // before them might still look the new tables up in a stale catalog cache).
    let _ = client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(storage("lock the schema for a migration"))?;
    let migrated = migrate_locked(client);
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .map_err(storage("unlock the schema after a migration"));
    migrated.and(unlocked.map(|_| ()))
}

/// Applies each step the store lacks, re-reading the version inside its transaction.
fn migrate_locked(client: &mut Client) -> Result<(), Error> {
    for (target, sql) in (1..).zip(MIGRATIONS) {
        let mut tx = client.transaction().map_err(storage("begin a migration"))?;
        let found = version(&mut tx)?;
        check_not_newer(found)?;
        if found >= target {
            continue;
        }
        tx.batch_execute(sql)
            .map_err(storage("migrate the schema"))?;
        let _ = tx
            .execute(
                "UPDATE ledger_schema SET version = $1",
                &[&i32::try_from(target).unwrap_or(i32::MAX)],
            )
            .map_err(storage("record the schema version"))?;
        tx.commit().map_err(storage("commit a migration"))?;
    }
    Ok(())
}

/// What a read-only store checks instead of migrating: the schema is exactly the current one.
pub(super) fn check_current(client: &mut Client) -> Result<(), Error> {
    let found = version(client)?;
    check_not_newer(found)?;
    if found < SCHEMA_VERSION {
        return Err(Error::Storage {
            operation: "check the schema version",
            message: format!(
                "the read-only store has schema version {found}, but this code reads version \
                 {SCHEMA_VERSION}; open the primary with PgStore::connect to migrate it"
            ),
        });
    }
    Ok(())
}

fn check_not_newer(found: i64) -> Result<(), Error> {
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
