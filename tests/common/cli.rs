//! Helpers for the tests of the `smtrust` command line (examples/smtrust): running it, and the
//! exit statuses and one-line reasons of the CLI contract (DESIGN.md).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use super::example_binary;

/// A command for the `smtrust` example binary, built once per test binary.
pub fn smtrust() -> Command {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    Command::new(BINARY.get_or_init(|| example_binary("smtrust")))
}

/// Runs `smtrust` with `args` and an empty standard input.
pub fn run(args: &[&str]) -> Output {
    smtrust().args(args).output().expect("run smtrust")
}

/// Runs `smtrust` with `args` and `stdin` as standard input.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut command = smtrust();
    command.args(args);
    run_command(command, stdin)
}

/// Runs `command` with `stdin` as standard input, feeding it from another thread so that a
/// child streaming its output cannot deadlock against us.
pub fn run_command(mut command: Command, stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // A child that exits early closes its end; that is its answer, not a test failure.
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    output
}

/// Asserts the exit status, showing both output streams when it differs.
pub fn assert_status(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Asserts that a failure printed exactly one line on stderr, `smtrust: <reason>`, and returns
/// it.
pub fn assert_one_line_reason(output: &Output) -> String {
    let stderr = stderr(output);
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.starts_with("smtrust: "), "stderr: {stderr}");
    stderr
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch directory, removed with everything in it when dropped.
pub struct Dir(tempfile::TempDir);

impl Dir {
    /// A fresh directory whose name starts with `smtrust-cli-<name>-`.
    pub fn new(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("smtrust-cli-{name}-"))
            .tempdir()
            .unwrap();
        Self(dir)
    }

    /// The path of `file` in this directory, as a command-line argument.
    pub fn path(&self, file: &str) -> String {
        self.0.path().join(file).to_str().unwrap().to_owned()
    }
}
