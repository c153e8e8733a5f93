//! Reading SQL sources statement by statement: which statements build the
//! schema (parsed with sqlparser), which are passed over without noise
//! (`SET`, transactions, data, privileges), and which are about objects the
//! model does not describe yet (a warning naming the statement and where it
//! is). Statements are told apart by their leading keywords before any
//! parsing, so a statement sqlparser cannot parse (a function body in some
//! dialect) still gets the right treatment.

use crate::ddl::{self, Ddl};
use crate::statements::{split, StatementText};
use crate::{Diagnostic, Location, Severity};

/// One input file (or a name such as `<stdin>`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// What a statement does to the schema, decided from its leading keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// It builds or changes what the model describes.
    Builds,
    /// It does not change the schema (`SET`, `BEGIN`, `INSERT`, `GRANT`, …).
    PassedOver,
    /// It is about an object the model does not describe yet: `what` names
    /// it (`view`, `function`, …).
    Unmodelled { what: String },
}

/// A statement that builds the schema, parsed, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingStatement {
    pub file: String,
    pub location: Location,
    pub text: String,
    pub statement: Ddl,
}

/// What reading gives, statement by statement.
// Short-lived, handed on at once: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Statement(BuildingStatement),
    Diagnostic(Diagnostic),
}

/// Reads every source in order: the statements that build the schema, and
/// the diagnostics (errors for statements that cannot be read, warnings for
/// statements about objects the model does not describe). Never panics.
pub fn read(sources: &[Source]) -> (Vec<BuildingStatement>, Vec<Diagnostic>) {
    let mut building = Vec::new();
    let mut diagnostics = Vec::new();
    read_each(sources, |read| match read {
        Read::Statement(statement) => building.push(statement),
        Read::Diagnostic(diagnostic) => diagnostics.push(diagnostic),
    });
    (building, diagnostics)
}

/// [`read`], handing each statement and diagnostic to `each` as soon as it
/// is read, in input order.
pub fn read_each(sources: &[Source], mut each: impl FnMut(Read)) {
    for source in sources {
        let statements = match split(&without_psql_commands(&source.text)) {
            Ok(statements) => statements,
            Err((location, message)) => {
                each(Read::Diagnostic(Diagnostic {
                    severity: Severity::Error,
                    file: source.name.clone(),
                    location,
                    message: format!("cannot read the SQL: {message}"),
                }));
                continue;
            }
        };
        for statement in statements {
            let diagnostic = |severity, message| {
                Read::Diagnostic(Diagnostic {
                    severity,
                    file: source.name.clone(),
                    location: statement.location,
                    message,
                })
            };
            match classify(&statement.text) {
                Class::PassedOver => {}
                Class::Unmodelled { what } => {
                    each(diagnostic(
                        Severity::Warning,
                        format!(
                            "autogen does not model {what} yet; left out: {}",
                            first_line(&statement.text)
                        ),
                    ));
                    // Later statements about the relation are left out too.
                    if let Some((name, attached)) = ddl::set_aside_relation(&statement.text) {
                        each(Read::Statement(BuildingStatement {
                            file: source.name.clone(),
                            location: statement.location,
                            text: statement.text,
                            statement: Ddl::SetAside { name, what, attached },
                        }));
                    }
                }
                Class::Builds => match parse_one(&statement) {
                    Ok(parsed) => each(Read::Statement(BuildingStatement {
                        file: source.name.clone(),
                        location: statement.location,
                        text: statement.text,
                        statement: parsed,
                    })),
                    Err((location, message)) => each(Read::Diagnostic(Diagnostic {
                        severity: Severity::Error,
                        file: source.name.clone(),
                        location,
                        message: format!("{message} in: {}", first_line(&statement.text)),
                    })),
                },
            }
        }
    }
}

/// Parses one statement; an error's position is in the file, not in the
/// statement.
fn parse_one(statement: &StatementText) -> Result<Ddl, (Location, String)> {
    ddl::parse(&statement.text)
        .map_err(|(relative, message)| (absolute(statement.location, Some(relative)), message))
}

/// A position inside a statement, made a position in its file.
fn absolute(start: Location, relative: Option<Location>) -> Location {
    match relative {
        None => start,
        Some(relative) if relative.line <= 1 => {
            Location { line: start.line, column: start.column + relative.column.saturating_sub(1) }
        }
        Some(relative) => {
            Location { line: start.line + relative.line - 1, column: relative.column }
        }
    }
}

/// The statement's first line, shortened, for messages.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > 80 {
        format!("{}…", line.chars().take(80).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// psql meta-commands (`\restrict …` in pg_dump's output, `\connect`) are
/// not SQL: blank them out, keeping every other position where it is.
fn without_psql_commands(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with('\\') {
                line.chars().map(|character| if character == '\n' { '\n' } else { ' ' }).collect()
            } else {
                line.to_owned()
            }
        })
        .collect()
}

