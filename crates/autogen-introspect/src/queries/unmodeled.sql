-- Objects in scope that the schema model does not describe yet, so that they
-- are reported instead of silently treated as absent (views and
-- materialized views are modelled: views.sql; rules on them other than
-- their `_RETURN` are not; partitioned tables, partitions and inheriting
-- tables are modelled: tables.sql). Objects that belong to
-- an extension are not the user's and are left out. Every sequence is
-- listed: the reader drops those that columns own (serial, identity), which
-- the model describes. Virtual generated columns (PostgreSQL 18) are found
-- by the reader in columns.sql.
-- $1: oid[] of the namespaces in scope.
WITH extension_members AS MATERIALIZED (
  SELECT d.classid, d.objid
  FROM pg_catalog.pg_depend d
  WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
    AND d.deptype = 'e'
),
-- Foreign keys make internal triggers, four each: filter them out first, so
-- the plan starts from the few triggers a user wrote.
user_triggers AS MATERIALIZED (
  SELECT t.tgrelid, t.tgname
  FROM pg_catalog.pg_trigger t
  WHERE NOT t.tgisinternal
)
SELECT kind, schema, name
FROM (
  SELECT CASE c.relkind
           WHEN 'f' THEN 'foreign table'
           WHEN 'S' THEN 'sequence'
         END AS kind,
         n.nspname::text AS schema,
         c.relname::text AS name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relnamespace = ANY ($1::oid[])
    AND c.relkind IN ('f', 'S')
    AND (c.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_catalog.pg_class'::regclass))


  -- A sequence's persistence is not modelled: an unlogged one is reported
  -- unless a column of an unlogged table owns it (it follows its table).
  UNION ALL
  SELECT 'unlogged sequence', n.nspname::text, c.relname::text
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind = 'S' AND c.relpersistence = 'u'
    AND NOT EXISTS (
      SELECT 1
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
      WHERE d.classid = 'pg_catalog.pg_class'::regclass
        AND d.objid = c.oid
        AND d.refclassid = 'pg_catalog.pg_class'::regclass
        AND d.deptype IN ('a', 'i')
        AND t.relpersistence = 'u'
    )

  -- Row-level security, triggers and policies of the tables the model
  -- describes are read with them (tables.sql, triggers.sql, policies.sql);
  -- those of other relations (a foreign table) are reported here, or by
  -- the reader for the tables it leaves out (an extension's).
  UNION ALL
  SELECT 'row level security', n.nspname::text, c.relname::text
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relnamespace = ANY ($1::oid[]) AND c.relrowsecurity
    AND c.relkind NOT IN ('r', 'p')

  -- Routines functions.sql and aggregates.sql leave out: window functions,
  -- a SUPPORT function or TRANSFORM types, aggregates with options the
  -- model does not describe.
  UNION ALL
  SELECT CASE p.prokind
           WHEN 'p' THEN 'procedure'
           WHEN 'a' THEN 'aggregate'
           WHEN 'w' THEN 'window function'
           ELSE 'function'
         END,
         n.nspname::text,
         p.proname::text || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
  WHERE p.pronamespace = ANY ($1::oid[])
    AND p.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_catalog.pg_proc'::regclass)
    AND CASE p.prokind
          WHEN 'w' THEN true
          WHEN 'a' THEN NOT (
            a.aggkind IN ('n', 'o')
            AND a.aggmtransfn = 0
            AND a.aggserialfn = 0
            AND a.aggdeserialfn = 0
            AND NOT a.aggfinalextra
            AND a.aggfinalmodify = CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
            AND a.aggtransspace = 0
            AND p.provariadic = 0
            AND p.proargnames IS NULL
          )
          ELSE p.prosupport <> 0 OR p.protrftypes IS NOT NULL
        END

  UNION ALL
  SELECT CASE t.typtype WHEN 'r' THEN 'range type' ELSE 'base type' END,
         n.nspname::text, t.typname::text
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typnamespace = ANY ($1::oid[])
    AND (t.typtype = 'r' OR (t.typtype = 'b' AND t.typcategory <> 'A'))
    AND t.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_catalog.pg_type'::regclass)

  UNION ALL
  SELECT 'trigger', n.nspname::text, c.relname::text || '.' || tg.tgname::text
  FROM user_triggers tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind NOT IN ('r', 'p', 'v')

  UNION ALL
  SELECT 'policy', n.nspname::text, c.relname::text || '.' || pol.polname::text
  FROM pg_catalog.pg_policy pol
  JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind NOT IN ('r', 'p')

  UNION ALL
  SELECT 'rule', n.nspname::text, c.relname::text || '.' || r.rulename::text
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relnamespace = ANY ($1::oid[]) AND r.rulename <> '_RETURN'
) AS unmodeled
WHERE kind IS NOT NULL
ORDER BY kind, schema, name
