//! The canonical DDL of a schema (`autogen inspect --format sql`) is the
//! plan that builds it in a new database: one renderer, one order.

use autogen_emit::schema_sql;
use autogen_testkit::parse_sql;

/// Written in an order PostgreSQL accepts but not the plan's: the
/// referenced table first, the foreign key inline, the comment before the
/// index, the enum after the types that do not need it.
const SHUFFLED: &str = r#"
CREATE SCHEMA "Sales";
CREATE TABLE public.users (id serial PRIMARY KEY, "Email" varchar(80) NOT NULL);
CREATE DOMAIN "Sales".cents AS integer CHECK (VALUE >= 0);
CREATE TYPE "Sales".price AS (amount "Sales".cents, "currency code" text);
CREATE TYPE "Sales".stage AS ENUM ('lead', 'won');
CREATE EXTENSION vector;
CREATE TABLE "Sales".deals (
    stage "Sales".stage DEFAULT 'lead',
    "user" integer REFERENCES public.users ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    embedding halfvec(3),
    price "Sales".price
);
COMMENT ON TABLE "Sales".deals IS 'It''s a deal';
CREATE INDEX deals_embedding_idx ON "Sales".deals USING hnsw (embedding halfvec_cosine_ops)
    WITH (m = 16, ef_construction = 64);
"#;

#[test]
fn statements_come_in_the_order_the_plan_from_nothing_runs_them() {
    let expected = r#"CREATE SCHEMA "Sales";

CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;

CREATE DOMAIN "Sales".cents AS integer CONSTRAINT cents_check CHECK ((VALUE >= 0));

CREATE TYPE "Sales".price AS (amount "Sales".cents, "currency code" text);

CREATE TYPE "Sales".stage AS ENUM ('lead', 'won');

CREATE TABLE "Sales".deals (
    stage "Sales".stage DEFAULT 'lead'::"Sales".stage,
    "user" integer,
    embedding halfvec(3),
    price "Sales".price
);

CREATE TABLE public.users (
    id serial,
    "Email" character varying(80) NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE INDEX deals_embedding_idx ON "Sales".deals USING hnsw (embedding halfvec_cosine_ops) WITH (m='16', ef_construction='64');

ALTER TABLE "Sales".deals ADD CONSTRAINT deals_user_fkey FOREIGN KEY ("user") REFERENCES public.users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;

COMMENT ON TABLE "Sales".deals IS 'It''s a deal';
"#;
    let printed = schema_sql(&parse_sql(SHUFFLED));
    autogen_testkit::assert_same_text("expected", expected, "schema_sql", &printed);
}

#[test]
fn what_it_prints_reads_back_to_the_same_schema_and_prints_the_same() {
    let schema = parse_sql(SHUFFLED);
    let printed = schema_sql(&schema);
    assert_eq!(parse_sql(&printed), schema);
    assert_eq!(schema_sql(&parse_sql(&printed)), printed);
}

#[test]
fn a_schema_with_nothing_in_it_prints_nothing() {
    assert_eq!(schema_sql(&parse_sql("")), "");
}
