//! Input nested without bound is a diagnostic, not a stack overflow: sums
//! of thousands of terms, thousands of chained casts, tens of thousands of
//! array dimensions, parentheses and `NOT`s, read on a test thread's 2 MiB
//! stack. Up to the limit, deep input reads as PostgreSQL stores it.

use autogen_sql::{parse, Location, Parsed, Severity, Source, MAX_NESTING};

fn parse_text(text: &str) -> Parsed {
    parse(&[Source { name: "deep.sql".into(), text: text.into() }])
}

/// The one error parsing `text` gives: where, and what it says.
fn the_error(text: &str) -> (Location, String) {
    let parsed = parse_text(text);
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:#?}", parsed.diagnostics);
    (errors[0].location, errors[0].message.clone())
}

/// `CREATE TABLE t (\n  a int DEFAULT ` — the expression starts at 2:17.
const TABLE: &str = "CREATE TABLE t (\n  a int DEFAULT ";

#[test]
fn too_deep_input_is_an_error_at_its_place() {
    let terms = vec!["1"; 1400].join("+");
    let casts = "::int".repeat(2000);
    let dimensions = "[]".repeat(50_000);
    let parentheses = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let nots = format!("{}true", "NOT ".repeat(5000));
    // The operator past the limit: the n-th `+` of `1+1+…` (from column
    // 17) is at column 16 + 2n.
    let past = MAX_NESTING as u64 + 1;
    let plus = 16 + 2 * past;
    for (text, column, what) in [
        (format!("{TABLE}{terms});"), plus, "expression nested too deeply"),
        // The n-th `::` of `0::int…` (each five characters).
        (format!("{TABLE}0{casts});"), 18 + 5 * (past - 1), "expression nested too deeply"),
        // The 1,001st `[` after `a int` at 2:3.
        (
            format!("CREATE TABLE t (\n  a int{dimensions});"),
            8 + 2 * MAX_NESTING as u64,
            "type nested too deeply",
        ),
        (
            format!("{TABLE}{parentheses});"),
            17 + MAX_NESTING as u64,
            "expression nested too deeply",
        ),
        (
            format!("CREATE TABLE t (\n  a bool CHECK ({nots}));"),
            17 + 4 * MAX_NESTING as u64,
            "expression nested too deeply",
        ),
        // Groups that each stay under the limit, nested in a chain.
        (
            format!(
                "{TABLE}({}) + {});",
                vec!["1"; MAX_NESTING / 2 + 2].join("+"),
                vec!["1"; MAX_NESTING / 2 + 2].join("+")
            ),
            0,
            "expression nested too deeply",
        ),
    ] {
        let (location, message) = the_error(&text);
        assert_eq!(location.line, 2, "{message}");
        if column > 0 {
            assert_eq!(location.column, column, "{message}");
        }
        assert!(message.starts_with(what), "{message}");
    }
    // A type alone, and a statement read without parsing a schema.
    let spelling = format!("int{dimensions}");
    assert!(autogen_sql::types::parse_type(&spelling, "public").is_err());
    let (_, diagnostics) = autogen_sql::read::read(&[Source {
        name: "deep.sql".into(),
        text: format!("{TABLE}{terms});"),
    }]);
    assert!(diagnostics[0].message.contains("nested too deeply"), "{diagnostics:?}");
}

/// A table with a sum, a chain of casts, parentheses and array dimensions
/// each as deep as autogen reads.
fn as_deep_as_the_limit() -> String {
    format!(
        "CREATE TABLE t (\n\
           sum int DEFAULT {},\n\
           casts int DEFAULT 7{},\n\
           nested int DEFAULT {}2{},\n\
           grid int{},\n\
           flag bool CHECK ({}true),\n\
           calls numeric DEFAULT {}1{}\n\
         );",
        vec!["1"; MAX_NESTING + 1].join("+"),
        "::int".repeat(MAX_NESTING),
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING),
        "[]".repeat(MAX_NESTING),
        "NOT ".repeat(MAX_NESTING),
        "abs(".repeat(MAX_NESTING - 1),
        ")".repeat(MAX_NESTING - 1)
    )
}

/// The limit holds on a 2 MiB stack even when reading and applying run on
/// it (`parse` runs them on threads of its own).
#[test]
fn the_limit_holds_on_a_small_stack() {
    let applied = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let cases = format!(
                "CREATE TABLE u (a int DEFAULT {}1{});",
                "CASE WHEN true THEN ".repeat(MAX_NESTING / 2),
                " END".repeat(MAX_NESTING / 2)
            );
            let unary = format!(
                "CREATE TABLE v (a int DEFAULT {}1{});",
                "-(".repeat(MAX_NESTING / 2),
                ")".repeat(MAX_NESTING / 2)
            );
            let text = [as_deep_as_the_limit(), cases, unary].join("\n");
            let source = Source { name: "deep.sql".into(), text };
            let (statements, diagnostics) = autogen_sql::read::read(&[source]);
            assert!(diagnostics.is_empty(), "{diagnostics:#?}");
            let mut builder = autogen_sql::build::Builder::new(Default::default());
            for statement in &statements {
                builder.apply(&statement.statement).unwrap();
            }
            builder.finish().tables.len()
        })
        .unwrap()
        .join();
    assert_eq!(applied.ok(), Some(3));
}

/// At the limit, deep expressions and types read as PostgreSQL stores them.
#[test]
fn input_as_deep_as_the_limit_reads_as_postgresql_stores_it() {
    let text = as_deep_as_the_limit();
    let parsed = parse_text(&text);
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(&text).unwrap();
    let introspected = autogen_testkit::introspect(database.url());
    if let Some(diff) =
        autogen_testkit::schema_diff("parsed", &parsed.schema, "introspected", &introspected)
    {
        panic!("{diff}");
    }
}

/// A view's query: set operations chained past the limit are an error;
/// within it, and subqueries nested as deep as the limit allows, are read
/// — in time: each subquery is read a bounded number of times.
#[test]
fn deep_view_queries_are_read_or_refused_in_time() {
    let unions: Vec<String> = (0..=MAX_NESTING + 1).map(|i| format!("SELECT {i} AS x")).collect();
    let (_, message) = the_error(&format!("CREATE VIEW v AS {};", unions.join(" UNION ALL ")));
    assert!(message.starts_with("query nested too deeply"), "{message}");
    let unions = &unions[..=MAX_NESTING];
    let started = std::time::Instant::now();
    for text in [
        format!("CREATE VIEW v AS {};", unions.join(" UNION ALL ")),
        format!("CREATE VIEW v AS SELECT {}1{} AS x;", "(SELECT ".repeat(240), ")".repeat(240)),
        format!(
            "CREATE VIEW v AS SELECT {}1 AS x{} AS x;",
            "(SELECT * FROM (SELECT ".repeat(120),
            ") s)".repeat(120)
        ),
    ] {
        let parsed = parse_text(&text);
        assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
        assert_eq!(parsed.schema.views.len(), 1);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
}
