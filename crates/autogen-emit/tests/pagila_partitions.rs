//! pagila as it stood in July 2022 (seven monthly partitions of `payment`)
//! brought to pagila as it stands (fifty-five, and a view over the newest):
//! the migration autogen writes adds the 48 partitions, their own indexes
//! and foreign keys and the view, converges (a second diff is empty), and
//! its down migration brings 2022 back. Passed over without the corpus.

use autogen_diff::Hints;
use autogen_schema::Schema;
use autogen_testkit::{corpus, introspect, parse_sql, schema_diff, settled, versions_as_declared};

/// Whether a pg_dump section header names a partition of `payment` after
/// July 2022 (pagila's data ends there).
fn later(header: &str) -> bool {
    header.match_indices("payment_p20").any(|(at, found)| {
        let month = &header[at + found.len()..];
        month.get(..5).is_some_and(|month| month > "22_07")
    })
}

/// pagila's dump without the sections (pg_dump's `-- Name: …` blocks)
/// about partitions after July 2022: their tables, attachments, indexes
/// and foreign keys.
fn pagila_2022(dump: &str) -> String {
    let mut kept = String::new();
    for (index, section) in dump.split("\n--\n-- Name: ").enumerate() {
        let header = section.lines().next().unwrap_or_default();
        if index > 0 && later(header) {
            continue;
        }
        if index > 0 {
            kept.push_str("\n--\n-- Name: ");
        }
        kept.push_str(section);
    }
    kept
}

/// The schema a database holds once `sql` ran, read back, and the schema
/// `sql` declares with PostgreSQL's text for what it rewrites.
fn both_sides(sql: &str) -> (Schema, Schema) {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(sql).unwrap();
    let declared = parse_sql(sql);
    let introspected = versions_as_declared(introspect(database.url()), &declared);
    let script = autogen_emit::migration(&introspected, &declared, &Hints::default()).up;
    let declared = settled(database.url(), &declared, &script).unwrap();
    if let Some(difference) = schema_diff("declared", &declared, "introspected", &introspected) {
        panic!("{difference}");
    }
    (declared, introspected)
}

#[test]
fn pagila_2022_to_2026_converges() {
    let Some(corpus) = corpus("pagila 2022 → 2026") else { return };
    let dump = std::fs::read_to_string(corpus.join("real/pagila-schema.sql")).unwrap();
    let old = pagila_2022(&dump);
    let new = format!(
        "{dump}\nCREATE VIEW public.payments_2026 AS\n    SELECT payment_id, customer_id, \
         amount, payment_date FROM public.payment WHERE payment_date >= '2026-01-01';\n"
    );
    let (_, from) = both_sides(&old);
    let (to, _) = both_sides(&new);
    let count = |schema: &Schema| {
        schema.tables.values().filter(|table| table.partition_of.is_some()).count()
    };
    assert_eq!((count(&from), count(&to)), (7, 55), "pagila's partitions, 2022 and now");

    let migration = autogen_emit::migration(&from, &to, &Hints::default());
    let creates = migration.up.matches("PARTITION OF public.payment ").count();
    assert_eq!(creates, 48, "{}", migration.up);
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(&old).unwrap();
    database.load_sql(&migration.up).unwrap_or_else(|error| panic!("{error}\n{}", migration.up));
    let after_up = versions_as_declared(introspect(database.url()), &to);
    if let Some(difference) = schema_diff("after up", &after_up, "pagila now", &to) {
        panic!("up does not converge: {difference}");
    }
    let again = autogen_diff::diff(&after_up, &to, &Hints::default());
    assert!(again.is_empty(), "a second diff: {:?}", again.steps);
    database.load_sql(&migration.down).unwrap_or_else(|error| panic!("{error}"));
    let after_down = versions_as_declared(introspect(database.url()), &from);
    if let Some(difference) = schema_diff("after down", &after_down, "pagila 2022", &from) {
        panic!("down does not converge: {difference}");
    }
}
