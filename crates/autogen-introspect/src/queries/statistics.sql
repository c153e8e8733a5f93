-- Extended statistics on the tables in scope (`CREATE STATISTICS`), one
-- row each: the kinds asked for (`stxkind`, with `e` whenever there are
-- expressions), the columns by attribute number, each expression as
-- pg_get_expr prints it, and the target (-1 on PostgreSQL 16, NULL from
-- 17, for the default). A statistics object may live in another schema
-- than its table's.
-- $1: oid[] of the namespaces in scope.
SELECT s.stxrelid AS table_oid,
       n.nspname::text AS schema,
       s.stxname::text AS name,
       s.stxkind::text[] AS kinds,
       pg_catalog.string_to_array(s.stxkeys::text, ' ')::int2[] AS columns,
       pg_catalog.pg_get_statisticsobjdef_expressions(s.oid) AS expressions,
       NULLIF(s.stxstattarget, -1)::int4 AS target
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_class t ON t.oid = s.stxrelid
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
WHERE t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p')
