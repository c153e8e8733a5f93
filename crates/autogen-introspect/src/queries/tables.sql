-- Tables in scope: ordinary tables (relkind 'r') and partitioned ones
-- ('p'), partitions and tables that inherit included. Left out: tables
-- that belong to an extension, and the bookkeeping table of sqlx
-- (`_sqlx_migrations`, which autogen's runner uses).
-- With each table its persistence (`unlogged`), storage parameters and
-- those of its TOAST table (`reloptions`, as stored: `name=value`), its
-- replica identity (`relreplident`; the index of `i` is indexes.sql's) and
-- row-level security (`ENABLE` and `FORCE ROW LEVEL SECURITY`), and the
-- privileges granted on it (`relacl` exploded, the owner's own entries
-- left out; `acl_known` false when it is null: PostgreSQL's defaults).
--
-- A partitioned table's key: `strategy` (`partstrat`: r, l, h), its keys'
-- attribute numbers (`partattrs`, 0 for an expression), operator classes
-- and collations by oid, and `pg_get_partkeydef`, from which the reader
-- takes each expression's text and whether PostgreSQL prints a key's
-- COLLATE and operator class (it prints them where they are not the
-- key's defaults: the column's or the expression's collation, the default
-- class of the key's type).
-- A partition's bound: `pg_get_expr(relpartbound)` (`FOR VALUES …` or
-- `DEFAULT`, its literals printed in the session's TimeZone and DateStyle,
-- which the reader sets to UTC and ISO; a bound names no column, so the
-- table is not opened: relation 0). Parents (`pg_inherits`, the one of a
-- partition or those a table inherits from) in `inhseqno` order.
-- $1: oid[] of the namespaces in scope.
SELECT c.oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relpersistence = 'u' AS unlogged,
       c.reloptions AS options,
       toast.reloptions AS toast_options,
       c.relreplident::text AS replica_identity,
       c.relrowsecurity AS row_security,
       c.relforcerowsecurity AS force_row_security,
       c.relacl IS NOT NULL AS acl_known,
       COALESCE(acl.grantees, '{}') AS acl_grantees,
       COALESCE(acl.privileges, '{}') AS acl_privileges,
       COALESCE(acl.grantable, '{}') AS acl_grantable,
       pt.partstrat::text AS partition_strategy,
       pg_catalog.string_to_array(pt.partattrs::text, ' ')::int2[] AS partition_columns,
       pg_catalog.string_to_array(pt.partclass::text, ' ')::oid[] AS partition_opclasses,
       pg_catalog.string_to_array(pt.partcollation::text, ' ')::oid[] AS partition_collations,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       c.relispartition AS is_partition,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END
         AS partition_bound,
       ARRAY(
         SELECT pn.nspname::text
         FROM pg_catalog.pg_inherits h
         JOIN pg_catalog.pg_class p ON p.oid = h.inhparent
         JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
         WHERE h.inhrelid = c.oid
         ORDER BY h.inhseqno
       ) AS parent_schemas,
       ARRAY(
         SELECT p.relname::text
         FROM pg_catalog.pg_inherits h
         JOIN pg_catalog.pg_class p ON p.oid = h.inhparent
         WHERE h.inhrelid = c.oid
         ORDER BY h.inhseqno
       ) AS parent_names
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
-- Only toast tables with options (a hash join, not a lookup per table).
LEFT JOIN (
  SELECT tc.oid, tc.reloptions FROM pg_catalog.pg_class tc
  WHERE tc.relkind = 't' AND tc.reloptions IS NOT NULL
) toast ON toast.oid = c.reltoastrelid
LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
LEFT JOIN LATERAL (
  -- grantee oid 0 is PUBLIC (a null name)
  SELECT array_agg(CASE WHEN a.grantee = 0 THEN NULL
                        ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END) AS grantees,
         array_agg(a.privilege_type) AS privileges,
         array_agg(a.is_grantable) AS grantable
  FROM pg_catalog.aclexplode(c.relacl) a
  WHERE a.grantee <> c.relowner
) acl ON true
WHERE c.relkind IN ('r', 'p')
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
