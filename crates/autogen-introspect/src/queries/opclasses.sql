-- Every operator class, to name the ones index keys use and to tell the
-- defaults (which pg_get_indexdef leaves out) from the others.
SELECT c.oid, n.nspname::text AS schema, c.opcname::text AS name, c.opcdefault AS is_default
FROM pg_catalog.pg_opclass c
JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
