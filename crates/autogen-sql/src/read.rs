//! Reading SQL sources statement by statement: which statements build the
//! schema (parsed by [`ddl`]), which are passed over without noise (`SET`,
//! transactions, data, privileges), which are about objects the model does
//! not describe yet (a warning naming the statement and where it is), and
//! which PostgreSQL would refuse (an error). Statements are told apart by
//! their leading keywords before any parsing ([`classify`]), so a statement
//! sqlparser cannot parse (a function body in some dialect) still gets the
//! right treatment. Nothing is passed over that PostgreSQL would not run.

pub use crate::classify::{classify, Class};
use crate::ddl::{self, Ddl};
use crate::statements::{split, StatementText};
use crate::{Diagnostic, Location, Severity};

/// One input file (or a name such as `<stdin>`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub text: String,
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
        // A byte order mark is not SQL: psql reads past it, and so do we.
        let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
        let statements = match split(&without_psql_commands(text)) {
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
            if let Some(stray) = statement.stray {
                each(Read::Diagnostic(Diagnostic {
                    severity: Severity::Error,
                    file: source.name.clone(),
                    location: stray.location,
                    message: stray.message(),
                }));
                continue;
            }
            match classify(&statement.text) {
                // Privileges on views and routines are kept (never
                // compared); every other `GRANT`/`REVOKE` is passed over.
                Class::PassedOver => match ddl::privileges::parse(&statement.text) {
                    Ok(None) => {}
                    Ok(Some(parsed)) => each(Read::Statement(BuildingStatement {
                        file: source.name.clone(),
                        location: statement.location,
                        text: statement.text,
                        statement: parsed,
                    })),
                    Err((relative, message)) => each(Read::Diagnostic(Diagnostic {
                        severity: Severity::Error,
                        file: source.name.clone(),
                        location: absolute(statement.location, Some(relative)),
                        message: format!("{message} in: {}", first_line(&statement.text)),
                    })),
                },
                Class::Rejected { message, offset } => {
                    let relative = crate::statements::location_of(&statement.text, offset);
                    each(Read::Diagnostic(Diagnostic {
                        severity: Severity::Error,
                        file: source.name.clone(),
                        location: absolute(statement.location, Some(relative)),
                        message,
                    }));
                }
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
                        let references = crate::references::of(&statement.text);
                        each(Read::Statement(BuildingStatement {
                            file: source.name.clone(),
                            location: statement.location,
                            text: statement.text,
                            statement: Ddl::SetAside { name, what, attached, references },
                        }));
                    } else if let Some(names) = ddl::dropped_set_aside(&statement.text) {
                        each(Read::Statement(BuildingStatement {
                            file: source.name.clone(),
                            location: statement.location,
                            text: statement.text,
                            statement: Ddl::DropSetAside { names },
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
/// not SQL, nor the rows psql sends after `COPY … FROM stdin;` up to `\.`
/// (pg_dump's data): blank them out, keeping every other position where it
/// is.
fn without_psql_commands(text: &str) -> String {
    let mut copy_rows = false;
    text.split_inclusive('\n')
        .map(|line| {
            let blank = copy_rows || line.trim_start().starts_with('\\');
            if copy_rows {
                copy_rows = line.trim_end_matches(['\n', '\r']) != "\\.";
            } else {
                copy_rows = is_copy_from_stdin(line);
            }
            if blank {
                line.chars().map(|character| if character == '\n' { '\n' } else { ' ' }).collect()
            } else {
                line.to_owned()
            }
        })
        .collect()
}

/// A line that is a whole `COPY … FROM stdin …;`, as pg_dump writes them.
fn is_copy_from_stdin(line: &str) -> bool {
    let line = line.trim();
    line.get(..5).is_some_and(|start| start.eq_ignore_ascii_case("copy "))
        && line.ends_with(';')
        && line.to_ascii_lowercase().contains(" from stdin")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_name_the_file_line_and_column() {
        let source = Source {
            name: "schema.sql".into(),
            text: "CREATE TABLE a (id int);\n\nCREATE FOREIGN TABLE p (at date) SERVER s;\nCREATE TABLE b (\n  id int,\n  oops oops oops\n);\n".into(),
        };
        let (building, diagnostics) = read(&[source]);
        assert_eq!(building.len(), 2);
        assert_eq!(building[0].location, Location { line: 1, column: 1 });
        // The foreign table is set aside, so that statements about it
        // are left out.
        assert!(
            matches!(&building[1].statement, Ddl::SetAside { what, .. } if what == "foreign tables")
        );
        let printed: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(printed.len(), 2, "{printed:?}");
        assert!(
            printed[0]
                .starts_with("schema.sql:3:1: warning: autogen does not model foreign tables yet"),
            "{printed:?}"
        );
        assert!(printed[1].starts_with("schema.sql:6:"), "{printed:?}");
        assert!(printed[1].contains(": error: "), "{printed:?}");
        assert!(printed[1].ends_with("in: CREATE TABLE b ("), "{printed:?}");
    }

    fn printed(text: &str) -> (usize, Vec<String>) {
        let (building, diagnostics) = read(&[Source { name: "s.sql".into(), text: text.into() }]);
        (building.len(), diagnostics.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_byte_order_mark_is_read_past() {
        let (building, diagnostics) = read(&[Source {
            name: "s.sql".into(),
            text: "\u{feff}CREATE TABLE a (id int);".into(),
        }]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(building.len(), 1);
        assert_eq!(building[0].location, Location { line: 1, column: 1 });
        // Anywhere else it is an invisible character like any other.
        let (_, printed) = printed("CREATE TABLE a (id int);\n\u{feff}CREATE TABLE b (id int);");
        assert_eq!(printed.len(), 1, "{printed:?}");
        assert!(printed[0].starts_with("s.sql:2:1: error: U+FEFF ZERO WIDTH NO-BREAK SPACE"));
    }

    #[test]
    fn what_postgresql_would_refuse_is_an_error_at_its_place() {
        for (text, expected) in [
            (
                "CREATE TABLE a (id int);\n\n  CRATE TABLE b (id int);",
                "s.sql:3:3: error: `CRATE` is not a PostgreSQL command; did you mean CREATE?",
            ),
            (
                "CREATE TABLE a (id int);\n\u{200b}\nCREATE TABLE b (id int);",
                "s.sql:2:1: error: U+200B ZERO WIDTH SPACE, an invisible character, outside quotes",
            ),
            (
                "CREATE TABLE a (\n  id int,\u{a0}name text\n);",
                "s.sql:2:10: error: U+00A0 NO-BREAK SPACE, an invisible character",
            ),
            (
                "CREATE TABLE a (id int);\nCREATE TABLE b (id int\u{7});",
                "s.sql:2:23: error: control character U+0007 outside quotes",
            ),
            (
                "CREATE TABLE a (id int);\n, CREATE TABLE b (id int);",
                "s.sql:2:1: error: `,` before CREATE cannot start a statement",
            ),
            (
                "CREATE TABLE a (id int);\nCREATE TABLE b (id int\u{0});",
                "s.sql:2:23: error: cannot read the SQL: a NUL character (U+0000)",
            ),
            (
                "CREATE TABLE a (id int);\nCREATE\n  TABEL b (id int);",
                "s.sql:3:3: error: `TABEL` is not a kind of object PostgreSQL can create; did you mean TABLE?",
            ),
        ] {
            let (_, printed) = printed(text);
            assert!(
                printed.iter().any(|message| message.starts_with(expected)),
                "{text:?}: {printed:#?}"
            );
            assert!(printed.iter().all(|message| message.contains(": error: ")), "{printed:#?}");
        }
        // Inside strings, quoted names and comments they are text.
        let (building, printed) = printed(
            "CREATE TABLE \"a\u{200b}\" (id int DEFAULT length('\u{7}\u{a0}'));\n\
             -- \u{200b}\u{1}\nCOMMENT ON TABLE \"a\u{200b}\" IS $$\u{feff}$$;",
        );
        assert!(printed.is_empty(), "{printed:#?}");
        assert_eq!(building, 2);
    }

    #[test]
    fn copy_rows_from_stdin_are_not_sql() {
        let source = Source {
            name: "dump.sql".into(),
            text: "CREATE TABLE a (id int, note text);\n\
                   COPY public.a (id, note) FROM stdin;\n1\tit's\n2\t\\N\n\\.\n\
                   CREATE TABLE b (id int);\n"
                .into(),
        };
        let (building, diagnostics) = read(&[source]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(building.len(), 2);
        assert_eq!(building[1].location, Location { line: 6, column: 1 });
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