/// Decides from the leading keywords what a statement does.
pub fn classify(text: &str) -> Class {
    let words: Vec<String> = leading_words(text, 6);
    let word = |index: usize| words.get(index).map(String::as_str).unwrap_or("");
    let unmodelled = |what: &str| Class::Unmodelled { what: what.to_owned() };
    match word(0) {
        "create" => {
            // CREATE [OR REPLACE] [TEMP | UNLOGGED | …] <kind>
            let mut index = 1;
            if word(index) == "or" && word(index + 1) == "replace" {
                index += 2;
            }
            while matches!(
                word(index),
                "temp"
                    | "temporary"
                    | "unlogged"
                    | "global"
                    | "local"
                    | "recursive"
                    | "trusted"
                    | "procedural"
                    | "default"
                    | "constraint"
                    | "unique"
            ) {
                if word(index) == "unique" {
                    return Class::Builds;
                }
                if word(index) == "constraint" {
                    return unmodelled("constraint triggers");
                }
                if word(index) == "temp" || word(index) == "temporary" {
                    return Class::PassedOver;
                }
                if word(index) == "unlogged" {
                    return unmodelled("unlogged tables");
                }
                index += 1;
            }
            match (word(index), word(index + 1)) {
                ("table", _) if has_words(text, &["partition", "of"]) => unmodelled("partitions"),
                ("table", _) if has_words(text, &["partition", "by"]) => {
                    unmodelled("partitioned tables")
                }
                ("table", _) if has_words(text, &["inherits"]) => unmodelled("table inheritance"),
                ("table" | "index" | "schema" | "extension" | "type" | "sequence", _) => {
                    Class::Builds
                }
                ("view", _) => unmodelled("views"),
                ("materialized", _) => unmodelled("materialized views"),
                ("function", _) => unmodelled("functions"),
                ("procedure", _) => unmodelled("procedures"),
                ("aggregate", _) => unmodelled("aggregates"),
                ("trigger", _) => unmodelled("triggers"),
                ("event", _) => unmodelled("event triggers"),
                ("policy", _) => unmodelled("row level security policies"),
                ("domain", _) => unmodelled("domains"),
                ("rule", _) => unmodelled("rules"),
                ("operator", _) => unmodelled("operators"),
                ("cast", _) => unmodelled("casts"),
                ("collation", _) => unmodelled("collations"),
                ("foreign", _) | ("server", _) => unmodelled("foreign tables"),
                ("publication", _) | ("subscription", _) => {
                    unmodelled("publications and subscriptions")
                }
                ("statistics", _) => unmodelled("extended statistics"),
                ("text", _) => unmodelled("text search configurations"),
                ("language", _) => unmodelled("languages"),
                ("role" | "user" | "group" | "database" | "tablespace", _) => Class::PassedOver,
                (other, _) => unmodelled(&format!("CREATE {}", other.to_uppercase())),
            }
        }
        "alter" => match (word(1), has_words(text, &["owner", "to"])) {
            (_, true) => Class::PassedOver,
            _ if has_words(text, &["attach", "partition"])
                || has_words(text, &["detach", "partition"]) =>
            {
                unmodelled("partitions")
            }
            ("table" | "index" | "type" | "sequence" | "schema" | "extension", _) => Class::Builds,
            ("default", _) | ("role" | "user" | "database" | "system", _) => Class::PassedOver,
            (other, _) => unmodelled(&format!("ALTER {}", other.to_uppercase())),
        },
        "drop" => match word(1) {
            "table" | "index" | "type" | "sequence" | "schema" | "extension" => Class::Builds,
            "role" | "user" | "database" | "owned" => Class::PassedOver,
            other => unmodelled(&format!("DROP {}", other.to_uppercase())),
        },
        "comment" => match (word(2), word(3)) {
            ("table" | "column", _) => Class::Builds,
            ("materialized", _) => unmodelled("comments on materialized views"),
            (other, _) => unmodelled(&format!("comments on {other} objects")),
        },
        "set" if words.iter().skip(1).take(2).any(|word| word == "search_path") => Class::Builds,
        "select" if text.contains("set_config") && text.contains("search_path") => Class::Builds,
        "set" | "reset" | "select" | "begin" | "start" | "commit" | "end" | "rollback"
        | "savepoint" | "release" | "grant" | "revoke" | "insert" | "update" | "delete"
        | "copy" | "truncate" | "vacuum" | "analyze" | "analyse" | "refresh" | "notify"
        | "listen" | "lock" | "discard" | "checkpoint" | "security" | "with" | "values" | "" => {
            Class::PassedOver
        }
        "do" => unmodelled("DO blocks (procedural code that may change the schema)"),
        other => unmodelled(&format!("{} statements", other.to_uppercase())),
    }
}

