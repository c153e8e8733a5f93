//! Ephemeral PostgreSQL clusters, for autogen's dev database and for every
//! test that needs a real server.
//!
//! - [`Binaries`] finds `postgres`, `initdb`, `psql`, `pg_dump`:
//!   `AUTOGEN_PG_BIN`, then `.pg/16/` as `scripts/install-postgres` lays it
//!   out, then `pg_config --bindir`, then `PATH`.
//! - [`Cluster`] is one server of its own in a temporary directory, stopped
//!   and removed on drop — or by its watchdog when the process dies first;
//!   [`Config`] adds settings, a `pg_hba.conf` and files (a TLS-only server).
//! - [`shared`] and [`fresh_database`] give tests one server per process and
//!   a fresh database per test (`AUTOGEN_TEST_DATABASE_URL` points them at an
//!   existing server instead).

mod binaries;
mod cluster;
mod server;

pub use binaries::{Binaries, DEFAULT_MAJOR};
pub(crate) use cluster::RunAs;
pub use cluster::{Cluster, Config};
pub use server::{fresh_database, shared, Database, Server};

/// What can go wrong finding, starting or using PostgreSQL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no PostgreSQL binaries found (looked in: {}); run `scripts/install-postgres` \
         or point AUTOGEN_PG_BIN at a directory holding postgres and initdb",
        searched.join("; ")
    )]
    NotFound { searched: Vec<String> },
    #[error("{user} cannot run {}; install PostgreSQL where that user can reach it", path.display())]
    Unreachable { path: std::path::PathBuf, user: String },
    #[error("initdb failed: {output}")]
    Initdb { output: String },
    #[error("the PostgreSQL server did not start; its log:\n{log}")]
    Start { log: String },
    #[error("{command} failed: {output}")]
    Command { command: String, output: String },
    #[error("AUTOGEN_TEST_DATABASE_URL is not a valid URL: {reason}")]
    BadUrl { reason: String },
    #[error("the shared test server is unavailable: {message}")]
    Shared { message: String },
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}
