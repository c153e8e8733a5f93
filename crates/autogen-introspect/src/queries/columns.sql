-- Live columns of the tables in scope (partitioned tables and partitions
-- included; a partition's or inheriting table's columns are all its own,
-- those it has from its parents too, but for a partition's identity,
-- which from PostgreSQL 17 is its parent's, the sequence too): one scan of
-- pg_attribute, with
-- their storage (compared with the type's `typstorage` by the reader),
-- compression (empty for the default) and statistics target (-1 on
-- PostgreSQL 16, NULL from 17, for the default). Types,
-- defaults, comments and sequences come from types.sql, defaults.sql,
-- comments.sql and sequences.sql and are joined by the reader, which also
-- drops rows of relations tables.sql leaves out.
--
-- Every per-table query reads one catalog, joined only with the tables in
-- scope: catalogs of a freshly loaded database have no statistics, and a
-- plan over several large catalogs built on guessed row counts costs many
-- times what the scans themselves cost.
-- $1: oid[] of the namespaces in scope.
SELECT a.attrelid AS table_oid,
       a.attnum::int4 AS position,
       a.attname::text AS name,
       a.attnotnull AS not_null,
       -- A column a table that inherits has only from its parents (never
       -- so on a partition, however it came).
       (NOT a.attislocal AND NOT t.relispartition) AS inherited_only,
       CASE WHEN t.relispartition THEN '' ELSE a.attidentity::text END AS identity,
       a.attgenerated::text AS generated,
       a.attndims::int4 AS dimensions,
       a.atttypid AS type_oid,
       a.atttypmod AS type_modifier,
       a.attcollation AS collation,
       a.attstorage::text AS storage,
       a.attcompression::text AS compression,
       NULLIF(a.attstattarget, -1)::int4 AS statistics_target
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class t ON t.oid = a.attrelid
WHERE t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p')
  AND a.attnum > 0
  AND NOT a.attisdropped
