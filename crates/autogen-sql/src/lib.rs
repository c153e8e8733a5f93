//! SQL DDL text → autogen's [`Schema`](autogen_schema::Schema), with
//! diagnostics that carry file, line and column. Pure: no I/O, no database.
//!
//! [`parse`] reads a declared schema; [`replay`] applies migration scripts
//! to a schema. Both give the value introspecting a database that ran the
//! same SQL gives. The pipeline:
//! - [`statements`]: a script split into statements with their positions,
//!   so each is parsed alone and an error names where it is;
//! - [`read`]: statements sorted by their leading keywords into those that
//!   build the schema (parsed by [`ddl`]), those passed over, those about
//!   objects not modelled (warnings) and those PostgreSQL would refuse
//!   (errors);
//! - [`build`]: the statements applied to a schema as PostgreSQL applies
//!   them to its catalog (`parameters`: the storage parameters a table
//!   takes, checked as PostgreSQL checks them);
//! - `depth`: how deep an expression or a type may nest
//!   ([`MAX_NESTING`]), so deep input is a diagnostic, not a stack
//!   overflow;
//! - [`expr`] and [`literals`]: expressions and constants in the form
//!   `pg_get_expr` prints them;
//! - [`types`]: type spellings (`int4`, `varchar(80)`, `timestamptz`,
//!   `serial`, `vector(3)`, arrays, enums by name) to the canonical
//!   [`SqlType`](autogen_schema::SqlType) the catalog gives.

pub mod build;
mod classify;
pub mod ddl;
mod depth;
pub mod expr;
pub mod literals;
mod names;
mod parameters;
mod query;
pub mod read;
pub mod references;
pub mod statements;
pub mod types;

use std::fmt;

use autogen_schema::Schema;

pub use depth::MAX_NESTING;
pub use read::Source;

/// The tokens of `text` as PostgreSQL's dialect reads them, with their
/// places, but whitespace (comments are whitespace to the tokenizer): what
/// every reader of a statement or an expression here starts from.
pub(crate) fn significant_tokens(
    text: &str,
) -> Result<Vec<sqlparser::tokenizer::TokenWithSpan>, sqlparser::tokenizer::TokenizerError> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens =
        Tokenizer::new(&sqlparser::dialect::PostgreSqlDialect {}, text).tokenize_with_location()?;
    Ok(tokens.into_iter().filter(|token| !matches!(token.token, Token::Whitespace(_))).collect())
}

/// A schema read from SQL, with what was said about the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub schema: Schema,
    /// Warnings and errors in input order. With any error the schema is
    /// incomplete: the statements in error were left out.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

/// Reads a declared schema: the statements of `sources`, in order, applied
/// to an empty database's schema.
pub fn parse(sources: &[Source]) -> Parsed {
    replay(Schema::default(), sources)
}

/// Applies the statements of `sources` (migration scripts, in order) to
/// `schema`, as PostgreSQL would apply them to its catalog.
pub fn replay(schema: Schema, sources: &[Source]) -> Parsed {
    let mut replaying = build::Builder::new(schema);
    let mut diagnostics = Vec::new();
    let mut current_file: Option<String> = None;
    let mut take = |read: read::Read| {
        let statement = match read {
            read::Read::Diagnostic(diagnostic) => return diagnostics.push(diagnostic),
            read::Read::Statement(statement) => statement,
        };
        if current_file.as_ref().is_some_and(|file| *file != statement.file) {
            replaying.end_script();
        }
        let diagnostic = |severity, message| Diagnostic {
            severity,
            file: statement.file.clone(),
            location: statement.location,
            message,
        };
        match replaying.apply(&statement.statement) {
            Ok(notes) => diagnostics.extend(notes.into_iter().map(|note| {
                diagnostic(
                    Severity::Warning,
                    format!(
                        "autogen cannot be sure it prints {note} as PostgreSQL does; \
                         if it shows as a change, compare against a database"
                    ),
                )
            })),
            Err(build::Refusal::Error(message)) => {
                diagnostics.push(diagnostic(Severity::Error, message));
            }
            Err(build::Refusal::LeftOut(message)) => {
                diagnostics.push(diagnostic(Severity::Warning, message));
            }
        }
        current_file = Some(statement.file);
    };
    // Reading (tokens, syntax) and applying take about as long as each
    // other: on two threads, a large file takes half the time. Both threads
    // have a stack of the size deep input needs (`depth`), whatever the
    // caller's is.
    std::thread::scope(|scope| {
        // Handed over in batches: a hand-over per statement costs more
        // than reading one.
        const BATCH: usize = 64;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<read::Read>>(8);
        let thread = || std::thread::Builder::new().stack_size(depth::STACK_SIZE);
        let reading = thread().spawn_scoped(scope, move || {
            let mut batch = Vec::with_capacity(BATCH);
            read::read_each(sources, |read| {
                batch.push(read);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    sender.send(full).unwrap_or(());
                }
            });
            sender.send(batch).unwrap_or(());
        });
        let applying = thread().spawn_scoped(scope, move || {
            for batch in receiver {
                batch.into_iter().for_each(&mut take);
            }
        });
        for spawned in [reading, applying] {
            match spawned.map(std::thread::ScopedJoinHandle::join) {
                Ok(Ok(())) => {}
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(error) => panic!("cannot start a thread to read SQL: {error}"),
            }
        }
    });
    let file_order = |file: &str| sources.iter().position(|source| source.name == file);
    diagnostics.sort_by(|left, right| {
        (file_order(&left.file), left.location).cmp(&(file_order(&right.file), right.location))
    });
    Parsed { schema: replaying.finish(), diagnostics }
}

