//! Real-world schemas from `../shared/corpus/` (read in place, never copied
//! into the repository; `AUTOGEN_CORPUS` names another place, or `none`):
//! those autogen models completely go through the same proof as the
//! fixtures; pagila, which uses views, functions, triggers, domains and
//! partitions, is read with nothing left out.

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
fn pagila_is_read_with_nothing_left_out() {
    let Some(corpus) = corpus() else { return };
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_file(&corpus.join("pagila-schema.sql")).unwrap();
    // No warning: everything is modelled, even with -v.
    let output = run(&["inspect", "-v", "--database-url", database.url()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let warning = stderr(&output);
    assert_eq!(warning, "", "pagila has nothing autogen does not model");
    let sql = stdout(&output);
    assert!(sql.contains("CREATE TABLE public.actor ("), "{sql}");
    // Its views and its materialized view are modelled.
    assert!(sql.contains("CREATE VIEW public.actor_info AS"), "{sql}");
    assert!(sql.contains("CREATE MATERIALIZED VIEW public.rental_by_category AS"), "{sql}");
    // Its triggers are modelled.
    assert!(
        sql.contains("CREATE TRIGGER last_updated BEFORE UPDATE ON public.actor FOR EACH ROW EXECUTE FUNCTION public.last_updated();"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON public.film FOR EACH ROW EXECUTE FUNCTION pg_catalog.tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title', 'description');"),
        "{sql}"
    );
    // So are its functions, its aggregate, its domains and its sequences
    // no column owns.
    assert!(
        sql.contains("CREATE FUNCTION public.film_in_stock(p_film_id integer, p_store_id integer, OUT p_film_count integer) RETURNS SETOF integer"),
        "{sql}"
    );
    assert!(sql.contains("CREATE AGGREGATE public.group_concat(text) ("), "{sql}");
    assert!(sql.contains("CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));"), "{sql}");
    assert!(sql.contains("CREATE SEQUENCE public.actor_actor_id_seq AS bigint;"), "{sql}");
    // Its partitioned table and its 55 partitions are modelled.
    assert!(sql.contains("CREATE TABLE public.payment ("), "{sql}");
    assert_eq!(sql.matches("CREATE TABLE public.payment_p20").count(), 55, "{sql}");
}
