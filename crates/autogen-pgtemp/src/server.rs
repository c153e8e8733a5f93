//! A server to hand out fresh databases from: an ephemeral [`Cluster`], or an
//! existing server named by `AUTOGEN_TEST_DATABASE_URL`. Tests share one per
//! process through [`shared`].

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use url::Url;

use crate::{Binaries, Cluster, Error};

/// Where databases come from.
#[derive(Debug)]
pub enum Server {
    /// A cluster this process started.
    Cluster(Cluster),
    /// An existing server: databases are created through `url`'s database.
    External { url: Url, binaries: Binaries },
}

impl Server {
    /// The server named by `AUTOGEN_TEST_DATABASE_URL` if set, else a new
    /// ephemeral cluster.
    pub fn from_env() -> Result<Self, Error> {
        match std::env::var("AUTOGEN_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let url = Url::parse(&url)
                    .map_err(|error| Error::BadUrl { reason: error.to_string() })?;
                Ok(Server::External { url, binaries: Binaries::find()? })
            }
            _ => Ok(Server::Cluster(Cluster::start()?)),
        }
    }

    /// The binaries used for `psql` and `pg_dump`.
    pub fn binaries(&self) -> &Binaries {
        match self {
            Server::Cluster(cluster) => cluster.binaries(),
            Server::External { binaries, .. } => binaries,
        }
    }

    /// A URL for `database` on this server.
    pub fn url(&self, database: &str) -> String {
        match self {
            Server::Cluster(cluster) => cluster.url(database),
            Server::External { url, .. } => {
                let mut url = url.clone();
                url.set_path(database);
                url.to_string()
            }
        }
    }

    fn maintenance_url(&self) -> String {
        match self {
            Server::Cluster(cluster) => cluster.url("postgres"),
            Server::External { url, .. } => url.to_string(),
        }
    }

    /// Creates an empty database (`TEMPLATE template0`) with a name of its
    /// own; dropping the returned value drops the database.
    pub fn create_database(&self) -> Result<Database<'_>, Error> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name =
            format!("autogen_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        self.psql_command(
            &self.maintenance_url(),
            &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
        )?;
        Ok(Database { url: self.url(&name), name, server: self })
    }

    /// Drops `name` (`WITH (FORCE)`), if it exists.
    pub fn drop_database(&self, name: &str) -> Result<(), Error> {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name.replace('"', "\"\""));
        self.psql_command(&self.maintenance_url(), &sql).map(|_| ())
    }

    fn psql_command(&self, url: &str, sql: &str) -> Result<String, Error> {
        let output = self
            .psql(url)
            .arg("-c")
            .arg(sql)
            .output()
            .map_err(|source| Error::io("running psql", source))?;
        checked("psql", output)
    }

    fn psql(&self, url: &str) -> Command {
        let mut command = Command::new(self.binaries().path("psql"));
        command
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url])
            .stdin(Stdio::null());
        command
    }
}

/// A database of its own for one test; dropped with this value.
#[derive(Debug)]
pub struct Database<'server> {
    name: String,
    url: String,
    server: &'server Server,
}

