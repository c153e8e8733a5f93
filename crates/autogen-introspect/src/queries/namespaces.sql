-- Schemas (namespaces) autogen manages: every schema that is not a system
-- schema and not created by an extension, or only those $1 matches.
-- $1: text[] of LIKE patterns (the globs of `schemas`, `*` → `%`, `?` → `_`,
-- the name's own `%`, `_` and `\` escaped), or NULL for all.
SELECT n.oid, n.nspname::text AS name
FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  -- members of an extension: found through pg_depend's index on the
  -- referenced object (the extension), not a scan of all of pg_depend
  AND n.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_namespace'::regclass
      AND d.deptype = 'e'
  )
  AND ($1::text[] IS NULL OR n.nspname LIKE ANY ($1::text[]))
ORDER BY n.nspname
