//! The large schema both benchmarks use: introspection (autogen-introspect)
//! and SQL parsing (autogen-sql) read the same generated text.

use std::fmt::Write as _;

/// A schema of `tables` tables, about ten columns each of mixed types (an
/// enum and an enum array among them), a `vector(384)` column with an HNSW
/// index on every tenth table, two or three indexes per table, and unique,
/// check and foreign key constraints; and on every tenth table a view, a
/// function and an `updated_at` trigger, with row-level security and a
/// policy on every twentieth.
pub(crate) fn generate_schema(tables: usize) -> String {
    let mut sql = String::from(
        "CREATE EXTENSION IF NOT EXISTS vector;\n\
         CREATE TYPE status AS ENUM ('draft', 'active', 'archived');\n\
         CREATE TYPE priority AS ENUM ('low', 'normal', 'high', 'urgent');\n\
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n\
         BEGIN\n    NEW.created_at := now();\n    RETURN NEW;\nEND\n$$;\n",
    );
    for table in 0..tables {
        let _ = write!(
            sql,
            "CREATE TABLE t{table} (\n\
             \x20   id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n\
             \x20   code varchar(40) NOT NULL UNIQUE,\n\
             \x20   title text NOT NULL DEFAULT '',\n\
             \x20   status status NOT NULL DEFAULT 'draft',\n\
             \x20   priorities priority[] NOT NULL DEFAULT '{{}}',\n\
             \x20   amount numeric(12,2) CHECK (amount >= 0),\n\
             \x20   ratio double precision,\n\
             \x20   payload jsonb,\n\
             \x20   created_at timestamptz NOT NULL DEFAULT now(),\n\
             \x20   parent_id bigint{}{}\n\
             );\n",
            if table > 0 {
                format!(" REFERENCES t{} (id) ON DELETE SET NULL", table - 1)
            } else {
                String::new()
            },
            if table % 10 == 0 { ",\n    embedding vector(384)" } else { "" },
        );
        let _ = writeln!(
            sql,
            "CREATE INDEX t{table}_status_created_idx ON t{table} (status, created_at DESC);"
        );
        let _ = writeln!(sql, "CREATE INDEX t{table}_title_idx ON t{table} (lower(title)) WHERE status <> 'archived';");
        if table % 10 == 0 {
            let _ = writeln!(
                sql,
                "CREATE INDEX t{table}_embedding_idx ON t{table} USING hnsw (embedding vector_cosine_ops) \
                 WITH (m = 16, ef_construction = 64);"
            );
        }
        let _ = writeln!(sql, "COMMENT ON TABLE t{table} IS 'generated table {table}';");
        if table % 10 == 0 {
            let _ = writeln!(
                sql,
                "CREATE VIEW v{table} AS SELECT id, code, title FROM t{table} WHERE status <> 'archived';\n\
                 CREATE FUNCTION f{table}(wanted bigint) RETURNS text LANGUAGE sql STABLE \
                 AS $$ SELECT title FROM t{table} WHERE id = wanted $$;\n\
                 CREATE TRIGGER t{table}_touch BEFORE UPDATE ON t{table} \
                 FOR EACH ROW EXECUTE FUNCTION touch();"
            );
        }
        if table % 20 == 0 {
            let _ = writeln!(
                sql,
                "ALTER TABLE t{table} ENABLE ROW LEVEL SECURITY;\n\
                 CREATE POLICY t{table}_active ON t{table} FOR SELECT USING (status = 'active');"
            );
        }
    }
    sql
}
