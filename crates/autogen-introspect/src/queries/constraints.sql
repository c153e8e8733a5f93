-- Primary key, unique, check and foreign key constraints of the tables in
-- scope, with column names in key order. NOT NULL rows (contype 'n',
-- PostgreSQL 18) are columns' business; exclusion constraints are reported
-- by unmodeled.sql.
-- $1: oid[] of the tables in scope.
SELECT c.conrelid AS table_oid,
       c.conname::text AS name,
       c.contype::text AS kind,
       c.condeferrable AS deferrable,
       c.condeferred AS deferred,
       c.convalidated AS validated,
       c.connoinherit AS no_inherit,
       ARRAY(
         SELECT a.attname::text
         FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
         ORDER BY k.position
       ) AS columns,
       pg_catalog.pg_get_expr(c.conbin, c.conrelid) AS check_expression,
       rn.nspname::text AS referenced_schema,
       r.relname::text AS referenced_table,
       ARRAY(
         SELECT a.attname::text
         FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, position)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
         ORDER BY k.position
       ) AS referenced_columns,
       c.confmatchtype::text AS match_type,
       c.confupdtype::text AS on_update,
       c.confdeltype::text AS on_delete,
       ARRAY(
         SELECT a.attname::text
         FROM generate_series(i.indnkeyatts + 1, i.indnatts) AS k(position)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.position - 1]
         ORDER BY k.position
       ) AS include_columns,
       COALESCE(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       ic.reloptions AS index_options
FROM pg_catalog.pg_constraint c
LEFT JOIN pg_catalog.pg_class r ON r.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE c.conrelid = ANY ($1::oid[])
  AND c.contype IN ('p', 'u', 'c', 'f')
ORDER BY c.conrelid, c.conname
