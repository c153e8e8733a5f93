-- Row-level security policies of the tables in scope (partitioned ones and
-- partitions included: a policy is never inherited, each table has its
-- own); the reader reports those of a table it leaves out (an extension's)
-- as unmodelled. `polroles` holds 0 for PUBLIC, which names
-- no role: PUBLIC reads as no roles. `USING` and `WITH CHECK` as
-- `pg_get_expr` prints them.
-- $1: oid[] of the namespaces in scope.
SELECT pol.polrelid AS table_oid,
       n.nspname::text AS table_schema,
       c.relname::text AS table_name,
       pol.polname::text AS name,
       pol.polpermissive AS permissive,
       pol.polcmd::text AS command,
       ARRAY(
         SELECT r.rolname::text FROM pg_catalog.pg_roles r WHERE r.oid = ANY (pol.polroles)
       ) AS roles,
       pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS using,
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check,
       d.description AS comment
FROM pg_catalog.pg_policy pol
JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = pol.oid AND d.classoid = 'pg_catalog.pg_policy'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND c.relnamespace = ANY ($1::oid[])
ORDER BY pol.polrelid, pol.polname
