-- Primary key, unique, check, foreign key and exclusion constraints of the
-- tables in scope (partitioned tables and partitions included): one scan
-- of pg_constraint. Marked `inherited`, as their parent's: checks a
-- partition or an inheriting table has from its parents (`coninhcount >
-- 0`) and keys, unique, exclusion constraints and foreign keys cloned from
-- a partitioned parent's (`conparentid <> 0`). Left out: the foreign keys
-- PostgreSQL clones onto a referencing table for each partition of the
-- table it references (their parent is on the same table). Columns come as attribute
-- numbers, referenced tables as oids, backing indexes (INCLUDE, WITH, NULLS
-- NOT DISTINCT; an exclusion constraint's method, keys and predicate) as
-- `index_oid` — the reader names and joins them. NOT NULL rows (contype
-- 'n', PostgreSQL 18) are columns' business.
--
-- An exclusion constraint's operators (`conexclop`, one per key) are
-- printed as pg_get_constraintdef prints them under search_path = public:
-- the bare name when the operator is visible there, else
-- OPERATOR(schema.name).
-- $1: oid[] of the namespaces in scope.
SELECT c.conrelid AS table_oid,
       c.conname::text AS name,
       c.contype::text AS kind,
       c.condeferrable AS deferrable,
       c.condeferred AS deferred,
       c.convalidated AS validated,
       c.connoinherit AS no_inherit,
       c.conkey AS columns,
       CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid) END AS check_expression,
       c.confrelid AS referenced_table_oid,
       c.confkey AS referenced_columns,
       c.confmatchtype::text AS match_type,
       c.confupdtype::text AS on_update,
       c.confdeltype::text AS on_delete,
       c.conindid AS index_oid,
       CASE WHEN c.contype = 'c' THEN c.coninhcount > 0 ELSE c.conparentid <> 0 END
         AS inherited,
       CASE WHEN c.contype = 'x' THEN ARRAY(
         SELECT CASE WHEN pg_catalog.pg_operator_is_visible(o.oid) THEN o.oprname::text
                     ELSE 'OPERATOR(' || pg_catalog.quote_ident(n.nspname) || '.' || o.oprname || ')'
                END
         FROM pg_catalog.unnest(c.conexclop) WITH ORDINALITY AS e(operator_oid, position)
         JOIN pg_catalog.pg_operator o ON o.oid = e.operator_oid
         JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
         ORDER BY e.position
       ) END AS exclusion_operators
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
WHERE t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p')
  AND c.contype IN ('p', 'u', 'c', 'f', 'x')
  -- a foreign key's clone for a partition of the table it references
  AND NOT (c.conparentid <> 0 AND EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint pc
    WHERE pc.oid = c.conparentid AND pc.conrelid = c.conrelid
  ))
