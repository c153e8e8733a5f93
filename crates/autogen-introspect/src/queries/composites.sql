-- Standalone composite types (`CREATE TYPE … AS (…)`: a pg_type whose
-- relation has relkind 'c'), one row per attribute in attnum order (a type
-- without attributes gives one row of NULLs), with the attribute's type
-- looked up with the columns' types. Types that belong to an extension are
-- left out.
-- $1: oid[] of the namespaces in scope.
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       a.attname::text AS attribute,
       a.atttypid AS type_oid,
       a.atttypmod AS type_modifier,
       a.attndims::int4 AS dimensions,
       a.attcollation AS collation
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_catalog.pg_attribute a
  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE t.typtype = 'c'
  AND t.typnamespace = ANY ($1::oid[])
  AND t.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_type'::regclass
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, t.typname, a.attnum
