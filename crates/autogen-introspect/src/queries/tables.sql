-- Ordinary tables in scope. Left out: tables that belong to an extension,
-- partitions, tables that inherit from others (both reported by
-- unmodeled.sql), and the bookkeeping table of sqlx (`_sqlx_migrations`, which
-- autogen's runner uses). Partitioned tables (relkind 'p') are not modelled
-- yet: unmodeled.sql reports them.
-- With each table its persistence (`unlogged`), storage parameters and
-- those of its TOAST table (`reloptions`, as stored: `name=value`), and its
-- replica identity (`relreplident`; the index of `i` is indexes.sql's) and
-- row-level security (`ENABLE` and `FORCE ROW LEVEL SECURITY`).
-- $1: oid[] of the namespaces in scope.
SELECT c.oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relpersistence = 'u' AS unlogged,
       c.reloptions AS options,
       toast.reloptions AS toast_options,
       c.relreplident::text AS replica_identity,
       c.relrowsecurity AS row_security,
       c.relforcerowsecurity AS force_row_security
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class toast ON toast.oid = c.reltoastrelid
WHERE c.relkind = 'r'
  AND NOT c.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = c.oid)
  AND c.relnamespace = ANY ($1::oid[])
  AND c.relname <> '_sqlx_migrations'
  -- members of an extension: found through pg_depend's index on the
  -- referenced object (the extension), not a scan of all of pg_depend
  AND c.oid NOT IN (
    SELECT dep.objid FROM pg_catalog.pg_depend dep
    WHERE dep.refclassid = 'pg_catalog.pg_extension'::regclass
      AND dep.classid = 'pg_catalog.pg_class'::regclass
      AND dep.deptype = 'e'
  )
