-- Every collation, to name the ones columns and index keys use.
SELECT c.oid, n.nspname::text AS schema, c.collname::text AS name
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
