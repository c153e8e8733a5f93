-- Extensions installed into the schemas in scope.
-- $1: oid[] of the namespaces in scope.
SELECT e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extnamespace = ANY ($1::oid[])
ORDER BY e.extname
