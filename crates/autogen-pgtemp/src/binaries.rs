//! Finding PostgreSQL's binaries, and making them reachable for the
//! unprivileged user a root process runs the server as.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{Error, RunAs};

/// The PostgreSQL major version `scripts/install-postgres` installs by default.
pub const DEFAULT_MAJOR: &str = "16";

/// A directory holding `postgres`, `initdb`, `psql`, `pg_dump` and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binaries {
    bin_dir: PathBuf,
}

impl Binaries {
    /// Uses the binaries in `bin_dir` (which must hold `postgres` or, for a
    /// client-only use against an existing server, `psql`).
    pub fn at(bin_dir: impl Into<PathBuf>) -> Result<Self, Error> {
        let bin_dir = bin_dir.into();
        if bin_dir.join("postgres").is_file() || bin_dir.join("psql").is_file() {
            Ok(Self { bin_dir })
        } else {
            Err(Error::NotFound {
                searched: vec![format!("{} (no postgres or psql in it)", bin_dir.display())],
            })
        }
    }

    /// Finds binaries, in this order: `$AUTOGEN_PG_BIN`; `.pg/<major>/` of
    /// the current directory or one above it (and of this workspace), as
    /// `scripts/install-postgres` lays it out, `<major>` from
    /// `$AUTOGEN_PG_MAJOR` (default 16); `pg_config --bindir`; `PATH`.
    pub fn find() -> Result<Self, Error> {
        let mut searched = Vec::new();
        if let Some(bin_dir) = std::env::var_os("AUTOGEN_PG_BIN") {
            let bin_dir = PathBuf::from(bin_dir);
            if bin_dir.join("postgres").is_file() {
                return Ok(Self { bin_dir });
            }
            searched.push(format!("AUTOGEN_PG_BIN={} (no postgres in it)", bin_dir.display()));
        }
        let major = std::env::var("AUTOGEN_PG_MAJOR").unwrap_or_else(|_| DEFAULT_MAJOR.to_owned());
        let mut roots: Vec<PathBuf> = Vec::new();
        if let Ok(current) = std::env::current_dir() {
            roots.extend(current.ancestors().map(Path::to_path_buf));
        }
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        roots.push(workspace);
        for root in roots {
            let install = root.join(".pg").join(&major);
            if let Some(bin_dir) = wheel_bin_dir(&install) {
                return Ok(Self { bin_dir });
            }
        }
        searched
            .push(format!(".pg/{major}/ in the current directory, its parents and the workspace"));
        if let Ok(output) = Command::new("pg_config").arg("--bindir").stderr(Stdio::null()).output()
        {
            let bin_dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
            if output.status.success() && bin_dir.join("postgres").is_file() {
                return Ok(Self { bin_dir });
            }
        }
        searched.push("pg_config --bindir".to_owned());
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                if dir.join("postgres").is_file() && dir.join("initdb").is_file() {
                    return Ok(Self { bin_dir: dir });
                }
            }
        }
        searched.push("PATH".to_owned());
        Err(Error::NotFound { searched })
    }

    /// The directory the binaries are in.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// The path of one binary (`psql`, `pg_dump`, …).
    pub fn path(&self, program: &str) -> PathBuf {
        self.bin_dir.join(program)
    }

    /// `postgres --version`, e.g. `postgres (PostgreSQL) 16.14`.
    pub fn version(&self) -> Result<String, Error> {
        let output =
            Command::new(self.path("postgres")).arg("--version").output().map_err(|source| {
                Error::io(format!("running {}", self.path("postgres").display()), source)
            })?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Binaries `run_as` can execute: these, when it can reach them, or else a
    /// copy of the installation in the (world-readable) temporary directory,
    /// made once and reused. A checkout under a `0700` home directory is the
    /// usual reason for the copy.
    pub(crate) fn reachable_by(&self, run_as: &RunAs) -> Result<Self, Error> {
        if self.runnable_by(run_as) {
            return Ok(self.clone());
        }
        let install_root = self.install_root();
        let relative_bin = self.bin_dir.strip_prefix(&install_root).unwrap_or(Path::new("bin"));
        let tag = stable_hash(install_root.to_string_lossy().as_bytes());
        let copy = std::env::temp_dir().join(format!("autogen-pg-install-{tag:016x}"));
        let copied = Self { bin_dir: copy.join(relative_bin) };
        if copied.runnable_by(run_as) {
            return Ok(copied);
        }
        let staging = std::env::temp_dir()
            .join(format!("autogen-pg-install-{tag:016x}.{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        run_checked(Command::new("cp").arg("-a").arg(&install_root).arg(&staging))?;
        run_checked(Command::new("chmod").arg("-R").arg("a+rX").arg(&staging))?;
        let _ = std::fs::remove_dir_all(&copy);
        std::fs::rename(&staging, &copy).map_err(|source| {
            Error::io(format!("moving {} into place", staging.display()), source)
        })?;
        if copied.runnable_by(run_as) {
            Ok(copied)
        } else {
            Err(Error::Unreachable {
                path: copied.path("postgres"),
                user: run_as.user_name.clone(),
            })
        }
    }

    fn runnable_by(&self, run_as: &RunAs) -> bool {
        run_as.can_execute(&self.path("postgres")) && run_as.can_execute(&self.path("initdb"))
    }

    /// The folder to copy so that the binaries keep finding their libraries:
    /// the unpacked wheel for a `…/pginstall/bin` (its libraries sit beside
    /// `pginstall`), the parent of `bin` otherwise.
    fn install_root(&self) -> PathBuf {
        let parent = self.bin_dir.parent().unwrap_or(&self.bin_dir);
        if parent.file_name().is_some_and(|name| name == "pginstall") {
            parent.ancestors().nth(2).unwrap_or(parent).to_path_buf()
        } else {
            parent.to_path_buf()
        }
    }
}

/// `<install>/<package>/pginstall/bin` as unpacked from a pgserver wheel.
fn wheel_bin_dir(install: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(install)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|package| package.join("pginstall").join("bin"))
        .find(|bin_dir| bin_dir.join("postgres").is_file())
}

fn run_checked(command: &mut Command) -> Result<(), Error> {
    let output =
        command.output().map_err(|source| Error::io(format!("running {command:?}"), source))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::Command {
            command: format!("{command:?}"),
            output: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}

/// FNV-1a: a stable name for a path across runs.
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
