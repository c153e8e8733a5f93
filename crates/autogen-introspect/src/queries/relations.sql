-- Names of relations outside the tables read (a foreign key may reference a
-- table in a schema out of scope), with their columns.
-- $1: oid[] of the relations.
SELECT c.oid AS table_oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       a.attnum::int4 AS position,
       a.attname::text AS column_name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.oid = ANY ($1::oid[])
