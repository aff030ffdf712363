//! A throw-away PostgreSQL server for the tests and benches of `PgStore`: the system's
//! `initdb` and `pg_ctl` (from `/usr/lib/postgresql/<version>/bin`) set up a cluster in a
//! temporary directory that listens only on a Unix socket in that directory, and stop it and
//! remove everything on drop.
//!
//! PostgreSQL refuses to run as root. When the tests run as root (as CI does), the cluster
//! belongs to and runs as the `postgres` user (which the `postgresql` package creates), or
//! `nobody` when there is none; the tests still connect as root through the socket.
//!
//! When no server binaries are installed, [`shared`] says so on stderr and returns `None`, and
//! the tests that need a server return early: skipped, not failed. `.ci/run` installs them.

#![allow(dead_code)] // Each test binary uses part of this.

use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// The superuser `initdb` creates, trusted on the socket.
const SUPERUSER: &str = "smtrust";

/// A running throw-away cluster.
pub struct Server {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
}

/// Whether the server flushes its WAL to the disk. The tests kill clients, never the server,
/// so they run without (a committed transaction is in the server's memory either way); the
/// benches run with it, as production does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fsync {
    On,
    Off,
}

impl Server {
    /// Starts a cluster, or returns why it cannot be started here: `Ok(None)` with the reason
    /// printed when no server binaries are installed; an error when they are but fail.
    pub fn start(fsync: Fsync) -> Result<Option<Self>, String> {
        let Some(bin) = find_binaries() else {
            skip_note();
            return Ok(None);
        };
        let server = Self::new_dir(bin, unprivileged_user()?)?;
        server.run(
            "initdb",
            &[
                "-D",
                &server.data(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ],
        )?;
        server.start_postmaster(fsync)?;
        Ok(Some(server))
    }

    /// A hot standby of this server (`pg_basebackup -R`, streaming replication over the
    /// socket), read-only, on its own socket.
    pub fn start_standby(&self) -> Result<Self, String> {
        let standby = Self::new_dir(self.bin.clone(), self.run_as)?;
        standby.run(
            "pg_basebackup",
            &[
                "-h",
                &self.socket_dir(),
                "-U",
                SUPERUSER,
                "-D",
                &standby.data(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ],
        )?;
        standby.start_postmaster(Fsync::Off)?;
        Ok(standby)
    }

    fn new_dir(bin: PathBuf, run_as: Option<(u32, u32)>) -> Result<Self, String> {
        let dir = tempfile::Builder::new()
            .prefix("smtrust-pg-")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| format!("cannot hand {} to uid {uid}: {e}", dir.path().display()))?;
        }
        Ok(Self { dir, bin, run_as })
    }

    fn start_postmaster(&self, fsync: Fsync) -> Result<(), String> {
        let fsync = match fsync {
            Fsync::On => "on",
            Fsync::Off => "off",
        };
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync={fsync} -c max_connections=300 \
             -c shared_buffers=64MB",
            self.socket_dir()
        );
        let log = self.dir.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log.to_string_lossy(),
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
    }

    /// The directory holding the socket.
    pub fn socket_dir(&self) -> String {
        self.dir.path().to_string_lossy().into_owned()
    }

    /// Connection parameters for the database `postgres` as the superuser, with `search_path`
    /// set to `schema`.
    pub fn params(&self, schema: &str) -> String {
        format!(
            "host={} user={SUPERUSER} dbname=postgres options=-csearch_path={schema}",
            self.socket_dir()
        )
    }

    /// A new empty schema (one log per schema, so tests sharing the server never meet), and
    /// the connection parameters that lead to it.
    pub fn new_log(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "log_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        self.execute(&format!("CREATE SCHEMA {schema}"));
        self.params(&schema)
    }

    /// Runs `sql` as the superuser (with the default `search_path`).
    pub fn execute(&self, sql: &str) {
        self.execute_in("public", sql);
    }

    /// Runs `sql` as the superuser in the log whose parameters are `params`.
    pub fn execute_at(params: &str, sql: &str) {
        let mut client = postgres::Client::connect(params, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect with {params}: {e}"));
        client
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }

    fn execute_in(&self, schema: &str, sql: &str) {
        Self::execute_at(&self.params(schema), sql);
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let mut command = Command::new(self.bin.join(program));
        command
            .args(args)
            .env("LC_ALL", "C")
            .current_dir(self.dir.path());
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid);
        }
        let output = command
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if output.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        Err(format!(
            "{program} failed ({}):\n{}{}\n{log}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.data();
        if let Err(reason) = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]) {
            let _ = writeln!(std::io::stderr(), "stopping the test server: {reason}");
        }
    }
}

/// The server shared by the tests of one test binary that run at the same time: started by
/// the first, stopped when the last one running drops it. `None` (with the reason printed)
/// when no server binaries are installed.
pub fn shared() -> Option<Arc<Server>> {
    static SHARED: Mutex<Weak<Server>> = Mutex::new(Weak::new());
    let mut slot = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(server) = slot.upgrade() {
        return Some(server);
    }
    let server = Arc::new(Server::start(Fsync::Off).unwrap_or_else(|e| panic!("{e}"))?);
    *slot = Arc::downgrade(&server);
    Some(server)
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `pg_ctl`.
pub fn find_binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn skip_note() {
    let _ = writeln!(
        std::io::stderr(),
        "skipped: PostgreSQL tests need the server binaries (initdb, pg_ctl) under \
         /usr/lib/postgresql/*/bin, and none are installed; \
         `apt-get install postgresql` installs them"
    );
}

/// When running as root: the uid and gid of `postgres` (or `nobody`), which initdb and the
/// server run as.
fn unprivileged_user() -> Result<Option<(u32, u32)>, String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("cannot run id: {e}"))?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd")
        .map_err(|e| format!("cannot read /etc/passwd: {e}"))?;
    for name in ["postgres", "nobody"] {
        let ids = passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&name))
                .then(|| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))?
        });
        if let Some(ids) = ids {
            return Ok(Some(ids));
        }
    }
    Err(
        "running as root, but there is neither a postgres nor a nobody user to run the \
         server as"
            .to_owned(),
    )
}
