//! How long a migration may wait for a lock and run: `lock_timeout` and
//! `statement_timeout` (autogen.toml, or `--lock-timeout` and
//! `--statement-timeout` on `revision`), written at the top of every
//! migration `revision` writes as `SET LOCAL` statements — the file's own,
//! so they hold whoever runs it (sqlx-cli too) and can be changed in it —
//! and how many times `upgrade` and `downgrade` try a migration again when
//! it failed on a lock timeout (`lock_retries`, `--lock-retries`).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// `lock_timeout` when the settings say nothing: a migration waits this
/// long for a lock (blocking the queries queued behind it), then fails
/// and is tried again.
pub(crate) const DEFAULT_LOCK_TIMEOUT: &str = "10s";

/// `lock_retries` when the settings say nothing.
pub(crate) const DEFAULT_LOCK_RETRIES: u32 = 3;

/// A PostgreSQL time setting as `SET` takes it: a number, optionally with
/// a unit (`us`, `ms`, `s`, `min`, `h`, `d`; milliseconds without one);
/// `0` turns the timeout off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PgDuration(String);

impl FromStr for PgDuration {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let digits = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.'));
        let (number, unit) = trimmed.split_at(digits.unwrap_or(trimmed.len()));
        let number_ok = !number.is_empty()
            && !number.starts_with('.')
            && !number.ends_with('.')
            && number.matches('.').count() <= 1;
        let unit_ok = matches!(unit.trim_start(), "" | "us" | "ms" | "s" | "min" | "h" | "d");
        if number_ok && unit_ok {
            Ok(PgDuration(format!("{number}{}", unit.trim_start())))
        } else {
            Err(format!(
                "`{}` is not a duration: write a number and a unit (us, ms, s, min, h, d), \
                 such as \"10s\" or \"500ms\"; \"0\" turns the timeout off",
                autogen_schema::one_line(text)
            ))
        }
    }
}

impl<'de> serde::Deserialize<'de> for PgDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for PgDuration {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The timeouts a migration is written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) lock: PgDuration,
    /// `None`: the server's (or role's) `statement_timeout` holds.
    pub(crate) statement: Option<PgDuration>,
}

impl Timeouts {
    /// The `SET LOCAL` statements a migration starts with, a blank line
    /// after them.
    pub(crate) fn sql(&self) -> String {
        let mut text = format!("SET LOCAL lock_timeout = '{}';\n", self.lock);
        if let Some(statement) = &self.statement {
            text.push_str(&format!("SET LOCAL statement_timeout = '{statement}';\n"));
        }
        text.push('\n');
        text
    }
}

/// `--lock-timeout` and `--statement-timeout`, over the settings.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct TimeoutArgs {
    /// How long each statement of the migration waits for a lock before it
    /// fails (written as `SET LOCAL lock_timeout`; "0" waits for ever).
    /// Setting: lock_timeout [default: 10s].
    #[arg(long, value_name = "DURATION")]
    lock_timeout: Option<PgDuration>,

    /// How long each statement of the migration may run (written as `SET
    /// LOCAL statement_timeout`; "0" for no limit). Setting:
    /// statement_timeout [default: the server's].
    #[arg(long, value_name = "DURATION")]
    statement_timeout: Option<PgDuration>,
}

impl TimeoutArgs {
    /// The flags over the settings (`lock_timeout`, `statement_timeout`)
    /// over the defaults.
    pub(crate) fn resolve(
        &self,
        lock: Option<&PgDuration>,
        statement: Option<&PgDuration>,
    ) -> Timeouts {
        Timeouts {
            lock: (self.lock_timeout.clone())
                .or_else(|| lock.cloned())
                .unwrap_or_else(|| PgDuration(DEFAULT_LOCK_TIMEOUT.to_owned())),
            statement: self.statement_timeout.clone().or_else(|| statement.cloned()),
        }
    }
}

/// Whether a migration failed because a statement waited for a lock
/// longer than `lock_timeout` (SQLSTATE 55P03, `lock_not_available`):
/// once the lock is free it may well succeed.
pub(crate) fn is_lock_timeout(error: &sqlx::migrate::MigrateError) -> bool {
    let sqlx::migrate::MigrateError::ExecuteMigration(cause, _) = error else { return false };
    cause.as_database_error().and_then(|error| error.code()).as_deref() == Some("55P03")
}

/// How long to wait before try `attempt` (1 for the first retry): one
/// second, doubled each time, at most a minute.
pub(crate) fn backoff(attempt: u32) -> Duration {
    Duration::from_secs(1u64 << attempt.saturating_sub(1).min(6)).min(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_what_set_takes() {
        for (text, kept) in [("10s", "10s"), ("500ms", "500ms"), (" 5 min", "5min"), ("0", "0")] {
            assert_eq!(text.parse::<PgDuration>().unwrap().to_string(), kept);
        }
        assert_eq!("1.5h".parse::<PgDuration>().unwrap().to_string(), "1.5h");
        for wrong in ["", "s", "ten seconds", "10 sec", "-1s", "1.s", "10s'; DROP TABLE x; --"] {
            let error = wrong.parse::<PgDuration>().unwrap_err();
            assert!(error.contains("is not a duration"), "{wrong}: {error}");
        }
    }

    #[test]
    fn a_migration_starts_with_its_timeouts() {
        let timeouts = Timeouts { lock: "3s".parse().unwrap(), statement: None };
        assert_eq!(timeouts.sql(), "SET LOCAL lock_timeout = '3s';\n\n");
        let timeouts = Timeouts { statement: Some("15min".parse().unwrap()), ..timeouts };
        assert_eq!(
            timeouts.sql(),
            "SET LOCAL lock_timeout = '3s';\nSET LOCAL statement_timeout = '15min';\n\n"
        );
    }

    #[test]
    fn retries_wait_longer_each_time() {
        let waits: Vec<u64> = (1..=8).map(|attempt| backoff(attempt).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
    }
}
