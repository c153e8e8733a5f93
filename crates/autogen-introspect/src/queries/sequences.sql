-- Sequences owned by columns of the tables in scope: `serial`'s (pg_depend
-- deptype 'a', from ALTER SEQUENCE … OWNED BY) and identity columns'
-- (deptype 'i'), with their options.
-- $1: oid[] of the namespaces in scope. Rows of relations that tables.sql
-- leaves out (partitions, extension tables, _sqlx_migrations) are dropped by
-- the reader.
-- $2, $3: only the tables whose oid is $3 modulo $2 (the reader splits the
-- work across connections).
SELECT dep.refobjid AS table_oid,
       dep.refobjsubid::int4 AS position,
       dep.deptype::text AS dependency,
       sn.nspname::text AS schema,
       s.relname::text AS name,
       pg_catalog.format_type(seq.seqtypid, NULL) AS data_type,
       seq.seqstart AS start,
       seq.seqincrement AS increment,
       seq.seqmin AS min_value,
       seq.seqmax AS max_value,
       seq.seqcache AS cache,
       seq.seqcycle AS cycle
FROM pg_catalog.pg_depend dep
JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid
JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = s.oid
WHERE dep.classid = 'pg_catalog.pg_class'::regclass
  AND dep.refclassid = 'pg_catalog.pg_class'::regclass
  AND dep.deptype IN ('a', 'i')
  AND t.relnamespace = ANY ($1::oid[])
  AND t.relkind = 'r'
  AND t.oid::int8 % $2::int4 = $3::int4
