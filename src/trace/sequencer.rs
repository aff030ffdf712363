//! The sequencer: gives entries their leaf indexes and links, and commits them in groups
//! (group commit), each group as one transaction with one signed checkpoint.
//!
//! A caller queues its request. If no caller is leading, it becomes the leader: it takes
//! every queued request (up to [`MAX_BATCH_LEN`] entries), writes them as one batch, answers
//! each once the batch is durable, and hands the lead to the oldest request that arrived
//! meanwhile (or gives it up if none did). Every other caller just waits for its answer. So
//! while one transaction is being flushed, the requests that arrive gather into the next one:
//! concurrent single appends share a flush instead of paying one each, and no caller leads
//! for longer than one group.

use std::collections::HashMap;
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Mutex, MutexGuard};

use super::layout::subtree_indexes;
use super::ledger::{Committed, MAX_BATCH_LEN};
use super::reader::read_exact;
use super::{
    Batch, Checkpoint, Entry, Error, Hash, HashReader, Link, LogSigner, SM3, Store, StoredEntry,
    VerifiedCheckpoint, hashes_to_store, stored_hash_count, stored_hash_index, tree_hash,
};

/// How many serials' newest entries the sequencer remembers, so that linking an entry to
/// its serial's previous one needs no store read for recently active serials. Bounds the
/// memory (about 100 bytes a serial); when full, the memory is emptied and refilled.
const MAX_REMEMBERED_SERIALS: usize = 65_536;

/// Orders appends; one per ledger.
pub(super) struct Sequencer {
    /// Held by the leader while a group is made and written.
    state: Mutex<State>,
    /// Requests waiting for the next group, and whether a caller is leading.
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    requests: Vec<Request>,
    leading: bool,
}

/// One caller's entries, committed as one contiguous run of leaves, and where to answer.
struct Request {
    entries: Vec<Entry>,
    reply: SyncSender<Answer>,
}

/// What a waiting caller is told.
enum Answer {
    /// Its request was committed, or failed.
    Done(Result<Committed, Error>),
    /// It leads now: its request is the oldest in the queue.
    Lead,
}

/// What the sequencer knows between groups.
struct State {
    /// The committed size.
    size: u64,
    /// The tree's right edge: the positions and hashes of the complete subtrees that make up
    /// the tree of `size` leaves (at most 62). An append reads only these and its own new
    /// hashes, so it needs no store reads. Read from the store at the first append, so that
    /// opening a damaged store still lets [`Ledger::verify`](super::Ledger::verify) say where
    /// it is damaged.
    edge: Option<Vec<(u64, Hash)>>,
    /// The newest committed entry of recently active serials.
    newest: HashMap<String, Link>,
}

impl Sequencer {
    /// A sequencer for a log of `size` committed leaves.
    pub(super) fn new(size: u64) -> Self {
        Self {
            state: Mutex::new(State {
                size,
                edge: None,
                newest: HashMap::new(),
            }),
            queue: Mutex::new(Queue::default()),
        }
    }

    /// Commits `entries` as one contiguous run of leaves, in one group with whatever other
    /// requests are waiting; returns once the group's batch is durably written.
    pub(super) fn commit<S: Store>(
        &self,
        store: &S,
        signer: &LogSigner,
        entries: Vec<Entry>,
    ) -> Result<Committed, Error> {
        // Room for a `Lead` and a `Done`, so that answering never blocks the leader.
        let (reply, answers) = mpsc::sync_channel(2);
        let mut lead = {
            let mut queue = lock(&self.queue, "lock the append queue")?;
            queue.requests.push(Request { entries, reply });
            !core::mem::replace(&mut queue.leading, true)
        };
        loop {
            if lead {
                self.lead_one_group(store, signer);
            }
            match answers.recv() {
                Ok(Answer::Done(result)) => return result,
                Ok(Answer::Lead) => lead = true,
                Err(_) => return Err(unanswered()),
            }
        }
    }

