//! Proof 1 for Rust models: for every diff fixture with a `to.rs`, the
//! models read from it (as the CLI reads them, without compiling) give
//! exactly the schema `to.sql` gives. (`to.sql` itself is proven equal to
//! what PostgreSQL holds after loading it, by autogen-sql's tests.)

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diff")
}

fn read_rs(path: &Path) -> autogen_schema::Schema {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.display().to_string();
    let declarations = autogen_dsl::parse::file(&text, &name).unwrap_or_else(|problems| {
        panic!("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    });
    let assembled = autogen_dsl::assemble(&declarations).unwrap_or_else(|problems| {
        panic!("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    });
    assembled.schema
}

fn read_sql(path: &Path) -> autogen_schema::Schema {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed =
        autogen_sql::parse(&[autogen_sql::Source { name: path.display().to_string(), text }]);
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == autogen_sql::Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    parsed.schema
}

#[test]
fn models_give_the_schema_their_sql_gives() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|case| case.join("to.rs").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let from_rust = read_rs(&case.join("to.rs"));
        let from_sql = read_sql(&case.join("to.sql"));
        if from_rust != from_sql {
            let rust = autogen_emit::schema_sql(&from_rust);
            let sql = autogen_emit::schema_sql(&from_sql);
            let diff = similar::TextDiff::from_lines(&sql, &rust);
            failures.push(format!(
                "{}:\n{}",
                case.display(),
                diff.unified_diff().header("to.sql", "to.rs")
            ));
            if rust == sql {
                failures.push(format!("{from_sql:#?}\n{from_rust:#?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("{} fixtures with models", cases.len());
}

/// A model's default is any expression: `AND`, `IS` or `COLLATE` at its
/// top, which PostgreSQL's column-default grammar refuses bare, read as the
/// same expression in parentheses in SQL.
#[test]
fn a_default_is_any_expression() {
    let models = r#"
#[derive(autogen::Model)]
pub struct Flag {
    #[autogen(primary_key)]
    pub id: i32,
    #[autogen(default = "true AND NOT false")]
    pub on: bool,
    #[autogen(default = "NULL IS NULL")]
    pub known: bool,
}
"#;
    let declarations = autogen_dsl::parse::file(models, "flag.rs").unwrap();
    let from_rust = autogen_dsl::assemble(&declarations).unwrap().schema;
    let sql = "CREATE TABLE flags (id integer PRIMARY KEY, \"on\" boolean NOT NULL DEFAULT (true AND NOT false), known boolean NOT NULL DEFAULT (NULL IS NULL));";
    let parsed =
        autogen_sql::parse(&[autogen_sql::Source { name: "flags.sql".into(), text: sql.into() }]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(from_rust, parsed.schema);
}
