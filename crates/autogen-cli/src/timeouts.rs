//! How long a migration may wait for a lock and run: `lock_timeout` and
//! `statement_timeout` (autogen.toml, or `--lock-timeout` and
//! `--statement-timeout` on `revision`), written at the top of every
//! migration `revision` writes as `SET LOCAL` statements — the file's own,
//! so they hold whoever runs it (sqlx-cli too) and can be changed in it —
//! and how many times `upgrade` and `downgrade` try a migration again when
//! it failed on a lock timeout (`lock_retries`, `--lock-retries`).
//!
//! A `-- no-transaction` migration (an online plan's concurrent index
//! build or drop) is one statement — PostgreSQL runs a file of several
//! outside a transaction as one implicit transaction, where `CREATE INDEX
//! CONCURRENTLY` is refused — so its timeouts are header lines, `-- autogen:
//! set lock_timeout = '10s'`, that `upgrade` and `downgrade` set on their
//! session around it ([`session_settings`]).

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
    /// The settings, as the runner would set them: `lock_timeout`, and
    /// `statement_timeout` when there is one.
    fn settings(&self) -> Vec<SessionSetting> {
        let lock = SessionSetting { name: "lock_timeout", value: self.lock.clone() };
        let statement = (self.statement.clone())
            .map(|value| SessionSetting { name: "statement_timeout", value });
        std::iter::once(lock).chain(statement).collect()
    }

    /// The `SET LOCAL` statements a migration starts with, a blank line
    /// after them.
    pub(crate) fn sql(&self) -> String {
        self.lines(|setting| format!("SET LOCAL {} = '{}';", setting.name, setting.value))
    }

    /// The header lines of a migration that runs outside a transaction:
    /// the runner sets them around it (`SET` before, `RESET` after), a
    /// blank line after them.
    pub(crate) fn header_lines(&self) -> String {
        self.lines(|setting| format!("{SETTING}{} = '{}'", setting.name, setting.value))
    }

    /// One line per setting, as `line` writes it, then a blank line.
    fn lines(&self, line: impl Fn(&SessionSetting) -> String) -> String {
        let mut text: String =
            self.settings().iter().map(|setting| format!("{}\n", line(setting))).collect();
        text.push('\n');
        text
    }
}

/// The start of a header line the runner sets on its session around the
/// migration: `-- autogen: set lock_timeout = '10s'`.
pub(crate) const SETTING: &str = "-- autogen: set ";

/// A setting of a migration's header ([`SETTING`]): `name` is
/// `lock_timeout` or `statement_timeout`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionSetting {
    pub(crate) name: &'static str,
    pub(crate) value: PgDuration,
}

impl SessionSetting {
    /// The statement that sets it on the session.
    pub(crate) fn set(&self) -> String {
        // A `PgDuration` is digits, a dot and a unit: nothing to escape.
        format!("SET {} = '{}'", self.name, self.value)
    }

    /// The statement that gives the session its own value back.
    pub(crate) fn reset(&self) -> String {
        format!("RESET {}", self.name)
    }
}

/// The settings of the header of `sql` (its first lines, up to the first
/// that is neither a comment nor blank), each `-- autogen: set NAME =
/// 'DURATION'`; a mistake as (line, column, what is wrong), both 1-based.
pub(crate) fn session_settings(sql: &str) -> Result<Vec<SessionSetting>, (usize, usize, String)> {
    let mut settings: Vec<SessionSetting> = Vec::new();
    for (index, line) in sql.lines().enumerate() {
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with("--")) {
            break;
        }
        let Some(rest) = line.strip_prefix(SETTING) else { continue };
        let column = |part: &str| line.len() - part.len() + 1;
        let at = |part: &str, message: String| (index + 1, column(part), message);
        let Some((name, value)) = rest.split_once('=') else {
            return Err(at(
                rest,
                "a setting is written `-- autogen: set lock_timeout = '10s'`".to_owned(),
            ));
        };
        let name = match name.trim() {
            "lock_timeout" => "lock_timeout",
            "statement_timeout" => "statement_timeout",
            other => {
                return Err(at(
                    rest.trim_start(),
                    format!(
                        "`{}` is not a setting autogen sets around a migration: lock_timeout or statement_timeout",
                        autogen_schema::one_line(other)
                    ),
                ))
            }
        };
        let text = value.trim();
        let quoted = text.strip_prefix('\'').and_then(|inner| inner.strip_suffix('\''));
        let value = quoted
            .unwrap_or(text)
            .parse::<PgDuration>()
            .map_err(|message| at(value.trim_start(), message))?;
        if settings.iter().any(|setting| setting.name == name) {
            return Err(at(rest.trim_start(), format!("{name} is set twice")));
        }
        settings.push(SessionSetting { name, value });
    }
    Ok(settings)
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
    fn a_migration_outside_a_transaction_has_its_timeouts_in_its_header() {
        let timeouts =
            Timeouts { lock: "3s".parse().unwrap(), statement: Some("15min".parse().unwrap()) };
        let lines = timeouts.header_lines();
        assert_eq!(
            lines,
            "-- autogen: set lock_timeout = '3s'\n-- autogen: set statement_timeout = '15min'\n\n"
        );
        let file = format!(
            "-- no-transaction\n-- build\n\n{lines}CREATE INDEX CONCURRENTLY i ON t (c);\n"
        );
        let settings = session_settings(&file).unwrap();
        let statements: Vec<(String, String)> =
            settings.iter().map(|setting| (setting.set(), setting.reset())).collect();
        assert_eq!(
            statements,
            [
                ("SET lock_timeout = '3s'".to_owned(), "RESET lock_timeout".to_owned()),
                (
                    "SET statement_timeout = '15min'".to_owned(),
                    "RESET statement_timeout".to_owned()
                )
            ]
        );
        // Bare values too; none past the header.
        let file = "-- autogen: set lock_timeout = 500ms\nSELECT 1;\n-- autogen: set statement_timeout = '1s'\n";
        assert_eq!(
            session_settings(file).unwrap(),
            [SessionSetting { name: "lock_timeout", value: "500ms".parse().unwrap() }]
        );
        assert_eq!(session_settings("CREATE TABLE t ();\n").unwrap(), []);
    }

    #[test]
    fn a_wrong_setting_is_named_at_its_place() {
        let wrong = |file: &str| session_settings(file).unwrap_err();
        let (line, column, message) = wrong("-- x\n-- autogen: set work_mem = '1GB'\n");
        assert_eq!((line, column), (2, 17));
        assert!(message.contains("`work_mem` is not a setting autogen sets"), "{message}");
        let (line, column, message) =
            wrong("-- autogen: set lock_timeout = '10 s'; DROP TABLE t\n");
        assert_eq!((line, column), (1, 32));
        assert!(message.contains("is not a duration"), "{message}");
        assert!(!message.contains('\n'));
        let (_, column, message) = wrong("-- autogen: set lock_timeout\n");
        assert_eq!(column, 17);
        assert!(message.contains("is written"), "{message}");
        let (line, _, message) =
            wrong("-- autogen: set lock_timeout = '1s'\n-- autogen: set lock_timeout = '2s'\n");
        assert_eq!((line, message.as_str()), (2, "lock_timeout is set twice"));
    }

    #[test]
    fn retries_wait_longer_each_time() {
        let waits: Vec<u64> = (1..=8).map(|attempt| backoff(attempt).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
    }
}
