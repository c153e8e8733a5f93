//! Partitions a job creates at run time (pg_partman and the like) are not
//! declared: an `ignore` glob leaves them out of both sides, so the plan
//! neither drops them nor creates them, while the partitioned table they
//! belong to is still compared (docs/guide.md, "Partitioned tables and
//! inheritance").

mod common;

use common::*;

const DATABASE: &str = "CREATE TABLE payments (id bigint NOT NULL, paid_at date NOT NULL)
    PARTITION BY RANGE (paid_at);
CREATE TABLE payments_p2026_01 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE payments_p2026_02 PARTITION OF payments FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE payments_default PARTITION OF payments DEFAULT;";

/// Only the parent and the partition kept by hand are declared.
const DECLARED: &str =
    "CREATE TABLE payments (id bigint NOT NULL, paid_at date NOT NULL, note text)
    PARTITION BY RANGE (paid_at);
CREATE TABLE payments_default PARTITION OF payments DEFAULT;";

#[test]
fn partitions_made_at_run_time_are_left_alone_by_an_ignore_glob() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(DATABASE).unwrap();
    let declared = declared_file("partman", DECLARED);

    // Without the glob, the undeclared partitions would be dropped.
    let plain = run(&["diff", "--from", database.url(), "--to", &declared]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert!(stdout(&plain).contains("DROP TABLE public.payments_p2026_01;"), "{}", stdout(&plain));

    let ignored = run(&[
        "diff",
        "--from",
        database.url(),
        "--to",
        &declared,
        "--ignore",
        "public.payments_p20*",
    ]);
    assert!(ignored.status.success(), "{}", stderr(&ignored));
    // The parent's change is made, and reaches the partitions by itself.
    assert_eq!(stdout(&ignored), "ALTER TABLE public.payments ADD COLUMN note text;\n");
    database.load_sql(&stdout(&ignored)).unwrap();
    let again = run(&[
        "diff",
        "--from",
        database.url(),
        "--to",
        &declared,
        "--ignore",
        "public.payments_p20*",
    ]);
    assert_eq!(stdout(&again), "", "{}", stderr(&again));
    std::fs::remove_file(&declared).unwrap();
}
