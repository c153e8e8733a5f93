//! The hazards a migration names happen as it says when rows are there:
//! the statement it warns about fails, the transaction leaves the
//! database as it was, and once the rows fit, the same SQL applies.

use autogen_diff::{Hazard, Hints};
use autogen_testkit::parse_sql as parse;

fn index_names(database: &autogen_pgtemp::Database<'_>) -> String {
    database
        .execute("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'chunks'")
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn a_vector_dimension_change_fails_on_rows_of_the_old_size_and_changes_nothing() {
    let from = "CREATE EXTENSION IF NOT EXISTS vector;
        CREATE TABLE chunks (id integer PRIMARY KEY, embedding vector(3));
        CREATE INDEX chunks_embedding ON chunks USING hnsw (embedding vector_l2_ops);";
    let to = from.replace("vector(3)", "vector(4)");
    let plan = autogen_diff::diff(&parse(from), &parse(&to), &Hints::default());
    assert!(plan.hazards().contains(&Hazard::MayFailOnData), "{:?}", plan.steps);
    let up = autogen_emit::migration(&parse(from), &parse(&to), &Hints::default()).up;
    assert!(up.contains("-- fails unless every embedding is NULL"), "{up}");

    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(from).unwrap();
    database.execute("INSERT INTO chunks VALUES (1, '[1,2,3]'), (2, NULL)").unwrap();
    let before = index_names(&database);
    let error = database.load_sql(&up).unwrap_err().to_string();
    assert!(error.contains("expected 4 dimensions, not 3"), "{error}");
    assert_eq!(index_names(&database), before, "the failed migration dropped an index");
    assert_eq!(
        database.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'").unwrap().trim(),
        "vector(3)"
    );

    // As the comment says: with the old values cleared, it applies.
    database.execute("UPDATE chunks SET embedding = NULL").unwrap();
    database.load_sql(&up).unwrap();
    assert_eq!(index_names(&database), before);
}

#[test]
fn removing_an_enum_value_in_use_fails_and_changes_nothing() {
    let from = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');";
    let to = from.replace("'sad', ", "");
    let plan = autogen_diff::diff(&parse(from), &parse(&to), &Hints::default());
    assert!(plan.hazards().contains(&Hazard::EnumSwap), "{:?}", plan.steps);
    let up = autogen_emit::migration(&parse(from), &parse(&to), &Hints::default()).up;

    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(from).unwrap();
    database.execute("INSERT INTO people VALUES (1, 'sad'), (2, 'happy')").unwrap();
    let error = database.load_sql(&up).unwrap_err().to_string();
    assert!(error.contains("invalid input value for enum mood: \"sad\""), "{error}");
    let labels = "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'mood'::regtype";
    assert_eq!(database.execute(labels).unwrap().trim(), "sad,ok,happy");

    database.execute("UPDATE people SET mood = 'ok' WHERE mood = 'sad'").unwrap();
    database.load_sql(&up).unwrap();
    assert_eq!(database.execute(labels).unwrap().trim(), "ok,happy");
}

#[test]
fn a_table_made_partitioned_with_a_row_no_partition_takes_fails_and_changes_nothing() {
    let from = "CREATE TABLE events (id integer NOT NULL, at date NOT NULL);";
    let to = "CREATE TABLE events (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";
    let plan = autogen_diff::diff(&parse(from), &parse(to), &Hints::default());
    assert!(plan.hazards().contains(&Hazard::MayFailOnData), "{:?}", plan.steps);
    let up = autogen_emit::migration(&parse(from), &parse(to), &Hints::default()).up;
    assert!(up.contains("fails if a row does not fit the new table"), "{up}");

    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(from).unwrap();
    database.execute("INSERT INTO events VALUES (1, '2026-03-01'), (2, '2025-12-31')").unwrap();
    let error = database.load_sql(&up).unwrap_err().to_string();
    assert!(error.contains("no partition of relation \"events\" found for row"), "{error}");
    let kind = "SELECT relkind FROM pg_class WHERE relname LIKE 'events%' ORDER BY relname";
    assert_eq!(database.execute(kind).unwrap().trim(), "r", "the failed migration changed events");
    assert_eq!(database.execute("SELECT count(*) FROM events").unwrap().trim(), "2");

    // As the comment says: once every row fits a partition, it applies.
    database.execute("DELETE FROM events WHERE at < '2026-01-01'").unwrap();
    database.load_sql(&up).unwrap();
    assert_eq!(database.execute(kind).unwrap().trim(), "p\nr");
    assert_eq!(
        database.execute("SELECT id || ':' || tableoid::regclass FROM events").unwrap().trim(),
        "1:events_2026"
    );
}
