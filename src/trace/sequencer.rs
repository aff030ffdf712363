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

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Mutex, MutexGuard};

use super::layout::subtree_indexes;
use super::ledger::{Committed, MAX_BATCH_LEN};
use super::reader::read_exact;
use super::{
    Batch, Checkpoint, Entry, Error, Hash, HashReader, Link, LogSigner, SM3, Store, StoredEntry,
    VerifiedCheckpoint, stored_hash_count, stored_hash_index,
};

/// How many serials' newest entries the sequencer remembers, so that linking an entry to
/// its serial's previous one needs no store read for recently active serials. Bounds the
/// memory (about 100 bytes a serial); when full, the memory is emptied and refilled.
const MAX_REMEMBERED_SERIALS: usize = 65_536;

/// How many times a group is written before the sequencer gives up because other processes
/// keep appending to the store first ([`Error::AppendContended`]).
const MAX_ATTEMPTS: u32 = 4;

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
    /// The tree's right edge: the hashes of the complete subtrees that make up the tree of
    /// `size` leaves, left (largest) to right (at most 62). An append computes its new hashes
    /// from these and its leaf hashes alone, so it needs no store reads. Read from the store at the first append, so that
    /// opening a damaged store still lets [`Ledger::verify`](super::Ledger::verify) say where
    /// it is damaged.
    edge: Option<Vec<Hash>>,
    /// The newest committed entry of recently active serials.
    newest: HashMap<String, Link>,
    /// Whether a write failed since the state was last read from the store: then the store
    /// may hold more than `size` leaves (another process appended first, or the failure came
    /// after the commit), and the state is read again before the next group.
    stale: bool,
}

