-- Every index access method, to name the ones indexes use.
SELECT a.oid, a.amname::text AS name
FROM pg_catalog.pg_am a
