-- The sequences of the namespaces in scope, with their options: those owned
-- by a column — `serial`'s (pg_depend deptype 'a', from ALTER SEQUENCE …
-- OWNED BY) and identity columns' (deptype 'i'), the reader keeping those
-- whose owning table it reads — and those no column owns (table_oid 0),
-- unless an extension's. An owned sequence is always in its table's schema
-- (OWNED BY takes only a table of the sequence's schema, and a table moved
-- to another schema takes its sequences along), so the namespaces in
-- scope are where to look: reading one schema of many costs that schema,
-- not the database. The owner is looked up through pg_depend's index on
-- the dependent object.
-- $1: oid[] of the namespaces in scope.
SELECT COALESCE(owner.table_oid, 0::oid) AS table_oid,
       COALESCE(owner.position, 0::int4) AS position,
       COALESCE(owner.dependency, '') AS dependency,
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
LEFT JOIN LATERAL (
  SELECT dep.refobjid AS table_oid, dep.refobjsubid::int4 AS position, dep.deptype::text AS dependency
  FROM pg_catalog.pg_depend dep
  WHERE dep.classid = 'pg_catalog.pg_class'::regclass
    AND dep.objid = s.oid
    AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.deptype IN ('a', 'i')
    AND dep.refobjsubid > 0
  LIMIT 1
) AS owner ON true
WHERE s.relnamespace = ANY ($1::oid[])
  AND (owner.table_oid IS NOT NULL
       OR NOT EXISTS (
         SELECT 1 FROM pg_catalog.pg_depend dep
         WHERE dep.classid = 'pg_catalog.pg_class'::regclass
           AND dep.objid = s.oid
           AND dep.refclassid = 'pg_catalog.pg_extension'::regclass
           AND dep.deptype = 'e'))