impl Sequencer {
    /// A sequencer for a log of `size` committed leaves.
    pub(super) fn new(size: u64) -> Self {
        Self {
            state: Mutex::new(State {
                size,
                edge: None,
                newest: HashMap::new(),
                stale: false,
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
    ///
    /// If the store refuses the batch because another process appended first
    /// ([`Error::AppendConflict`]), the state is reloaded from the store and the group linked
    /// and written again, up to [`MAX_ATTEMPTS`] times in all.
    fn commit_group<S: Store>(&mut self, store: &S, signer: &LogSigner, mut group: Vec<Request>) {
        for attempt in 1..=MAX_ATTEMPTS {
            let linked = match self
                .reload_if_stale(store, signer)
                .and_then(|()| self.link_group(store, &mut group))
            {
                Ok(linked) => linked,
                Err(err) => return answer_all(group, &err),
            };
            if group.is_empty() {
                return;
            }
            match self.write(store, signer, &linked.stored, &linked.leaf_hashes) {
                Ok(checkpoint) => {
                    if self.newest.len() + linked.newest.len() > MAX_REMEMBERED_SERIALS {
                        self.newest.clear();
                    }
                    self.newest.extend(linked.newest);
                    for (request, first_leaf) in group.into_iter().zip(linked.first_leaves) {
                        let _ = request.reply.send(Answer::Done(Ok(Committed {
                            first_leaf,
                            checkpoint: checkpoint.clone(),
                        })));
                    }
                    return;
                }
                // The store may hold more than the sequencer knows: a write that failed may
                // have been refused because another process appended first, or may have
                // failed after the commit reached the disk.
                Err(err) => {
                    self.stale = true;
                    match err {
                        Error::AppendConflict { .. } if attempt < MAX_ATTEMPTS => {}
                        Error::AppendConflict { .. } => {
                            return answer_all(
                                group,
                                &Error::AppendContended { attempts: attempt },
                            );
                        }
                        err => return answer_all(group, &err),
                    }
                }
            }
        }
    }

    /// After a failed write, reloads what the sequencer knows from the store: the size of the
    /// latest checkpoint (verified), and forgets the tree's edge and every serial's newest
    /// entry, as another process may have appended to any serial.
    fn reload_if_stale<S: Store>(&mut self, store: &S, signer: &LogSigner) -> Result<(), Error> {
        if !self.stale {
            return Ok(());
        }
        self.edge = None;
        self.newest.clear();
        let note = store.latest_checkpoint()?.ok_or(Error::NoCheckpoint)?;
        self.size = signer.verifier().verify(&note)?.size();
        self.stale = false;
        Ok(())
    }

    /// Encodes the entries of `group`, to be leaves from the committed size on, each linked
    /// to its serial's previous entry. A request that cannot be encoded is answered with its
    /// error and removed from `group`; the rest go ahead.
    ///
    /// The serials the sequencer does not remember are looked up in the store together, in
    /// one call ([`Store::last_leaves`]).
    fn link_group<S: Store>(&self, store: &S, group: &mut Vec<Request>) -> Result<Linked, Error> {
        let mut unknown: Vec<&str> = Vec::new();
        let mut asked: HashSet<&str> = HashSet::new();
        for entry in group.iter().flat_map(|request| &request.entries) {
            let serial = entry.serial();
            if !self.newest.contains_key(serial) && asked.insert(serial) {
                unknown.push(serial);
            }
        }
        let stored_links = newest_stored(store, &unknown, self.size)?;
        let mut linked = Linked::default();
        let mut kept = Vec::with_capacity(group.len());
        for request in group.drain(..) {
            let first_leaf = self.size + u64::try_from(linked.stored.len()).unwrap_or(u64::MAX);
            let mut newest: HashMap<String, Link> = HashMap::new();
            let mut encoded = Vec::with_capacity(request.entries.len());
            let mut failure = None;
            for (leaf, entry) in (first_leaf..).zip(&request.entries) {
                let serial = entry.serial();
                let previous = newest
                    .get(serial)
                    .or_else(|| linked.newest.get(serial))
                    .or_else(|| self.newest.get(serial))
                    .or_else(|| stored_links.get(serial))
                    .copied();
                match entry.linked_der(previous) {
                    Ok(der) => {
                        let leaf_hash = SM3.hash_leaf(&der);
                        let _ = newest.insert(serial.to_owned(), Link::new(leaf, leaf_hash));
                        encoded.push((serial, der, leaf_hash));
                    }
                    Err(err) => {
                        failure = Some(err);
                        break;
                    }
                }
            }
            if let Some(err) = failure {
                let _ = request.reply.send(Answer::Done(Err(err)));
                continue;
            }
            linked.newest.extend(newest);
            for (serial, der, leaf_hash) in encoded {
                linked.stored.push(StoredEntry {
                    serial: serial.to_owned(),
                    der,
                });
                linked.leaf_hashes.push(leaf_hash);
            }
            linked.first_leaves.push(first_leaf);
            kept.push(request);
        }
        *group = kept;
        Ok(linked)
    }

    /// Computes the batch's subtree hashes and checkpoint from its leaf hashes and the tree's
    /// edge, writes it, and moves to the new size.
    fn write<S: Store>(
        &mut self,
        store: &S,
        signer: &LogSigner,
        stored: &[StoredEntry],
        leaf_hashes: &[Hash],
    ) -> Result<VerifiedCheckpoint, Error> {
        let first_leaf = self.size;
        let first_hash = stored_hash_count(first_leaf)?;
        let new_size = first_leaf + u64::try_from(stored.len()).unwrap_or(u64::MAX);
        let _ = stored_hash_count(new_size)?;
        let mut edge = match &self.edge {
            Some(edge) => edge.clone(),
            None => edge_of(first_leaf, store)?,
        };
        let mut hashes = Vec::with_capacity(2 * stored.len());
        for (leaf, leaf_hash) in (first_leaf..).zip(leaf_hashes) {
            // Leaf `leaf` completes one subtree per trailing one bit of `leaf`; the left
            // sibling at each level is the smallest complete subtree on the edge.
            let mut node = *leaf_hash;
            hashes.push(node);
            for level in 0..leaf.trailing_ones() {
                let left = edge.pop().ok_or(Error::HashNotStored {
                    index: stored_hash_index(level, (leaf >> level) ^ 1)?,
                    stored: first_hash,
                })?;
                node = SM3.hash_children(&left, &node);
                hashes.push(node);
            }
            edge.push(node);
        }
        // The root folds the edge's subtrees from the right (RFC 9162 §2.1.1).
        let root = edge
            .iter()
            .rev()
            .copied()
            .reduce(|right, left| SM3.hash_children(&left, &right))
            .unwrap_or_else(|| SM3.empty_root());
        let checkpoint = Checkpoint::new(signer.verifier().name(), new_size, root)?;
        let signed = signer.sign_verified(&checkpoint)?;
        store.append(&Batch {
            first_leaf,
            entries: stored,
            first_hash,
            hashes: &hashes,
            checkpoint_size: new_size,
            checkpoint: signed.note(),
        })?;
        self.edge = Some(edge);
        self.size = new_size;
        Ok(signed)
    }
}

/// A group's entries, encoded and linked, ready to be written.
#[derive(Default)]
struct Linked {
    /// The entries, in leaf order.
    stored: Vec<StoredEntry>,
    /// Each entry's leaf hash, the same order.
    leaf_hashes: Vec<Hash>,
    /// Each kept request's first leaf, in request order.
    first_leaves: Vec<u64>,
    /// Each serial's newest link after the group.
    newest: HashMap<String, Link>,
}

/// Answers every request of `group` with `err`.
fn answer_all(group: Vec<Request>, err: &Error) {
    for request in group {
        let _ = request.reply.send(Answer::Done(Err(err.clone())));
    }
}

/// The links to the newest stored entries of `serials` below `size`, from the store, for the
/// serials that have one.
fn newest_stored<S: Store>(
    store: &S,
    serials: &[&str],
    size: u64,
) -> Result<HashMap<String, Link>, Error> {
    if serials.is_empty() {
        return Ok(HashMap::new());
    }
    let leaves = store.last_leaves(serials, size)?;
    if leaves.len() != serials.len() {
        return Err(Error::Storage {
            operation: "read the serial index",
            message: format!(
                "asked for the newest leaves of {} serials, got {}",
                serials.len(),
                leaves.len()
            ),
        });
    }
    let found: Vec<(&str, u64)> = serials
        .iter()
        .zip(leaves)
        .filter_map(|(serial, leaf)| Some((*serial, leaf?)))
        .collect();
    let positions = found
        .iter()
        .map(|(_, leaf)| stored_hash_index(0, *leaf))
        .collect::<Result<Vec<_>, _>>()?;
    let hashes = read_exact(store, &positions)?;
    Ok(found
        .into_iter()
        .zip(hashes)
        .map(|((serial, leaf), hash)| (serial.to_owned(), Link::new(leaf, hash)))
        .collect())
}

/// The hashes of the complete subtrees that make up the tree of `size` leaves, left to right.
fn edge_of<R: HashReader + ?Sized>(size: u64, reader: &R) -> Result<Vec<Hash>, Error> {
    let mut positions = Vec::new();
    subtree_indexes(0, size, &mut positions)?;
    read_exact(reader, &positions)
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
