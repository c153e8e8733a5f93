-- What each view and materialized view in scope reads: the pg_depend
-- edges of its `_RETURN` rule (pg_rewrite) to relations (a column when
-- `refobjsubid` > 0, the relation itself otherwise: a whole row, or a
-- table read without naming a column), sequences (`'s'::regclass`), types
-- and functions outside pg_catalog and information_schema (the built-in
-- ones are nobody's to drop); and the types of its own columns (edges
-- from the relation: a column of an enum type depends on it).
-- $1: oid[] of the namespaces in scope.
SELECT r.ev_class AS view_oid,
       CASE
         WHEN d.refclassid = 'pg_catalog.pg_class'::regclass AND rc.relkind = 'S' THEN 'sequence'
         WHEN d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0 THEN 'column'
         WHEN d.refclassid = 'pg_catalog.pg_class'::regclass THEN 'relation'
         WHEN d.refclassid = 'pg_catalog.pg_type'::regclass THEN 'type'
         ELSE 'function'
       END AS kind,
       n.nspname::text AS schema,
       COALESCE(rc.relname, t.typname, p.proname)::text AS name,
       a.attname::text AS column_name
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
LEFT JOIN pg_catalog.pg_class rc
  ON d.refclassid = 'pg_catalog.pg_class'::regclass AND rc.oid = d.refobjid
LEFT JOIN pg_catalog.pg_attribute a
  ON a.attrelid = rc.oid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
LEFT JOIN pg_catalog.pg_type t
  ON d.refclassid = 'pg_catalog.pg_type'::regclass AND t.oid = d.refobjid
LEFT JOIN pg_catalog.pg_proc p
  ON d.refclassid = 'pg_catalog.pg_proc'::regclass AND p.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = COALESCE(rc.relnamespace, t.typnamespace, p.pronamespace)
WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass
  AND d.deptype = 'n'
  AND r.rulename = '_RETURN'
  AND v.relkind IN ('v', 'm')
  AND v.relnamespace = ANY ($1::oid[])
  AND d.refobjid <> r.ev_class
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT d.objid, 'type', n.nspname::text, t.typname::text, NULL
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_class v ON v.oid = d.objid
JOIN pg_catalog.pg_type t ON t.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE d.classid = 'pg_catalog.pg_class'::regclass
  AND d.refclassid = 'pg_catalog.pg_type'::regclass
  AND d.deptype = 'n'
  AND v.relkind IN ('v', 'm')
  AND v.relnamespace = ANY ($1::oid[])
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2, 3, 4, 5
