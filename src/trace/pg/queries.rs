//! [`PgStore`]'s reads and its one write, each a single round trip where it can be (typed
//! queries need no prepare step).

use postgres::types::Type;

use super::super::layout::leaf_of_stored_hash;
use super::{PgStore, from_sql, storage, to_sql};
use crate::trace::{Batch, Error, HASH_LEN, Hash, HashReader, Store, StoredEntry};

impl HashReader for PgStore {
    /// Reads the rows of every leaf whose append stored one of `indexes`, in one query.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        let located: Vec<(u64, u64)> = indexes.iter().map(|&i| leaf_of_stored_hash(i)).collect();
        let mut leaves = located
            .iter()
            .map(|&(leaf, _)| to_sql(leaf))
            .collect::<Result<Vec<_>, _>>()?;
        leaves.sort_unstable();
        leaves.dedup();
        let rows = self
            .connection()?
            .query_typed(
                "SELECT leaf, hashes FROM ledger_entries WHERE leaf = ANY($1)",
                &[(&leaves, Type::INT8_ARRAY)],
            )
            .map_err(storage("read hashes"))?;
        let mut blobs = rows
            .iter()
            .map(|row| Ok((row.try_get::<_, i64>(0)?, row.try_get::<_, Vec<u8>>(1)?)))
            .collect::<Result<Vec<_>, postgres::Error>>()
            .map_err(storage("read hashes"))?;
        blobs.sort_unstable_by_key(|(leaf, _)| *leaf);
        let mut hashes = Vec::with_capacity(indexes.len());
        for (&index, &(leaf, offset)) in indexes.iter().zip(&located) {
            let leaf = to_sql(leaf)?;
            let hash = blobs
                .binary_search_by_key(&leaf, |(l, _)| *l)
                .ok()
                .and_then(|at| blobs.get(at))
                .and_then(|(_, blob)| hash_at(blob, offset));
            match hash {
                Some(hash) => hashes.push(hash),
                None => {
                    return Err(Error::HashNotStored {
                        index,
                        stored: self.hash_count()?,
                    });
                }
            }
        }
        Ok(hashes)
    }
}

/// The `offset`-th 32-byte hash in `blob`.
fn hash_at(blob: &[u8], offset: u64) -> Option<Hash> {
    let start = usize::try_from(offset).ok()?.checked_mul(HASH_LEN)?;
    Hash::from_slice(blob.get(start..start.checked_add(HASH_LEN)?)?).ok()
}

/// Splits a batch's hashes into the blob each leaf's row stores: leaf `n` stores
/// `1 + trailing_ones(n)` hashes.
fn hash_blobs(batch: &Batch<'_>) -> Result<Vec<Vec<u8>>, Error> {
    let mut remaining = batch.hashes;
    let mut blobs = Vec::with_capacity(batch.entries.len());
    for leaf in (batch.first_leaf..).take(batch.entries.len()) {
        let count = 1 + usize::try_from(leaf.trailing_ones()).unwrap_or(0);
        let (own, rest) = remaining.split_at_checked(count).ok_or(Error::Storage {
            operation: "append entries",
            message: "the batch holds fewer hashes than its leaves store".to_owned(),
        })?;
        remaining = rest;
        blobs.push(own.iter().flat_map(|h| *h.as_bytes()).collect());
    }
    if !remaining.is_empty() {
        return Err(Error::Storage {
            operation: "append entries",
            message: "the batch holds more hashes than its leaves store".to_owned(),
        });
    }
    Ok(blobs)
}

impl Store for PgStore {
    /// Writes the batch in one transaction under the table lock that serialises appends from
    /// every process (see [`PgStore`]).
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
        self.refuse_if_read_only("append a batch")?;
        let blobs = hash_blobs(batch)?;
        let leaves = (batch.first_leaf..)
            .take(batch.entries.len())
            .map(to_sql)
            .collect::<Result<Vec<_>, _>>()?;
        let serials: Vec<&str> = batch.entries.iter().map(|e| e.serial.as_str()).collect();
        let ders: Vec<&[u8]> = batch.entries.iter().map(|e| e.der.as_slice()).collect();

