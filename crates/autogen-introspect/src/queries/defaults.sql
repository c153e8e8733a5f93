-- Column defaults and generation expressions of the tables in scope.
--
-- An expression that refers to no column (every plain default) is printed
-- without its table as context (`pg_get_expr(adbin, 0)`), which spares
-- PostgreSQL opening the table: the difference between seconds and
-- milliseconds on large schemas. Whether it refers to a column shows in its
-- stored node tree (`{VAR …}` nodes).
-- $1: oid[] of the namespaces in scope.
SELECT d.adrelid AS table_oid,
       d.adnum::int4 AS position,
       CASE WHEN pg_catalog.strpos(d.adbin::text, '{VAR ') = 0
            THEN pg_catalog.pg_get_expr(d.adbin, 0)
            ELSE pg_catalog.pg_get_expr(d.adbin, d.adrelid)
       END AS text
FROM pg_catalog.pg_attrdef d
JOIN pg_catalog.pg_class t ON t.oid = d.adrelid
WHERE t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p')
