-- Domains with their base type (looked up with the columns' types), default,
-- NOT NULL and check constraints; domains that belong to an extension are
-- left out. The collation is returned when it is not the base type's.
-- $1: oid[] of the namespaces in scope.
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       t.typbasetype AS base_oid,
       t.typtypmod AS base_modifier,
       t.typndims AS dimensions,
       t.typnotnull AS not_null,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS "default",
       CASE WHEN t.typcollation <> b.typcollation THEN t.typcollation ELSE 0::oid END AS collation,
       ARRAY(
         SELECT c.conname::text FROM pg_catalog.pg_constraint c
         WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname
       ) AS check_names,
       ARRAY(
         SELECT pg_catalog.pg_get_expr(c.conbin, 0) FROM pg_catalog.pg_constraint c
         WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname
       ) AS check_expressions,
       ARRAY(
         SELECT NOT c.convalidated FROM pg_catalog.pg_constraint c
         WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname
       ) AS check_not_valid
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
WHERE t.typtype = 'd'
  AND t.typnamespace = ANY ($1::oid[])
  AND t.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_type'::regclass
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, t.typname
