-- Comments on the tables in scope (`position` 0) and on their columns.
-- $1: oid[] of the namespaces in scope.
SELECT d.objoid AS table_oid,
       d.objsubid AS position,
       d.description AS text
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class t ON t.oid = d.objoid
WHERE d.classoid = 'pg_catalog.pg_class'::regclass
  AND t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p')
