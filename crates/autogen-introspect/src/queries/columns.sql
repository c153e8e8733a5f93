-- Live columns of the tables in scope, in attnum order, with their type
-- (the element type for arrays), default or generation expression,
-- identity, collation when not the type's default, comment, and the
-- sequence the column owns (serial, deptype 'a') or its identity sequence
-- (deptype 'i').
-- $1: oid[] of the tables in scope.
SELECT a.attrelid AS table_oid,
       a.attname::text AS name,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       a.attndims::int4 AS dimensions,
       (t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AND t.typelem <> 0) AS is_array,
       en.nspname::text AS type_schema,
       e.typname::text AS type_name,
       e.typtype::text AS type_kind,
       pg_catalog.format_type(e.oid, a.atttypmod) AS type_spelling,
       a.atttypmod AS type_modifier,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expression,
       CASE WHEN a.attcollation <> t.typcollation THEN cn.nspname::text END AS collation_schema,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation_name,
       d.description AS comment,
       dep.deptype::text AS sequence_dependency,
       sn.nspname::text AS sequence_schema,
       s.relname::text AS sequence_name,
       pg_catalog.format_type(seq.seqtypid, NULL) AS sequence_type,
       seq.seqstart AS sequence_start,
       seq.seqincrement AS sequence_increment,
       seq.seqmin AS sequence_min,
       seq.seqmax AS sequence_max,
       seq.seqcache AS sequence_cache,
       seq.seqcycle AS sequence_cycle
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type e
  ON e.oid = CASE WHEN t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AND t.typelem <> 0
                  THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
LEFT JOIN pg_catalog.pg_depend dep
  ON dep.refclassid = 'pg_catalog.pg_class'::regclass
 AND dep.refobjid = a.attrelid
 AND dep.refobjsubid = a.attnum
 AND dep.classid = 'pg_catalog.pg_class'::regclass
 AND dep.deptype IN ('a', 'i')
 AND EXISTS (SELECT 1 FROM pg_catalog.pg_class sc WHERE sc.oid = dep.objid AND sc.relkind = 'S')
LEFT JOIN pg_catalog.pg_class s ON s.oid = dep.objid
LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
LEFT JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = s.oid
WHERE a.attrelid = ANY ($1::oid[])
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