impl Database<'_> {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL that connects to it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server it lives on.
    pub fn server(&self) -> &Server {
        self.server
    }

    /// Runs `sql` (one or more statements) with psql, stopping at the first
    /// error; returns what psql printed (unaligned, tuples only).
    pub fn execute(&self, sql: &str) -> Result<String, Error> {
        let output = self
            .server
            .psql(&self.url)
            .arg("-c")
            .arg(sql)
            .output()
            .map_err(|source| Error::io("running psql", source))?;
        checked("psql", output)
    }

    /// Runs the SQL script `path` with psql in one transaction, stopping at
    /// the first error.
    pub fn load_file(&self, path: &Path) -> Result<(), Error> {
        let output = self
            .server
            .psql(&self.url)
            .arg("--single-transaction")
            .arg("-f")
            .arg(path)
            .output()
            .map_err(|source| Error::io(format!("loading {}", path.display()), source))?;
        checked("psql", output).map(|_| ())
    }

    /// Runs the SQL script `path` with psql statement by statement, outside
    /// any transaction it does not open itself (for scripts such as
    /// `CREATE INDEX CONCURRENTLY`), stopping at the first error.
    pub fn run_file(&self, path: &Path) -> Result<(), Error> {
        let output = self
            .server
            .psql(&self.url)
            .arg("-f")
            .arg(path)
            .output()
            .map_err(|source| Error::io(format!("running {}", path.display()), source))?;
        checked("psql", output).map(|_| ())
    }

    /// Runs the SQL script `sql` (given as text) like [`Database::load_file`].
    pub fn load_sql(&self, sql: &str) -> Result<(), Error> {
        let mut script = tempfile_path("load", "sql");
        std::fs::write(&script, sql)
            .map_err(|source| Error::io("writing a script to load", source))?;
        let result = self.load_file(&script);
        let _ = std::fs::remove_file(&script);
        script.clear();
        result
    }

    /// The server's major version (`server_version_num` / 10000).
    pub fn server_major(&self) -> Result<u32, Error> {
        let number = self.execute("SHOW server_version_num")?;
        number.trim().parse::<u32>().map(|number| number / 10_000).map_err(|_| Error::Command {
            command: "SHOW server_version_num".to_owned(),
            output: format!("not a number: {number}"),
        })
    }

    /// Whether the server can install extension `name` (pgvector is
    /// `vector`; Debian's PostgreSQL 15 has none).
    pub fn has_extension(&self, name: &str) -> Result<bool, Error> {
        let count = self.execute(&format!(
            "SELECT count(*) FROM pg_available_extensions WHERE name = '{}'",
            name.replace('\'', "''")
        ))?;
        Ok(count.trim() == "1")
    }

    /// Whether the server was built with ICU: `initdb` then imports ICU's
    /// collations (`und-x-icu` among them; the `unicode` collation is in
    /// the catalog either way). `CREATE COLLATION … (provider = icu)` is
    /// refused without.
    pub fn has_icu(&self) -> Result<bool, Error> {
        let count =
            self.execute("SELECT count(*) FROM pg_collation WHERE collname = 'und-x-icu'")?;
        Ok(count.trim() != "0")
    }

    /// `pg_dump --schema-only --no-owner --no-privileges` of this database.
    pub fn dump_schema(&self) -> Result<String, Error> {
        let output = Command::new(self.server.binaries().path("pg_dump"))
            .args(["--schema-only", "--no-owner", "--no-privileges", "-d", &self.url])
            .stdin(Stdio::null())
            .output()
            .map_err(|source| Error::io("running pg_dump", source))?;
        checked("pg_dump", output)
    }
}

impl Drop for Database<'_> {
    fn drop(&mut self) {
        let _ = self.server.drop_database(&self.name);
    }
}

/// The server this process's tests share, started on first use: the one
/// named by `AUTOGEN_TEST_DATABASE_URL`, or else one ephemeral cluster. The
/// cluster lives until the process ends; its watchdog then stops it and
/// removes its directory, also when a test panicked or the process aborted.
pub fn shared() -> Result<&'static Server, Error> {
    static SHARED: OnceLock<Result<Server, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| Server::from_env().map_err(|error| error.to_string()))
        .as_ref()
        .map_err(|message| Error::Shared { message: message.clone() })
}

/// A fresh database on the [`shared`] server.
pub fn fresh_database() -> Result<Database<'static>, Error> {
    shared()?.create_database()
}

fn checked(program: &str, output: Output) -> Result<String, Error> {
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(Error::Command {
            command: program.to_owned(),
            output: String::from_utf8_lossy(&output.stderr).trim_end().to_owned(),
        })
    }
}

fn tempfile_path(stem: &str, extension: &str) -> std::path::PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "autogen-{stem}-{}-{}.{extension}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}