    /// As the leader: commits one group and answers its requests, then hands the lead to the
    /// oldest waiting request, or gives it up.
    fn lead_one_group<S: Store>(&self, store: &S, signer: &LogSigner) {
        let group = self.take_group();
        match lock(&self.state, "lock the sequencer") {
            Ok(mut state) => state.commit_group(store, signer, group),
            Err(err) => {
                for request in group {
                    let _ = request.reply.send(Answer::Done(Err(err.clone())));
                }
            }
        }
        let Ok(mut queue) = self.queue.lock() else {
            return;
        };
        match queue.requests.first() {
            Some(next) => {
                let _ = next.reply.send(Answer::Lead);
            }
            None => queue.leading = false,
        }
    }

    /// Takes the oldest queued requests, as many as fit in one batch (at least one).
    fn take_group(&self) -> Vec<Request> {
        let Ok(mut queue) = self.queue.lock() else {
            return Vec::new();
        };
        let mut total = 0usize;
        let count = queue
            .requests
            .iter()
            .take_while(|request| {
                total = total.saturating_add(request.entries.len());
                total <= MAX_BATCH_LEN
            })
            .count()
            .max(1)
            .min(queue.requests.len());
        queue.requests.drain(..count).collect()
    }
}

impl State {
    /// Links and writes `group` as one batch, and answers every request in it.
    fn commit_group<S: Store>(&mut self, store: &S, signer: &LogSigner, group: Vec<Request>) {
        let mut batch_newest: HashMap<String, Link> = HashMap::new();
        let mut stored = Vec::new();
        let mut runs = Vec::with_capacity(group.len());
        for request in group {
            let first_leaf = self.size + u64::try_from(stored.len()).unwrap_or(u64::MAX);
            match self.link(store, &batch_newest, first_leaf, &request.entries) {
                Ok((linked, newest)) => {
                    batch_newest.extend(newest);
                    stored.extend(linked);
                    runs.push((request.reply, first_leaf));
                }
                // A request that cannot be encoded fails alone; the rest go ahead.
                Err(err) => {
                    let _ = request.reply.send(Answer::Done(Err(err)));
                }
            }
        }
        if runs.is_empty() {
            return;
        }
        let written = self.write(store, signer, &stored);
        match &written {
            Ok(_) => {
                if self.newest.len() + batch_newest.len() > MAX_REMEMBERED_SERIALS {
                    self.newest.clear();
                }
                self.newest.extend(batch_newest);
            }
            Err(_) => self.newest.clear(),
        }
        for (reply, first_leaf) in runs {
            let _ = reply.send(Answer::Done(written.clone().map(|checkpoint| Committed {
                first_leaf,
                checkpoint,
            })));
        }
    }

    /// Encodes `entries`, to be leaves from `first_leaf` on, each linked to its serial's
    /// previous entry. Returns them and each serial's newest link after them.
    fn link<S: Store>(
        &self,
        store: &S,
        batch_newest: &HashMap<String, Link>,
        first_leaf: u64,
        entries: &[Entry],
    ) -> Result<(Vec<StoredEntry>, HashMap<String, Link>), Error> {
        let mut newest: HashMap<String, Link> = HashMap::new();
        let mut linked = Vec::with_capacity(entries.len());
        for (leaf, entry) in (first_leaf..).zip(entries) {
            let serial = entry.serial();
            let remembered = newest
                .get(serial)
                .or_else(|| batch_newest.get(serial))
                .or_else(|| self.newest.get(serial))
                .copied();
            let previous = match remembered {
                Some(link) => Some(link),
                None => newest_stored(store, serial, self.size)?,
            };
            let der = entry.linked(previous).to_der()?;
            let _ = newest.insert(serial.to_owned(), Link::new(leaf, SM3.hash_leaf(&der)));
            linked.push(StoredEntry {
                serial: serial.to_owned(),
                der,
            });
        }
        Ok((linked, newest))
    }

