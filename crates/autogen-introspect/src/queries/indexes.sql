-- Every index of the tables (partitioned ones included) and materialized
-- views in scope, one row each; those attached to an index of a
-- partitioned parent (the index is a partition: `relispartition`, what
-- pg_inherits holds) marked `attached`: they are the parent's index, made
-- on every partition. Per-key facts come as arrays indexed by key position
-- (int2vector/oidvector cast to arrays start at 0, which the driver does
-- not take: the slice `[0:]` numbers them from 1, with no text in
-- between). Indexes that back a constraint
-- (primary key, unique, exclusion) are no plain indexes: they lend the
-- constraint their INCLUDE columns, storage parameters and NULLS NOT
-- DISTINCT — an exclusion constraint its method, keys and predicate too.
-- The reader tells them apart by the constraint's `conindid`
-- (constraints.sql reads every kind that has one of its own), and refuses
-- an index marked `indisexclusion` or `indisprimary` that no constraint
-- claims rather than take it for a plain one.
-- An index a concurrent build left unfinished is `invalid` (no query uses
-- it, and it is not what was declared).
-- Whether the index is the one CLUSTER uses (`clustered`) or the table's
-- replica identity (`replica_identity`) is the table's, by the index's name.
--
-- Keys that are columns are named by the reader; expression keys are
-- printed here, each as pg_get_indexdef prints it alone (`expressions`, in
-- key order, NULL for column keys). pg_get_indexdef prints a key's COLLATE
-- when it differs from the key's own collation — the column's for a plain
-- column; for an expression, its derived collation, which the catalog does
-- not store. So an index with an expression key of non-default collation
-- also comes with its whole `definition`, which index_definition.rs reads.
-- pg_get_indexdef is the expensive call; this keeps it off the common path.
-- `opclass_options` holds each key's operator class parameters joined by the
-- unit separator (chr(31)), or NULL when no key has any.
-- $1: oid[] of the namespaces in scope.
SELECT i.indrelid AS table_oid,
       i.indexrelid AS index_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       (i.indisexclusion OR i.indisprimary) AS backs_constraint,
       ic.relispartition AS attached,
       ic.relam AS method_oid,
       i.indnkeyatts::int4 AS key_count,
       i.indnullsnotdistinct AS nulls_not_distinct,
       i.indisclustered AS clustered,
       NOT i.indisvalid AS invalid,
       i.indisreplident AS replica_identity,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ic.reloptions AS options,
       (i.indkey::int2[])[0:] AS columns,
       (i.indclass::oid[])[0:] AS opclasses,
       (i.indcollation::oid[])[0:] AS collations,
       (i.indoption::int2[])[0:] AS key_options,
       CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
         SELECT CASE WHEN i.indkey[k.slot] = 0
                     THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.slot + 1, false)
                END
         FROM generate_series(0, i.indnkeyatts - 1) AS k(slot)
         ORDER BY k.slot
       ) END AS expressions,
       CASE WHEN EXISTS (
         SELECT 1 FROM pg_catalog.pg_attribute ia
         WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL
       ) THEN ARRAY(
         SELECT COALESCE(pg_catalog.array_to_string(ia.attoptions, chr(31)), '')
         FROM pg_catalog.pg_attribute ia
         WHERE ia.attrelid = i.indexrelid AND ia.attnum <= i.indnkeyatts
         ORDER BY ia.attnum
       ) END AS opclass_options,
       CASE WHEN i.indexprs IS NOT NULL AND EXISTS (
         SELECT 1 FROM generate_series(0, i.indnkeyatts - 1) AS k(slot)
         WHERE i.indkey[k.slot] = 0 AND i.indcollation[k.slot] NOT IN (0, 100)
       ) THEN pg_catalog.pg_get_indexdef(i.indexrelid) END AS definition
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE t.relnamespace = ANY ($1::oid[])
  AND t.relkind IN ('r', 'p', 'm')
