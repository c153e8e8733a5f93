-- Views (relkind 'v') and materialized views ('m') in scope, one row each:
-- the query as pg_get_viewdef prints it (pretty, with the reading
-- transaction's search_path = public), the output columns in attnum order
-- with their comments, types (which `CREATE OR REPLACE VIEW` cannot
-- change; types.sql names them) and collations (an index on a materialized view
-- prints a key's COLLATE only where it differs from the column's), the
-- options (`reloptions`: security_barrier, security_invoker, check_option
-- of a view; storage parameters of a materialized view), whether a
-- materialized view is populated (`relispopulated`: false after WITH NO
-- DATA), the comment, and the privileges granted on it (`relacl` exploded,
-- the owner's own entries left out; `acl_known` false when it is null:
-- PostgreSQL's defaults). Relations that belong to an extension are left
-- out. Their indexes are indexes.sql's, what they read view_dependencies.sql's.
-- $1: oid[] of the namespaces in scope.
SELECT c.oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relkind = 'm' AS materialized,
       pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
       c.reloptions AS options,
       c.relispopulated AS populated,
       d.description AS comment,
       c.relacl IS NOT NULL AS acl_known,
       COALESCE(acl.grantees, '{}') AS acl_grantees,
       COALESCE(acl.privileges, '{}') AS acl_privileges,
       COALESCE(acl.grantable, '{}') AS acl_grantable,
       ARRAY(
         SELECT a.attname::text FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
       ) AS columns,
       ARRAY(
         SELECT cd.description FROM pg_catalog.pg_attribute a
         LEFT JOIN pg_catalog.pg_description cd
           ON cd.objoid = c.oid AND cd.classoid = 'pg_catalog.pg_class'::regclass
          AND cd.objsubid = a.attnum
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
       ) AS column_comments,
       ARRAY(
         SELECT a.attcollation FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
       ) AS column_collations,
       ARRAY(
         SELECT a.attnum FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
       ) AS column_numbers,
       ARRAY(
         SELECT a.atttypid FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
       ) AS column_type_oids,
       ARRAY(
         SELECT a.atttypmod FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
       ) AS column_type_modifiers
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
LEFT JOIN LATERAL (
  -- grantee oid 0 is PUBLIC (a null name)
  SELECT array_agg(CASE WHEN a.grantee = 0 THEN NULL
                        ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END) AS grantees,
         array_agg(a.privilege_type) AS privileges,
         array_agg(a.is_grantable) AS grantable
  FROM pg_catalog.aclexplode(c.relacl) a
  WHERE a.grantee <> c.relowner
) acl ON true
WHERE c.relkind IN ('v', 'm')
  AND c.relnamespace = ANY ($1::oid[])
  AND c.oid NOT IN (
    SELECT dep.objid FROM pg_catalog.pg_depend dep
    WHERE dep.refclassid = 'pg_catalog.pg_extension'::regclass
      AND dep.classid = 'pg_catalog.pg_class'::regclass
      AND dep.deptype = 'e'
  )
ORDER BY c.oid