/// Where something is in a source file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub line: u64,
    pub column: u64,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something autogen cannot model; the input is still read.
    Warning,
    /// Input that cannot be read.
    Error,
}

/// A message about a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file's path as given, or a name such as `<stdin>`.
    pub file: String,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message`, as compilers print it.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            formatter,
            "{}:{}:{}: {severity}: {}",
            self.file, self.location.line, self.location.column, self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Parsed {
        parse(&[Source { name: "schema.sql".into(), text: text.into() }])
    }

    fn messages(parsed: &Parsed) -> Vec<String> {
        parsed.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn statements_about_unmodelled_relations_are_left_out_with_a_warning() {
        let parsed = parse_text(
            "CREATE TABLE rental (id int PRIMARY KEY, category text);\n\
             CREATE MATERIALIZED VIEW rental_by_category AS SELECT category FROM rental;\n\
             CREATE UNIQUE INDEX rental_category ON rental_by_category (category);\n\
             COMMENT ON COLUMN rental_by_category.category IS 'x';\n\
             CREATE FOREIGN TABLE payment (id int, at date) SERVER s;\n\
             ALTER TABLE payment ADD CONSTRAINT payment_positive CHECK (id > 0);\n\
             COMMENT ON TABLE payment IS 'x';\n",
        );
        let printed = messages(&parsed);
        assert!(!parsed.has_errors(), "{printed:#?}");
        let names: Vec<String> = parsed.schema.tables.keys().map(ToString::to_string).collect();
        assert_eq!(names, ["public.rental"], "{printed:#?}");
        // A materialized view is modelled: its index and comment are its.
        let view = &parsed.schema.materialized_views
            [&autogen_schema::QualifiedName::new("public", "rental_by_category")];
        assert_eq!(view.indexes[0].name, "rental_category");
        assert_eq!(view.columns[0].comment.as_deref(), Some("x"));
        assert_eq!(printed.len(), 3, "{printed:#?}");
        for (line, expected) in [
            (5, "autogen does not model foreign tables yet"),
            (6, "`public.payment` is not modelled by autogen yet (foreign tables)"),
            (7, "`public.payment` is not modelled by autogen yet (foreign tables)"),
        ] {
            let prefix = format!("schema.sql:{line}:1: warning: ");
            assert!(
                printed
                    .iter()
                    .any(|message| message.starts_with(&prefix) && message.contains(expected)),
                "no `{expected}` at line {line}: {printed:#?}"
            );
        }
    }

    #[test]
    fn do_blocks_are_reported_not_passed_over() {
        let parsed = parse_text(
            "DO $$ BEGIN CREATE TABLE maybe (id int); END $$;\nCREATE TABLE sure (id int);\n",
        );
        let printed = messages(&parsed);
        assert_eq!(parsed.schema.tables.len(), 1);
        assert!(
            printed[0].starts_with("schema.sql:1:1: warning: autogen does not model DO blocks"),
            "{printed:#?}"
        );
    }

    #[test]
    fn exclusion_constraints_are_read_and_named_as_postgresql_names_them() {
        let parsed = parse_text(
            "CREATE TABLE b (id int PRIMARY KEY, room int, during tsrange, since timestamp, gone bool,\n\
             EXCLUDE USING gist ((room) WITH =, tsrange(since, NULL) WITH OPERATOR(pg_catalog.&&))\n\
             INCLUDE (id) WHERE (NOT gone));\n\
             ALTER TABLE b ADD EXCLUDE (room WITH =) DEFERRABLE INITIALLY DEFERRED;\n\
             ALTER TABLE b ADD CONSTRAINT b_room_excl1 EXCLUDE USING gist (during WITH &&);\n\
             ALTER TABLE b RENAME CONSTRAINT b_room_excl TO b_one_room;\n\
             ALTER TABLE b DROP CONSTRAINT b_room_excl1;\n",
        );
        assert!(parsed.diagnostics.is_empty(), "{:#?}", messages(&parsed));
        let table = &parsed.schema.tables[&autogen_schema::QualifiedName::new("public", "b")];
        let names: Vec<&str> =
            table.exclusion_constraints.iter().map(|exclusion| exclusion.name.as_str()).collect();
        assert_eq!(names, ["b_one_room", "b_room_tsrange_id_excl"]);
        let ranges = &table.exclusion_constraints[1];
        assert_eq!(ranges.method, autogen_schema::IndexMethod::Gist);
        let operators: Vec<&str> =
            ranges.elements.iter().map(|element| element.operator.as_str()).collect();
        assert_eq!(operators, ["=", "&&"]);
        assert_eq!(ranges.predicate.as_deref(), Some("(NOT gone)"));
        assert_eq!(ranges.include, ["id"]);
        let one_room = &table.exclusion_constraints[0];
        assert_eq!(one_room.method, autogen_schema::IndexMethod::Btree, "btree without USING");
        assert_eq!(one_room.deferrable, autogen_schema::Deferrable::InitiallyDeferred);
        assert!(table.indexes.is_empty(), "an exclusion constraint's index is no plain index");
    }

    #[test]
    fn exclusion_constraints_postgresql_refuses_are_errors_at_their_statement() {
        let parsed = parse_text(
            "CREATE TABLE b (id int, during tsrange);\n\
             ALTER TABLE b ADD EXCLUDE USING gin (during WITH &&);\n\
             ALTER TABLE b ADD EXCLUDE USING gist (nothing WITH &&);\n\
             ALTER TABLE b ADD EXCLUDE USING gist (during WITH &&) NOT VALID;\n\
             ALTER TABLE b ADD CONSTRAINT b EXCLUDE USING gist (during WITH &&);\n\
             DROP INDEX b_during_excl;\n\
             ALTER TABLE b ADD EXCLUDE USING gist (during WITH &&);\n\
             DROP INDEX b_during_excl;\n\
             ALTER TABLE b ADD EXCLUDE USING gist (during WITH &&) WHERE id > 0;\n",
        );
        let printed = messages(&parsed);
        for (line, column, expected) in [
            (2, 1, "access method `gin` does not support exclusion constraints"),
            (3, 1, "column `nothing` does not exist in `public.b`"),
            (4, 1, "exclusion constraints cannot be marked NOT VALID"),
            (5, 1, "relation `b` already exists"),
            (6, 1, "index `b_during_excl` does not exist"),
            (8, 1, "cannot drop index `b_during_excl`: constraint `b_during_excl`"),
            (9, 61, "expected `(`: the WHERE of EXCLUDE is in parentheses"),
        ] {
            let prefix = format!("schema.sql:{line}:{column}: error: ");
            assert!(
                printed
                    .iter()
                    .any(|message| message.starts_with(&prefix) && message.contains(expected)),
                "no `{expected}` at {line}:{column}: {printed:#?}"
            );
        }
        assert_eq!(printed.len(), 7, "{printed:#?}");
    }

    #[test]
    fn a_failing_statement_changes_nothing() {
        let parsed = parse_text(
            "CREATE TABLE a (id int PRIMARY KEY);\n\
             CREATE TYPE mood AS ENUM ('ok');\n\
             ALTER TABLE a ADD COLUMN b int UNIQUE, ADD COLUMN c mood, ADD COLUMN b text;\n\
             ALTER TYPE mood RENAME TO feeling, ADD VALUE 'x';\n\
             CREATE INDEX ON a (id);\n",
        );
        assert!(parsed.has_errors());
        let table = &parsed.schema.tables[&autogen_schema::QualifiedName::new("public", "a")];
        assert_eq!(table.columns.len(), 1, "the failing ALTER added nothing");
        assert!(table.unique_constraints.is_empty());
        // The index the failed statement would have named `a_b_key` is not
        // there either, so the next unnamed index gets the first name.
        assert_eq!(table.indexes[0].name, "a_id_idx");
    }

    #[test]
    fn sequences_no_column_owns_are_the_schemas() {
        use autogen_schema::QualifiedName;
        let parsed = parse_text(
            "CREATE SEQUENCE bad AS integer START 5 MINVALUE -9223372036854775808;\n\
             CREATE SEQUENCE s;\n\
             CREATE SEQUENCE kept INCREMENT 3;\n\
             CREATE TABLE t (id integer DEFAULT nextval('s'), n bigint DEFAULT nextval('kept'));\n\
             DROP SEQUENCE s;\n\
             ALTER SEQUENCE kept OWNED BY t.n;\n\
             ALTER SEQUENCE kept OWNED BY NONE;\n\
             CREATE SEQUENCE gone;\n\
             CREATE TABLE u (id bigint DEFAULT nextval('gone'));\n\
             CREATE TABLE w (m bigint DEFAULT nextval('bad'));\n\
             DROP SEQUENCE gone CASCADE;\n",
        );
        let printed = messages(&parsed);
        assert_eq!(
            printed,
            [
                "schema.sql:1:1: error: MINVALUE (-9223372036854775808) is out of range for sequence data type integer",
                "schema.sql:5:1: error: cannot drop sequence `public.s` because a default of `public.t` uses it (use CASCADE)",
                "schema.sql:10:1: error: relation `bad` does not exist",
            ]
        );
        let sequences: Vec<String> =
            parsed.schema.sequences.keys().map(ToString::to_string).collect();
        // `kept` is no column's again, with its options.
        assert_eq!(sequences, ["public.kept", "public.s"]);
        let kept = &parsed.schema.sequences[&QualifiedName::new("public", "kept")];
        assert_eq!(kept.options.increment, Some(3));
        let table = &parsed.schema.tables[&QualifiedName::new("public", "u")];
        assert_eq!(table.columns[0].default, None, "CASCADE dropped the default");
    }
}
