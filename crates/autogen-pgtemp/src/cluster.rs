//! One ephemeral cluster: `initdb -N` into a temporary directory, a server on
//! a free port and a private socket directory, and a watchdog that stops it
//! and removes the directory when this process ends, however it ends.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::{Binaries, Error};

/// How long a server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// What a cluster needs beyond the defaults, for [`Cluster::start_configured`]:
/// a TLS-only server, say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Server settings (`ssl` = `on`, …), given as `-c name=value` after the
    /// defaults, so they win.
    pub settings: Vec<(String, String)>,
    /// The whole `pg_hba.conf`, in place of initdb's (which trusts local
    /// and loopback connections).
    pub hba: Option<String>,
    /// Files written into the data directory before the server starts —
    /// certificates and keys, which `settings` name relative to it — owned
    /// by the server's user and readable only by it (mode 0600).
    pub files: Vec<(String, Vec<u8>)>,
}

/// A running PostgreSQL cluster of its own. Dropping it stops the server and
/// removes its directory; if the process dies first, the watchdog does both.
#[derive(Debug)]
pub struct Cluster {
    binaries: Binaries,
    root: PathBuf,
    port: u16,
    postmaster: Child,
    /// Holds the watchdog's stdin open: when this process ends, for any
    /// reason, the watchdog reads end-of-file, stops the server and removes
    /// `root`.
    watchdog: Option<(Child, ChildStdin)>,
}

impl Cluster {
    /// Starts a cluster with the binaries [`Binaries::find`] finds.
    pub fn start() -> Result<Self, Error> {
        Self::start_with(&Binaries::find()?)
    }

    /// Starts a cluster with `binaries`: `initdb -N` (no fsync), then the
    /// server with `fsync=off` on a free port, listening on 127.0.0.1 and a
    /// socket directory of its own. As root, the server runs as `nobody`.
    pub fn start_with(binaries: &Binaries) -> Result<Self, Error> {
        Self::start_configured(binaries, &Config::default())
    }

    /// [`Cluster::start_with`], with `config`'s settings, `pg_hba.conf` and
    /// files.
    pub fn start_configured(binaries: &Binaries, config: &Config) -> Result<Self, Error> {
        let run_as = RunAs::detect()?;
        let binaries = binaries.reachable_by(&run_as)?;
        let root = make_root_dir()?;
        run_as.give(&root)?;
        let watchdog = None;
        let mut cluster = match Self::init_and_start(&binaries, &run_as, &root, config) {
            Ok((port, postmaster)) => Self { binaries, root, port, postmaster, watchdog },
            Err(error) => {
                let _ = std::fs::remove_dir_all(&root);
                return Err(error);
            }
        };
        cluster.watchdog = Some(spawn_watchdog(cluster.postmaster.id(), &cluster.root)?);
        Ok(cluster)
    }

    fn init_and_start(
        binaries: &Binaries,
        run_as: &RunAs,
        root: &Path,
        config: &Config,
    ) -> Result<(u16, Child), Error> {
        let data_dir = root.join("data");
        let initdb = run_as
            .command(&binaries.path("initdb"))
            .arg("-N")
            .arg("-D")
            .arg(&data_dir)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
            .output()
            .map_err(|source| Error::io("running initdb", source))?;
        if !initdb.status.success() {
            return Err(Error::Initdb {
                output: String::from_utf8_lossy(&initdb.stderr).into_owned(),
            });
        }
        let private_files = config.hba.iter().map(|hba| ("pg_hba.conf", hba.as_bytes()));
        let private_files = private_files
            .chain(config.files.iter().map(|(name, contents)| (name.as_str(), &contents[..])));
        for (name, contents) in private_files {
            write_private(run_as, &data_dir.join(name), contents)?;
        }
        let mut last_error = None;
        for _ in 0..5 {
            let port = free_port()?;
            match start_postmaster(binaries, run_as, root, port, &config.settings) {
                Ok(postmaster) => return Ok((port, postmaster)),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| Error::Start { log: String::new() }))
    }

    /// The TCP port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The process id of the postmaster.
    pub fn pid(&self) -> u32 {
        self.postmaster.id()
    }

    /// The temporary directory holding the data directory, the socket and the log.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The binaries this cluster runs.
    pub fn binaries(&self) -> &Binaries {
        &self.binaries
    }

    /// A URL for `database` as the superuser `postgres` (no password: trust).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("postgres.log")).unwrap_or_default()
    }

    /// Stops the server (fast shutdown) and removes the directory.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some((mut watchdog, stdin)) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
            drop(stdin);
        }
        signal(self.postmaster.id(), libc::SIGINT);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.postmaster.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Ok(None) = self.postmaster.try_wait() {
            let _ = self.postmaster.kill();
            let _ = self.postmaster.wait();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.watchdog.is_some() || self.root.exists() {
            self.shut_down();
        }
    }
}

