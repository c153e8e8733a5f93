-- Indexes of the tables in scope that do not back a constraint, one row per
-- index column (keys, then INCLUDE columns). `key_definition` is what
-- pg_get_indexdef prints for that column alone; `definition` is the whole
-- index, from which the keys' printed COLLATE and operator class are read.
-- $1: oid[] of the tables in scope.
SELECT i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       i.indnkeyatts::int4 AS key_count,
       i.indnullsnotdistinct AS nulls_not_distinct,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ic.reloptions AS options,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       k.position::int4 AS position,
       i.indkey[k.position - 1]::int4 AS column_number,
       ta.attname::text AS column_name,
       pg_catalog.pg_get_indexdef(i.indexrelid, k.position::int4, false) AS key_definition,
       COALESCE(i.indoption[k.position - 1], 0)::int4 AS key_option,
       opcn.nspname::text AS opclass_schema,
       opc.opcname::text AS opclass_name,
       ia.attoptions AS opclass_options,
       colln.nspname::text AS collation_schema,
       coll.collname::text AS collation_name
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL generate_series(1, i.indnatts) AS k(position)
JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.position
LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.position - 1]
LEFT JOIN pg_catalog.pg_opclass opc
  ON k.position <= i.indnkeyatts AND opc.oid = i.indclass[k.position - 1]
LEFT JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_collation coll
  ON k.position <= i.indnkeyatts AND coll.oid = i.indcollation[k.position - 1]
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
WHERE i.indrelid = ANY ($1::oid[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint c
    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
  )
ORDER BY i.indrelid, ic.relname, k.position
