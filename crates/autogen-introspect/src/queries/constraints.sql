-- Primary key, unique, check and foreign key constraints of the tables in
-- scope. Columns come as attribute numbers (named from columns.sql); a
-- foreign key's referenced columns, which may be in a table out of scope,
-- are named here. NOT NULL rows (contype 'n', PostgreSQL 18) are columns'
-- business; exclusion constraints are reported by unmodeled.sql.
-- $1: oid[] of the namespaces in scope. Rows of relations that tables.sql
-- leaves out (partitions, extension tables, _sqlx_migrations) are dropped by
-- the reader.
-- $2, $3: only the tables whose oid is $3 modulo $2 (the reader splits the
-- work across connections).
SELECT c.conrelid AS table_oid,
       c.conname::text AS name,
       c.contype::text AS kind,
       c.condeferrable AS deferrable,
       c.condeferred AS deferred,
       c.convalidated AS validated,
       c.connoinherit AS no_inherit,
       c.conkey AS columns,
       CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid) END AS check_expression,
       c.confrelid AS referenced_oid,
       rn.nspname::text AS referenced_schema,
       r.relname::text AS referenced_table,
       c.confkey AS referenced_columns,
       CASE WHEN c.contype = 'f' THEN ARRAY(
         SELECT a.attname::text
         FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, position)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
         ORDER BY k.position
       ) END AS referenced_column_names,
       c.confmatchtype::text AS match_type,
       c.confupdtype::text AS on_update,
       c.confdeltype::text AS on_delete,
       pg_catalog.string_to_array(i.indkey::text, ' ')::int2[] AS index_columns,
       i.indnkeyatts::int4 AS index_key_count,
       COALESCE(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       ic.reloptions AS index_options
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
LEFT JOIN pg_catalog.pg_class r ON r.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE t.relnamespace = ANY ($1::oid[])
  AND t.relkind = 'r'
  AND t.oid::int8 % $2::int4 = $3::int4
  AND c.contype IN ('p', 'u', 'c', 'f')