/// Whether `text` has `sequence` as consecutive words (`OWNER TO`,
/// `PARTITION OF`), case-insensitively. An approximation — a string literal
/// holding the words would match too — good enough to sort statements.
fn has_words(text: &str, sequence: &[&str]) -> bool {
    // Most statements do not hold the first word at all: say so without
    // splitting the text into words.
    let first = sequence.first().map_or(&[][..], |word| word.as_bytes());
    if first.is_empty()
        || !text.as_bytes().windows(first.len()).any(|window| window.eq_ignore_ascii_case(first))
    {
        return false;
    }
    let words: Vec<&str> = text
        .split(|character: char| character.is_whitespace() || character == '(' || character == ')')
        .filter(|word| !word.is_empty())
        .collect();
    words.windows(sequence.len()).any(|window| {
        window.iter().zip(sequence).all(|(word, expected)| word.eq_ignore_ascii_case(expected))
    })
}

/// The first `count` words of a statement, lower case, skipping comments
/// and stopping at anything that is not a word.
fn leading_words(text: &str, count: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = text;
    while words.len() < count {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
            continue;
        }
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
            continue;
        }
        let length = rest
            .find(|character: char| !(character.is_alphanumeric() || character == '_'))
            .unwrap_or(rest.len());
        if length == 0 {
            break;
        }
        words.push(rest[..length].to_lowercase());
        rest = &rest[length..];
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_classified_by_their_leading_keywords() {
        for text in [
            "CREATE TABLE t (id int)",
            "create unique index on t (id)",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (id)",
            "CREATE TYPE mood AS ENUM ('a')",
            "ALTER TABLE ONLY t ADD CONSTRAINT c CHECK (id > 0)",
            "COMMENT ON COLUMN t.id IS 'x'",
            "/* x */ CREATE SCHEMA app",
            "SET search_path = public",
            "SELECT pg_catalog.set_config('search_path', '', false)",
        ] {
            assert_eq!(classify(text), Class::Builds, "{text}");
        }
        for text in [
            "SET statement_timeout = 0",
            "SELECT pg_catalog.set_config('lock_timeout', '1s', false)",
            "BEGIN",
            "GRANT SELECT ON t TO app",
            "ALTER TABLE t OWNER TO app",
            "ALTER DOMAIN public.\"bıgınt\" OWNER TO postgres",
            "INSERT INTO t VALUES (1)",
            "CREATE TEMP TABLE scratch (id int)",
        ] {
            assert_eq!(classify(text), Class::PassedOver, "{text}");
        }
        for (text, what) in [
            ("CREATE OR REPLACE VIEW v AS SELECT 1", "views"),
            ("CREATE MATERIALIZED VIEW m AS SELECT 1", "materialized views"),
            ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "functions"),
            ("CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()", "triggers"),
            ("CREATE DOMAIN d AS int", "domains"),
            ("CREATE POLICY p ON t USING (true)", "row level security policies"),
            ("CREATE UNLOGGED TABLE u (id int)", "unlogged tables"),
            ("CREATE TABLE m (at date) PARTITION BY RANGE (at)", "partitioned tables"),
            (
                "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "partitions",
            ),
            ("ALTER INDEX m_pkey ATTACH PARTITION m1_pkey", "partitions"),
        ] {
            assert_eq!(classify(text), Class::Unmodelled { what: what.to_owned() }, "{text}");
        }
    }

    #[test]
    fn diagnostics_name_the_file_line_and_column() {
        let source = Source {
            name: "schema.sql".into(),
            text: "CREATE TABLE a (id int);\n\nCREATE VIEW v AS SELECT 1;\nCREATE TABLE b (\n  id int,\n  oops oops oops\n);\n".into(),
        };
        let (building, diagnostics) = read(&[source]);
        assert_eq!(building.len(), 2);
        assert_eq!(building[0].location, Location { line: 1, column: 1 });
        // The view is set aside, so that statements about it are left out.
        assert!(matches!(&building[1].statement, Ddl::SetAside { what, .. } if what == "views"));
        let printed: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(printed.len(), 2, "{printed:?}");
        assert!(
            printed[0].starts_with("schema.sql:3:1: warning: autogen does not model views yet"),
            "{printed:?}"
        );
        assert!(printed[1].starts_with("schema.sql:6:"), "{printed:?}");
        assert!(printed[1].contains(": error: "), "{printed:?}");
        assert!(printed[1].ends_with("in: CREATE TABLE b ("), "{printed:?}");
    }

    #[test]
    fn psql_meta_commands_are_not_sql() {
        let source = Source {
            name: "dump.sql".into(),
            text: "\\restrict abc123\nCREATE TABLE a (id int);\n\\unrestrict abc123\n".into(),
        };
        let (building, diagnostics) = read(&[source]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(building[0].location, Location { line: 2, column: 1 });
    }
}