    /// Computes the batch's hashes and checkpoint, writes it, and moves to the new size.
    fn write<S: Store>(
        &mut self,
        store: &S,
        signer: &LogSigner,
        stored: &[StoredEntry],
    ) -> Result<VerifiedCheckpoint, Error> {
        let first_leaf = self.size;
        let first_hash = stored_hash_count(first_leaf)?;
        let edge = match self.edge.take() {
            Some(edge) => edge,
            None => edge_of(first_leaf, store)?,
        };
        let mut pending = Pending {
            store,
            edge: &edge,
            first_hash,
            hashes: Vec::with_capacity(2 * stored.len()),
        };
        for (leaf, entry) in (first_leaf..).zip(stored) {
            let new = hashes_to_store(&SM3, leaf, &entry.der, &pending)?;
            pending.hashes.extend_from_slice(&new);
        }
        let new_size = first_leaf + u64::try_from(stored.len()).unwrap_or(u64::MAX);
        let root = tree_hash(&SM3, new_size, &pending)?;
        let checkpoint = Checkpoint::new(signer.verifier().name(), new_size, root)?;
        let signed = signer.sign_verified(&checkpoint)?;
        store.append(&Batch {
            first_leaf,
            entries: stored,
            first_hash,
            hashes: &pending.hashes,
            checkpoint_size: new_size,
            checkpoint: signed.note(),
        })?;
        self.edge = Some(edge_of(new_size, &pending)?);
        self.size = new_size;
        Ok(signed)
    }
}

/// The link to the newest stored entry of `serial` below `size`, from the store.
fn newest_stored<S: Store>(store: &S, serial: &str, size: u64) -> Result<Option<Link>, Error> {
    let Some(leaf) = store.last_leaf(serial, size)? else {
        return Ok(None);
    };
    let position = stored_hash_index(0, leaf)?;
    let hash = read_exact(store, &[position])?
        .into_iter()
        .next()
        .ok_or(Error::HashNotStored {
            index: position,
            stored: 0,
        })?;
    Ok(Some(Link::new(leaf, hash)))
}

fn edge_of<R: HashReader + ?Sized>(size: u64, reader: &R) -> Result<Vec<(u64, Hash)>, Error> {
    let mut positions = Vec::new();
    subtree_indexes(0, size, &mut positions)?;
    let hashes = read_exact(reader, &positions)?;
    Ok(positions.into_iter().zip(hashes).collect())
}

fn lock<'a, T>(mutex: &'a Mutex<T>, operation: &'static str) -> Result<MutexGuard<'a, T>, Error> {
    mutex.lock().map_err(|_| Error::Storage {
        operation,
        message: "an append panicked".to_owned(),
    })
}

/// The error of a request the sequencer dropped without answering (only after a panic).
fn unanswered() -> Error {
    Error::Storage {
        operation: "commit an append",
        message: "the sequencer dropped the request unanswered".to_owned(),
    }
}

/// The stored hashes with a batch's new ones on top, before the batch is written: the
/// batch's own hashes, then the sequencer's edge, then the store.
struct Pending<'a, S: Store> {
    store: &'a S,
    edge: &'a [(u64, Hash)],
    first_hash: u64,
    hashes: Vec<Hash>,
}

impl<S: Store> Pending<'_, S> {
    fn on_edge(&self, index: u64) -> Option<Hash> {
        self.edge
            .iter()
            .find(|(position, _)| *position == index)
            .map(|(_, hash)| *hash)
    }
}

impl<S: Store> HashReader for Pending<'_, S> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        let old: Vec<u64> = indexes
            .iter()
            .copied()
            .filter(|&i| i < self.first_hash && self.on_edge(i).is_none())
            .collect();
        let mut old = if old.is_empty() {
            Vec::new()
        } else {
            read_exact(self.store, &old)?
        }
        .into_iter();
        indexes
            .iter()
            .map(|&index| {
                if index < self.first_hash {
                    self.on_edge(index).or_else(|| old.next())
                } else {
                    usize::try_from(index - self.first_hash)
                        .ok()
                        .and_then(|i| self.hashes.get(i))
                        .copied()
                }
                .ok_or(Error::HashNotStored {
                    index,
                    stored: self.first_hash + u64::try_from(self.hashes.len()).unwrap_or(u64::MAX),
                })
            })
            .collect()
    }
}
