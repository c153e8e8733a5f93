-- Live columns of the tables in scope with their type (the element type for
-- arrays), default or generation expression, identity kind, collation and
-- comment. Sequences come from sequences.sql, collation names from
-- collations.sql.
--
-- A plain default cannot refer to columns, so it is printed without its
-- table as context (`pg_get_expr(adbin, 0)`), which spares PostgreSQL
-- opening every table: the difference between seconds and milliseconds on
-- large schemas. Generation expressions do refer to columns. Rows come
-- unordered; the reader puts them in attnum order.
-- $1: oid[] of the namespaces in scope. Rows of relations that tables.sql
-- leaves out (partitions, extension tables, _sqlx_migrations) are dropped by
-- the reader.
-- $2, $3: only the tables whose oid is $3 modulo $2 (the reader splits the
-- work across connections).
SELECT a.attrelid AS table_oid,
       a.attnum::int4 AS position,
       a.attname::text AS name,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       a.attndims::int4 AS dimensions,
       (t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AND t.typelem <> 0) AS is_array,
       en.nspname::text AS type_schema,
       e.typname::text AS type_name,
       e.typtype::text AS type_kind,
       CASE WHEN e.typnamespace = 'pg_catalog'::regnamespace
            THEN pg_catalog.format_type(e.oid, a.atttypmod)
       END AS type_spelling,
       a.atttypmod AS type_modifier,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0)
            ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
       END AS default_expression,
       a.attcollation AS collation,
       CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation END AS explicit_collation,
       d.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class rel ON rel.oid = a.attrelid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type e
  ON e.oid = CASE WHEN t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AND t.typelem <> 0
                  THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
  ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
WHERE rel.relnamespace = ANY ($1::oid[])
  AND rel.relkind = 'r'
  AND rel.oid::int8 % $2::int4 = $3::int4
  AND a.attnum > 0
  AND NOT a.attisdropped
