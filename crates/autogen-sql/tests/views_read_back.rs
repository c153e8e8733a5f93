//! A view's normalised text is SQL PostgreSQL runs, and reading it again
//! gives it back: for a spread of queries (joins, `USING`, CTEs,
//! recursive CTEs, set operations, window functions, `FILTER`, `DISTINCT
//! ON`, casts with `COLLATE`, subqueries, `VALUES`, `LATERAL`, `EXTRACT`,
//! `TRIM`, arrays, JSON operators, quoted and unicode names) and for the
//! views of pagila's schema, each view's `CREATE` — as a migration writes
//! it — is run on PostgreSQL, and parsed again to the same view.

use autogen_sql::{parse, Source};
use autogen_testkit::*;

const TABLES: &str =
    "CREATE TABLE t (id int PRIMARY KEY, a text, b int, j jsonb, tags text[], at timestamptz);
CREATE TABLE \"Mixed Case\" (id int PRIMARY KEY, \"Größe\" numeric, \"select\" text);";

const QUERIES: &[&str] = &[
    "SELECT a, count(*) FILTER (WHERE b > 1) AS many FROM t GROUP BY a HAVING count(*) > 2",
    "SELECT t.id, m.\"Größe\" FROM t JOIN \"Mixed Case\" m USING (id)",
    "WITH x AS (SELECT id, a FROM t) SELECT * FROM x WHERE a LIKE 'a%'",
    "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
    "SELECT a FROM t UNION SELECT \"select\" FROM \"Mixed Case\" ORDER BY 1",
    "SELECT id, rank() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST) AS r FROM t",
    "SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b",
    "SELECT a::text COLLATE \"C\" AS c, b::bigint, CAST(b AS numeric(10,2)) AS n FROM t",
    "SELECT id, (SELECT max(b) FROM t AS u WHERE u.a = t.a) AS top_b FROM t",
    "SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS v (n, label)",
    "SELECT t.id, e.value FROM t, LATERAL jsonb_array_elements(t.j) AS e (value)",
    "SELECT EXTRACT(year FROM at) AS y, TRIM(BOTH FROM a) AS trimmed, substring(a FROM 2 FOR 3) AS part FROM t",
    "SELECT tags[1] AS first_tag, ARRAY[b, id] AS pair, 'x' = ANY (tags) AS has_x FROM t",
    "SELECT j ->> 'name' AS name, j -> 'items' AS items, j @> '{}'::jsonb AS has FROM t",
    "SELECT CASE WHEN b IS NULL THEN 'none' WHEN b > 10 THEN 'many' ELSE 'few' END AS amount FROM t",
    "SELECT a, string_agg(a, ', ' ORDER BY a) AS names FROM t GROUP BY a",
    "SELECT coalesce(a, 'n/a') AS a, nullif(b, 0) AS b, greatest(b, id) AS g FROM t WHERE at > now() - interval '1 day'",
    "SELECT id FROM t WHERE EXISTS (SELECT 1 FROM \"Mixed Case\" m WHERE m.id = t.id) AND b IN (1, 2, 3)",
    "SELECT id, b BETWEEN 1 AND 5 AS small, a IS DISTINCT FROM 'x' AS other FROM t",
];

/// Each view `text` declares, created on PostgreSQL from its own
/// normalised `CREATE` (after `setup`), and read again the same.
fn check(setup: &str, text: &str, name: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let parsed = parse(&[Source { name: name.to_owned(), text: format!("{setup}\n{text}") }]);
    failures.extend(errors(name, &parsed));
    let views: Vec<_> = parsed.schema.views.values().collect();
    if views.is_empty() {
        failures.push(format!("{name}: no view read"));
    }
    let database = autogen_pgtemp::fresh_database().unwrap();
    if let Err(error) = database.load_sql(setup) {
        return vec![format!("{name}: the setup failed: {error}")];
    }
    for view in views {
        let create = view.create_sql(false);
        if let Err(error) = database.load_sql(&create) {
            failures.push(format!("{name}: PostgreSQL refused {create}: {error}"));
        }
        let again = parse(&[Source {
            name: format!("{name} written"),
            text: format!("{setup}\n{create}"),
        }]);
        failures.extend(errors(&format!("{name} written"), &again));
        match again.schema.views.get(&view.name) {
            Some(read) if read == view => {}
            read => failures.push(format!("{name}: {create}\nreads back as {read:#?}")),
        }
    }
    failures
}

#[test]
fn normalised_view_texts_run_on_postgresql_and_read_back_the_same() {
    let mut failures = Vec::new();
    for (number, query) in QUERIES.iter().enumerate() {
        failures.extend(check(TABLES, &format!("CREATE VIEW v{number} AS {query};"), query));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn pagilas_views_run_on_postgresql_and_read_back_the_same() {
    let Some(corpus) = corpus("pagila's views") else { return };
    let path = corpus.join("real/pagila-schema.sql");
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = parse(&[Source { name: "pagila".to_owned(), text: text.clone() }]);
    assert_eq!(parsed.schema.views.len(), 7, "pagila has seven views");
    assert_eq!(parsed.schema.materialized_views.len(), 1, "and one materialized view");
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(&text).unwrap();
    let mut failures = Vec::new();
    for view in parsed.schema.views.values() {
        let create = view.create_sql(true);
        if let Err(error) = database.load_sql(&format!("SET search_path = public;\n{create}")) {
            failures.push(format!("PostgreSQL refused {create}: {error}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
