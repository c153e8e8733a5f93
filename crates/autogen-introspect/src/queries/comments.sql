-- Comments on the tables in scope (`position` 0) and on their columns.
-- $1: oid[] of the namespaces in scope.
-- $2, $3: only the tables whose oid is $3 modulo $2.
SELECT d.objoid AS table_oid,
       d.objsubid AS position,
       d.description AS text
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class t ON t.oid = d.objoid
WHERE d.classoid = 'pg_catalog.pg_class'::regclass
  AND t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p')
  AND t.oid::int8 % $2::int4 = $3::int4
