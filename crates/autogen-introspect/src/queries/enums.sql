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
  -- members of an extension: found through pg_depend's index on the
  -- referenced object (the extension), not a scan of all of pg_depend
  AND t.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_type'::regclass
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, t.typname
