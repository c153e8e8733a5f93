//! Helpers shared by the CLI's integration tests: run the built binary,
//! compare texts with a readable diff.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The workspace root (where `fixtures/` and `snapshots/` live).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The `autogen` binary under test, with no `DATABASE_URL` inherited.
pub fn autogen() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command.env_remove("DATABASE_URL").env("NO_COLOR", "1");
    command
}

/// Runs `autogen args…` and returns its output.
pub fn run(args: &[&str]) -> Output {
    autogen().args(args).output().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Panics with a unified diff when `left` and `right` differ.
pub fn assert_same_text(left_name: &str, left: &str, right_name: &str, right: &str) {
    if left != right {
        let diff = similar::TextDiff::from_lines(left, right);
        panic!(
            "{left_name} and {right_name} differ:\n{}",
            diff.unified_diff().context_radius(3).header(left_name, right_name)
        );
    }
}

/// `pg_dump` output without its comment lines and its random `\restrict`
/// key lines, so two dumps of equal schemas compare equal.
pub fn normalize_dump(dump: &str) -> String {
    dump.lines()
        .filter(|line| {
            !line.starts_with("--")
                && !line.starts_with("\\restrict")
                && !line.starts_with("\\unrestrict")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The shared server's major version (`server_version_num` / 10000).
pub fn server_major(database: &autogen_pgtemp::Database<'_>) -> u32 {
    database.execute("SHOW server_version_num").unwrap().trim().parse::<u32>().unwrap() / 10000
}

/// Whether pgvector can be installed on the shared server.
pub fn has_pgvector(database: &autogen_pgtemp::Database<'_>) -> bool {
    database
        .execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
        .unwrap()
        .trim()
        == "1"
}
