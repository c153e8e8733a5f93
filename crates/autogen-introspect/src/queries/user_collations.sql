-- The collations of the schemas in scope (`CREATE COLLATION`), with their
-- options read through to_jsonb so that a column a server version lacks is
-- simply absent: colliculocale (15, 16) became colllocale (17),
-- collicurules came with 16. Collations that belong to an extension are
-- left out; the version (collversion) is the library's, not read.
-- $1: oid[] of the namespaces in scope.
SELECT n.nspname::text AS schema,
       c.collname::text AS name,
       j.value ->> 'collprovider' AS provider,
       COALESCE(j.value ->> 'colllocale', j.value ->> 'colliculocale') AS locale,
       j.value ->> 'collcollate' AS lc_collate,
       j.value ->> 'collctype' AS lc_ctype,
       (j.value ->> 'collisdeterministic')::boolean AS deterministic,
       j.value ->> 'collicurules' AS rules
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
CROSS JOIN LATERAL (SELECT pg_catalog.to_jsonb(c.*) AS value) j
WHERE c.collnamespace = ANY ($1::oid[])
  AND c.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_collation'::regclass
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, c.collname