fn start_postmaster(
    binaries: &Binaries,
    run_as: &RunAs,
    root: &Path,
    port: u16,
    settings: &[(String, String)],
) -> Result<Child, Error> {
    let log_path = root.join("postgres.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|source| Error::io("creating the server log", source))?;
    run_as.give(&log_path)?;
    let log_for_stderr =
        log.try_clone().map_err(|source| Error::io("opening the server log", source))?;
    let mut postmaster = run_as
        .command(&binaries.path("postgres"))
        .arg("-D")
        .arg(root.join("data"))
        .arg("-p")
        .arg(port.to_string())
        .arg("-k")
        .arg(root)
        .args(["-c", "listen_addresses=127.0.0.1"])
        .args(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
        .args(["-c", "max_connections=100", "-c", "max_locks_per_transaction=1024"])
        .args(["-c", "log_min_messages=warning"])
        .args(
            settings.iter().flat_map(|(name, value)| ["-c".to_owned(), format!("{name}={value}")]),
        )
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_for_stderr)
        .spawn()
        .map_err(|source| Error::io("starting postgres", source))?;
    let pid_file = root.join("data").join("postmaster.pid");
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(_)) = postmaster.try_wait() {
            return Err(Error::Start {
                log: std::fs::read_to_string(&log_path).unwrap_or_default(),
            });
        }
        // Line 8 of postmaster.pid is the server's status; "ready" once it
        // accepts connections.
        if let Ok(contents) = std::fs::read_to_string(&pid_file) {
            if contents.lines().nth(7).is_some_and(|status| status.trim() == "ready") {
                return Ok(postmaster);
            }
        }
        if Instant::now() > deadline {
            let _ = postmaster.kill();
            let _ = postmaster.wait();
            return Err(Error::Start {
                log: std::fs::read_to_string(&log_path).unwrap_or_default(),
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Writes `contents` to `path`, owned by the server's user, mode 0600.
fn write_private(run_as: &RunAs, path: &Path, contents: &[u8]) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt as _;
    let context = || format!("writing {}", path.display());
    std::fs::write(path, contents).map_err(|source| Error::io(context(), source))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|source| Error::io(context(), source))?;
    run_as.give(path)
}

/// The watchdog: a shell in its own process group that waits for end-of-file
/// on its stdin — which comes when this process exits, panics, aborts or is
/// killed — then stops the server and removes its directory.
fn spawn_watchdog(postmaster: u32, root: &Path) -> Result<(Child, ChildStdin), Error> {
    const SCRIPT: &str = r#"cat >/dev/null
kill -INT "$1" 2>/dev/null
tries=0
while kill -0 "$1" 2>/dev/null && [ "$tries" -lt 300 ]; do sleep 0.1; tries=$((tries + 1)); done
kill -KILL "$1" 2>/dev/null
rm -rf "$2""#;
    use std::os::unix::process::CommandExt as _;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(SCRIPT)
        .arg("autogen-pgtemp-watchdog")
        .arg(postmaster.to_string())
        .arg(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|source| Error::io("starting the cluster's watchdog", source))?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    // Nothing is ever written; a flush proves the pipe is open.
    stdin.flush().map_err(|source| Error::io("talking to the cluster's watchdog", source))?;
    Ok((child, stdin))
}

fn make_root_dir() -> Result<PathBuf, Error> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let candidate = std::env::temp_dir().join(format!(
            "autogen-pgtemp-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(Error::io(format!("creating {}", candidate.display()), source))
            }
        }
    }
}

fn free_port() -> Result<u16, Error> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(|source| Error::io("finding a free port", source))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|source| Error::io("finding a free port", source))
}

fn signal(pid: u32, signal: libc::c_int) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe {
            libc::kill(pid, signal);
        }
    }
}

/// The user the server runs as: this process's own user, or `nobody` when
/// this process is root (PostgreSQL refuses to run as root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunAs {
    pub(crate) user_name: String,
    /// `Some((uid, gid))` when the server runs as another user through
    /// `setpriv`.
    switch_to: Option<(u32, u32)>,
}

impl RunAs {
    pub(crate) fn detect() -> Result<Self, Error> {
        // SAFETY: geteuid(2) cannot fail and touches no memory.
        let effective_uid = unsafe { libc::geteuid() };
        if effective_uid != 0 {
            return Ok(Self { user_name: "the current user".to_owned(), switch_to: None });
        }
        let (uid, gid) = lookup_user("nobody").unwrap_or((65534, 65534));
        Ok(Self { user_name: "nobody".to_owned(), switch_to: Some((uid, gid)) })
    }

    /// A command that runs `program` as this user.
    pub(crate) fn command(&self, program: &Path) -> Command {
        match self.switch_to {
            None => Command::new(program),
            Some((uid, gid)) => {
                let mut command = Command::new("setpriv");
                command
                    .arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg(program);
                command
            }
        }
    }

    /// Whether this user can reach and run `program` (`access(2)` says so,
    /// and `program --version` runs, shared libraries included).
    pub(crate) fn can_execute(&self, program: &Path) -> bool {
        let quiet = |mut command: Command| {
            command
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        let mut access = self.command(Path::new("sh"));
        access.args(["-c", r#"test -x "$0" && test -r "$0""#]).arg(program);
        let mut version = self.command(program);
        version.arg("--version");
        quiet(access) && quiet(version)
    }

    /// Makes `path` this user's.
    pub(crate) fn give(&self, path: &Path) -> Result<(), Error> {
        match self.switch_to {
            None => Ok(()),
            Some((uid, gid)) => {
                std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|source| {
                    Error::io(format!("handing {} to {}", path.display(), self.user_name), source)
                })
            }
        }
    }
}

/// `(uid, gid)` of `user` from `/etc/passwd`.
fn lookup_user(user: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != user {
            return None;
        }
        let uid = fields.nth(1)?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        Some((uid, gid))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_is_found_in_passwd() {
        let (uid, _) = lookup_user("nobody").expect("every Debian system has nobody");
        assert_ne!(uid, 0);
        assert_eq!(lookup_user("no-such-user-here"), None);
    }
}
