-- Enum types and their labels in sort order; types that belong to an
-- extension are left out.
-- $1: oid[] of the namespaces in scope.
SELECT n.nspname::text AS schema,
       t.typname::text AS name,
       ARRAY(
         SELECT e.enumlabel::text
         FROM pg_catalog.pg_enum e
         WHERE e.enumtypid = t.oid
         ORDER BY e.enumsortorder
       ) AS labels
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND t.typnamespace = ANY ($1::oid[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_type'::regclass
      AND d.objid = t.oid
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, t.typname
