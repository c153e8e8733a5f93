-- What objects the model does not describe depend on among those it does:
-- one row per pg_depend edge from an unmodelled object (named as
-- unmodeled.sql names it: kind, schema, name) to a table, a view or
-- materialized view, a column of one, an enum type, a collation, a
-- sequence, an index or a routine in scope (a trigger or rule on a view
-- depends on it: the plan must not drop the view from under it). A plan that drops or alters
-- what such an object depends on stops with an error naming it
-- (autogen_diff::guard) instead of failing at apply or taking it along.
-- deptype 'n' (normal) means PostgreSQL refuses to drop the referenced
-- object while the dependent exists; any dependency refuses a change of a
-- column's type under a view, a rule, a policy or a trigger.
-- $1: oid[] of the namespaces in scope.
WITH edges AS MATERIALIZED (
  SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid, d.deptype
  FROM pg_catalog.pg_depend d
  WHERE d.deptype IN ('n', 'a')
    AND d.refclassid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass,
                         'pg_catalog.pg_collation'::regclass, 'pg_catalog.pg_proc'::regclass)
    AND d.classid IN ('pg_catalog.pg_rewrite'::regclass, 'pg_catalog.pg_class'::regclass,
                      'pg_catalog.pg_trigger'::regclass, 'pg_catalog.pg_policy'::regclass,
                      'pg_catalog.pg_type'::regclass, 'pg_catalog.pg_proc'::regclass,
                      'pg_catalog.pg_constraint'::regclass, 'pg_catalog.pg_attrdef'::regclass)
),
-- The relations the model does not describe, with unmodeled.sql's kind.
outside_relations AS MATERIALIZED (
  SELECT c.oid, 'foreign table' AS kind
  FROM pg_catalog.pg_class c
  WHERE c.relnamespace = ANY ($1::oid[])
    AND c.relkind = 'f'
),
-- Each edge's dependent, named.
dependents AS (
  -- a view's or a rule's query
  SELECT e.*, CASE WHEN r.rulename = '_RETURN' THEN o.kind ELSE 'rule' END AS kind,
         c.relnamespace AS namespace,
         CASE WHEN r.rulename = '_RETURN' THEN c.relname::text
              ELSE c.relname::text || '.' || r.rulename::text END AS name,
         r.rulename = '_RETURN' AS relation
  FROM edges e
  JOIN pg_catalog.pg_rewrite r ON e.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = e.objid
  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  LEFT JOIN outside_relations o ON o.oid = c.oid
  WHERE r.rulename <> '_RETURN' OR o.oid IS NOT NULL
  UNION ALL
  -- a relation the model does not describe (a column's type, a parent)
  SELECT e.*, o.kind, c.relnamespace, c.relname::text, true
  FROM edges e
  JOIN outside_relations o ON e.classid = 'pg_catalog.pg_class'::regclass AND o.oid = e.objid
  JOIN pg_catalog.pg_class c ON c.oid = o.oid
  UNION ALL
  -- a constraint or a default of such a relation
  SELECT e.*, o.kind, c.relnamespace, c.relname::text, true
  FROM edges e
  JOIN pg_catalog.pg_constraint con ON e.classid = 'pg_catalog.pg_constraint'::regclass AND con.oid = e.objid
  JOIN outside_relations o ON o.oid = con.conrelid
  JOIN pg_catalog.pg_class c ON c.oid = o.oid
  -- (a constraint trigger's constraint is its trigger's: named below)
  WHERE con.contype <> 't'
  UNION ALL
  SELECT e.*, o.kind, c.relnamespace, c.relname::text, true
  FROM edges e
  JOIN pg_catalog.pg_attrdef ad ON e.classid = 'pg_catalog.pg_attrdef'::regclass AND ad.oid = e.objid
  JOIN outside_relations o ON o.oid = ad.adrelid
  JOIN pg_catalog.pg_class c ON c.oid = o.oid
  UNION ALL
  -- a trigger or a policy of a relation the model does not describe (those
  -- of the tables it describes are modelled)
  SELECT e.*, 'trigger', c.relnamespace, c.relname::text || '.' || t.tgname::text, false
  FROM edges e
  JOIN pg_catalog.pg_trigger t ON e.classid = 'pg_catalog.pg_trigger'::regclass AND t.oid = e.objid
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  WHERE NOT t.tgisinternal
    AND (c.relkind NOT IN ('r', 'p') OR c.oid IN (SELECT oid FROM outside_relations))
  UNION ALL
  SELECT e.*, 'policy', c.relnamespace, c.relname::text || '.' || p.polname::text, false
  FROM edges e
  JOIN pg_catalog.pg_policy p ON e.classid = 'pg_catalog.pg_policy'::regclass AND p.oid = e.objid
  JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  WHERE c.relkind NOT IN ('r', 'p') OR c.oid IN (SELECT oid FROM outside_relations)
  UNION ALL
  SELECT e.*, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
         p.pronamespace,
         p.proname::text || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', false
  FROM edges e
  JOIN pg_catalog.pg_proc p ON e.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = e.objid
)
SELECT dep.kind,
       dn.nspname::text AS schema,
       dep.name,
       dep.relation,
       dep.deptype::text AS dependency,
       CASE
         WHEN rc.relkind IN ('i', 'I') THEN 'index'
         WHEN rc.relkind = 'S' THEN 'sequence'
         WHEN dep.refobjsubid > 0 THEN 'column'
         WHEN rc.relkind = 'v' THEN 'view'
         WHEN rc.relkind = 'm' THEN 'materialized view'
         ELSE 'table'
       END AS reference_kind,
       rn.nspname::text AS reference_schema,
       rc.relname::text AS reference_name,
       a.attname::text AS reference_column
FROM dependents dep
JOIN pg_catalog.pg_namespace dn ON dn.oid = dep.namespace
JOIN pg_catalog.pg_class rc ON dep.refclassid = 'pg_catalog.pg_class'::regclass AND rc.oid = dep.refobjid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = rc.oid AND a.attnum = dep.refobjsubid AND dep.refobjsubid > 0
WHERE rc.relnamespace = ANY ($1::oid[])
  AND rc.relkind IN ('r', 'p', 'S', 'i', 'I', 'v', 'm')
  AND NOT (dep.relation AND rc.oid = dep.objid)
UNION ALL
SELECT dep.kind, dn.nspname::text, dep.name, dep.relation, dep.deptype::text,
       CASE WHEN tc.relkind IN ('r', 'p') THEN 'table' ELSE 'type' END,
       rn.nspname::text,
       COALESCE(tc.relname, rt.typname)::text,
       NULL
FROM dependents dep
JOIN pg_catalog.pg_namespace dn ON dn.oid = dep.namespace
JOIN pg_catalog.pg_type rt ON dep.refclassid = 'pg_catalog.pg_type'::regclass AND rt.oid = dep.refobjid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.typnamespace
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = rt.typrelid AND rt.typtype = 'c'
WHERE rt.typnamespace = ANY ($1::oid[])
  AND (rt.typtype IN ('e', 'd') OR (rt.typtype = 'c' AND tc.relkind IN ('r', 'p', 'c')))
UNION ALL
SELECT dep.kind, dn.nspname::text, dep.name, dep.relation, dep.deptype::text, 'collation',
       rn.nspname::text, co.collname::text, NULL
FROM dependents dep
JOIN pg_catalog.pg_namespace dn ON dn.oid = dep.namespace
JOIN pg_catalog.pg_collation co
  ON dep.refclassid = 'pg_catalog.pg_collation'::regclass AND co.oid = dep.refobjid
JOIN pg_catalog.pg_namespace rn ON rn.oid = co.collnamespace
WHERE co.collnamespace = ANY ($1::oid[])
UNION ALL
SELECT dep.kind, dn.nspname::text, dep.name, dep.relation, dep.deptype::text, 'function',
       rn.nspname::text, rp.proname::text, NULL
FROM dependents dep
JOIN pg_catalog.pg_namespace dn ON dn.oid = dep.namespace
JOIN pg_catalog.pg_proc rp ON dep.refclassid = 'pg_catalog.pg_proc'::regclass AND rp.oid = dep.refobjid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rp.pronamespace
WHERE rp.pronamespace = ANY ($1::oid[])
ORDER BY 1, 2, 3, 6, 7, 8, 9
