-- Sequences owned by a column: `serial`'s (pg_depend deptype 'a', from
-- ALTER SEQUENCE … OWNED BY) and identity columns' (deptype 'i'), with
-- their options. Every sequence of the database is read; the reader keeps
-- those whose owning table is in scope. The owner is looked up through
-- pg_depend's index on the dependent object.
SELECT owner.table_oid,
       owner.position,
       owner.dependency,
       n.nspname::text AS schema,
       s.relname::text AS name,
       pg_catalog.format_type(seq.seqtypid, NULL) AS data_type,
       seq.seqstart AS start,
       seq.seqincrement AS increment,
       seq.seqmin AS min_value,
       seq.seqmax AS max_value,
       seq.seqcache AS cache,
       seq.seqcycle AS cycle
FROM pg_catalog.pg_sequence seq
JOIN pg_catalog.pg_class s ON s.oid = seq.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace
CROSS JOIN LATERAL (
  SELECT dep.refobjid AS table_oid, dep.refobjsubid::int4 AS position, dep.deptype::text AS dependency
  FROM pg_catalog.pg_depend dep
  WHERE dep.classid = 'pg_catalog.pg_class'::regclass
    AND dep.objid = s.oid
    AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.deptype IN ('a', 'i')
    AND dep.refobjsubid > 0
  LIMIT 1
) AS owner