        let mut conn = self.connection()?;
        let mut tx = conn.transaction().map_err(storage("begin an append"))?;
        tx.batch_execute("LOCK TABLE ledger_checkpoints IN EXCLUSIVE MODE")
            .map_err(storage("lock the log for an append"))?;
        let latest: Option<i64> = tx
            .query_typed_one("SELECT max(size) FROM ledger_checkpoints", &[])
            .and_then(|row| row.try_get(0))
            .map_err(storage("read the store size"))?;
        let store_size = latest.map(from_sql).transpose()?;
        if store_size.unwrap_or(0) != batch.first_leaf || store_size == Some(batch.checkpoint_size)
        {
            return Err(Error::AppendConflict {
                batch_start: batch.first_leaf,
                store_size: store_size.unwrap_or(0),
            });
        }
        if !leaves.is_empty() {
            let _ = tx
                .execute_typed(
                    "INSERT INTO ledger_entries (leaf, serial, der, hashes)
                     SELECT * FROM unnest($1, $2, $3, $4)",
                    &[
                        (&leaves, Type::INT8_ARRAY),
                        (&serials, Type::TEXT_ARRAY),
                        (&ders, Type::BYTEA_ARRAY),
                        (&blobs, Type::BYTEA_ARRAY),
                    ],
                )
                .map_err(storage("append entries"))?;
        }
        let _ = tx
            .execute_typed(
                "INSERT INTO ledger_checkpoints (size, note) VALUES ($1, $2)",
                &[
                    (&to_sql(batch.checkpoint_size)?, Type::INT8),
                    (&batch.checkpoint, Type::BYTEA),
                ],
            )
            .map_err(storage("append the checkpoint"))?;
        tx.commit().map_err(storage("commit the batch"))
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, Error> {
        self.connection()?
            .query_typed_opt(
                "SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1",
                &[],
            )
            .and_then(|row| row.map(|row| row.try_get(0)).transpose())
            .map_err(storage("read the latest checkpoint"))
    }

    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        self.connection()?
            .query_typed_opt(
                "SELECT note FROM ledger_checkpoints WHERE size = $1",
                &[(&to_sql(size)?, Type::INT8)],
            )
            .and_then(|row| row.map(|row| row.try_get(0)).transpose())
            .map_err(storage("read a checkpoint"))
    }

    fn checkpoint_sizes(&self) -> Result<Vec<u64>, Error> {
        let sizes: Vec<i64> = self
            .connection()?
            .query_typed("SELECT size FROM ledger_checkpoints ORDER BY size", &[])
            .and_then(|rows| rows.iter().map(|row| row.try_get::<_, i64>(0)).collect())
            .map_err(storage("list checkpoints"))?;
        sizes.into_iter().map(from_sql).collect()
    }

    fn entries(&self, first: u64, limit: usize) -> Result<Vec<(u64, StoredEntry)>, Error> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .connection()?
            .query_typed(
                "SELECT leaf, serial, der FROM ledger_entries WHERE leaf >= $1
                 ORDER BY leaf LIMIT $2",
                &[(&to_sql(first)?, Type::INT8), (&limit, Type::INT8)],
            )
            .map_err(storage("read entries"))?;
        rows.iter()
            .map(|row| {
                let leaf: i64 = row.try_get(0).map_err(storage("read entries"))?;
                let entry = StoredEntry {
                    serial: row.try_get(1).map_err(storage("read entries"))?,
                    der: row.try_get(2).map_err(storage("read entries"))?,
                };
                Ok((from_sql(leaf)?, entry))
            })
            .collect()
    }

    fn entries_at(&self, indexes: &[u64]) -> Result<Vec<StoredEntry>, Error> {
        let leaves = indexes
            .iter()
            .map(|&i| to_sql(i))
            .collect::<Result<Vec<_>, _>>()?;
        let rows = self
            .connection()?
            .query_typed(
                "SELECT leaf, serial, der FROM ledger_entries WHERE leaf = ANY($1)",
                &[(&leaves, Type::INT8_ARRAY)],
            )
            .map_err(storage("read entries"))?;
        let mut found = rows
            .iter()
            .map(|row| {
                let entry = StoredEntry {
                    serial: row.try_get(1)?,
                    der: row.try_get(2)?,
                };
                Ok((row.try_get::<_, i64>(0)?, entry))
            })
            .collect::<Result<Vec<_>, postgres::Error>>()
            .map_err(storage("read entries"))?;
        found.sort_unstable_by_key(|(leaf, _)| *leaf);
        indexes
            .iter()
            .zip(&leaves)
            .map(|(&index, leaf)| {
                found
                    .binary_search_by_key(leaf, |(l, _)| *l)
                    .ok()
                    .and_then(|at| found.get(at))
                    .map(|(_, entry)| entry.clone())
                    .ok_or(Error::EntryMissing { index })
            })
            .collect()
    }

    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
        let leaves: Vec<i64> = self
            .connection()?
            .query_typed(
                "SELECT leaf FROM ledger_entries WHERE serial = $1 AND leaf < $2 ORDER BY leaf",
                &[(&serial, Type::TEXT), (&to_sql(size)?, Type::INT8)],
            )
            .and_then(|rows| rows.iter().map(|row| row.try_get::<_, i64>(0)).collect())
            .map_err(storage("read the serial index"))?;
        leaves.into_iter().map(from_sql).collect()
    }

    /// Every serial, in byte order (`COLLATE "C"`), as the other stores list them, whatever
    /// the database's collation.
    fn serials(&self) -> Result<Vec<String>, Error> {
        self.connection()?
            .query_typed(
                "SELECT DISTINCT serial COLLATE \"C\" AS s FROM ledger_entries ORDER BY s",
                &[],
            )
            .and_then(|rows| rows.iter().map(|row| row.try_get(0)).collect())
            .map_err(storage("list serials"))
    }

    fn last_leaf(&self, serial: &str, size: u64) -> Result<Option<u64>, Error> {
        let leaf: Option<i64> = self
            .connection()?
            .query_typed_one(
                "SELECT max(leaf) FROM ledger_entries WHERE serial = $1 AND leaf < $2",
                &[(&serial, Type::TEXT), (&to_sql(size)?, Type::INT8)],
            )
            .and_then(|row| row.try_get(0))
            .map_err(storage("read the serial index"))?;
        leaf.map(from_sql).transpose()
    }

    fn set_checkpoint_token(&self, size: u64, token: &[u8]) -> Result<(), Error> {
        self.refuse_if_read_only("store a checkpoint timestamp")?;
        let written = self
            .connection()?
            .execute_typed(
                "INSERT INTO ledger_checkpoint_tokens (size, token)
                 SELECT size, $2 FROM ledger_checkpoints WHERE size = $1
                 ON CONFLICT (size) DO UPDATE SET token = excluded.token",
                &[(&to_sql(size)?, Type::INT8), (&token, Type::BYTEA)],
            )
            .map_err(storage("store a checkpoint timestamp"))?;
        if written == 0 {
            return Err(Error::CheckpointNotStored { size });
        }
        Ok(())
    }

    fn checkpoint_token(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        self.connection()?
            .query_typed_opt(
                "SELECT token FROM ledger_checkpoint_tokens WHERE size = $1",
                &[(&to_sql(size)?, Type::INT8)],
            )
            .and_then(|row| row.map(|row| row.try_get(0)).transpose())
            .map_err(storage("read a checkpoint timestamp"))
    }

    fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        self.connection()?
            .query_typed_opt(
                "SELECT value FROM ledger_metadata WHERE name = $1",
                &[(&name, Type::TEXT)],
            )
            .and_then(|row| row.map(|row| row.try_get(0)).transpose())
            .map_err(storage("read metadata"))
    }

    fn set_metadata(&self, name: &str, value: &[u8]) -> Result<(), Error> {
        self.refuse_if_read_only("write metadata")?;
        let _ = self
            .connection()?
            .execute_typed(
                "INSERT INTO ledger_metadata (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                &[(&name, Type::TEXT), (&value, Type::BYTEA)],
            )
            .map_err(storage("write metadata"))?;
        Ok(())
    }

    fn hash_count(&self) -> Result<u64, Error> {
        let count: i64 = self
            .connection()?
            .query_typed_one(
                "SELECT (coalesce(sum(octet_length(hashes)), 0) / 32)::bigint FROM ledger_entries",
                &[],
            )
            .and_then(|row| row.try_get(0))
            .map_err(storage("count hashes"))?;
        from_sql(count)
    }
}
