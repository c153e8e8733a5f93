//! Real-world schemas from `../shared/corpus/` (read in place, never copied
//! into the repository; `AUTOGEN_CORPUS` names another place, or `none`):
//! those autogen models completely go through the same proof as the
//! fixtures; pagila, which uses views, functions and partitions, must get
//! them reported (its domains, standalone sequences and triggers are
//! modelled).

mod common;

use std::path::PathBuf;

use common::*;

/// The corpus's `real/` folder; `None` (with a line saying so) when the
/// corpus is not there (`AUTOGEN_CORPUS`, see `autogen_testkit::corpus`).
fn corpus() -> Option<PathBuf> {
    autogen_testkit::corpus("this corpus test is").map(|corpus| corpus.join("real"))
}

#[test]
fn affine_round_trips() {
    if let Some(corpus) = corpus() {
        prove_round_trip(&corpus.join("affine-schema.sql"), None);
    }
}

#[test]
fn aidoc_round_trips() {
    if let Some(corpus) = corpus() {
        prove_round_trip(&corpus.join("aidoc-schema.sql"), None);
    }
}

#[test]
fn hybridvec_round_trips() {
    if let Some(corpus) = corpus() {
        prove_round_trip(&corpus.join("hybridvec-schema.sql"), None);
    }
}

#[test]
fn pagila_reports_what_autogen_does_not_model() {
    let Some(corpus) = corpus() else { return };
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_file(&corpus.join("pagila-schema.sql")).unwrap();
    // One line, counted by kind.
    let output = run(&["inspect", "--database-url", database.url()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stderr(&output);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(
        summary.starts_with("warning: 111 objects autogen does not model yet are left out: ")
            && summary.contains(" partitions, ")
            && !summary.contains(" views")
            && summary.ends_with(" (-v lists them)\n"),
        "{summary}"
    );
    // -v: each of them, one a line.
    let output = run(&["inspect", "-v", "--database-url", database.url()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 112, "{warning}");
    for expected in ["partitioned table public.payment", "partition public.payment_p2022_01"] {
        assert!(warning.contains(expected), "the warning lacks `{expected}`: {warning}");
    }
    let sql = stdout(&output);
    assert!(sql.contains("CREATE TABLE public.actor ("), "{sql}");
    // Its views and its materialized view are modelled.
    assert!(!warning.contains("view public."), "{warning}");
    assert!(sql.contains("CREATE VIEW public.actor_info AS"), "{sql}");
    assert!(sql.contains("CREATE MATERIALIZED VIEW public.rental_by_category AS"), "{sql}");
    // Its triggers are modelled: the tables' own, and none left out.
    assert!(!warning.contains("trigger "), "{warning}");
    assert!(
        sql.contains("CREATE TRIGGER last_updated BEFORE UPDATE ON public.actor FOR EACH ROW EXECUTE FUNCTION public.last_updated();"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON public.film FOR EACH ROW EXECUTE FUNCTION pg_catalog.tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title', 'description');"),
        "{sql}"
    );
    // Its sequences no column owns and its domains are modelled.
    assert!(!warning.contains("sequence public.actor_actor_id_seq"), "{warning}");
    assert!(!warning.contains("domain public.year"), "{warning}");
    // So are its functions and its aggregate.
    assert!(!warning.contains("function ") && !warning.contains("aggregate "), "{warning}");
    assert!(
        sql.contains("CREATE FUNCTION public.film_in_stock(p_film_id integer, p_store_id integer, OUT p_film_count integer) RETURNS SETOF integer"),
        "{sql}"
    );
    assert!(sql.contains("CREATE AGGREGATE public.group_concat(text) ("), "{sql}");
    assert!(sql.contains("CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));"), "{sql}");
    assert!(sql.contains("CREATE SEQUENCE public.actor_actor_id_seq AS bigint;"), "{sql}");
    assert!(
        !sql.contains("CREATE TABLE public.payment ("),
        "partitioned tables are not modelled yet"
    );
}
