-- User triggers (`NOT tgisinternal`: not the ones foreign keys make) of the
-- tables (partitioned ones and partitions included) and views in scope,
-- but those cloned onto a partition from its parent's (`tgparentid <> 0`):
-- they are the parent's. The reader reports those of a table it leaves
-- out (an extension's) as unmodelled.
-- `tgtype` bits: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE,
-- 32 TRUNCATE, 64 INSTEAD. `tgattr`: the `UPDATE OF` columns, as written.
-- `tgargs`: the arguments, each ending in a NUL byte. The definition is
-- read only for a trigger with a `WHEN` condition, which the reader takes
-- from it (`pg_get_triggerdef` prints `new.c` and `old.c`, as the
-- condition's two relations are named; `pg_get_expr` cannot).
-- $1: oid[] of the namespaces in scope.
SELECT t.tgrelid AS table_oid,
       n.nspname::text AS table_schema,
       c.relname::text AS table_name,
       c.relkind::text AS kind,
       t.tgname::text AS name,
       t.tgtype::int4 AS type,
       t.tgenabled::text AS enabled,
       pg_catalog.string_to_array(t.tgattr::text, ' ')::int2[] AS columns,
       t.tgnargs::int4 AS argument_count,
       t.tgargs AS arguments,
       fn.nspname::text AS function_schema,
       p.proname::text AS function_name,
       t.tgoldtable::text AS old_table,
       t.tgnewtable::text AS new_table,
       t.tgconstraint <> 0 AS is_constraint,
       t.tgdeferrable AS deferrable,
       t.tginitdeferred AS initially_deferred,
       rn.nspname::text AS from_schema,
       r.relname::text AS from_name,
       CASE WHEN t.tgqual IS NOT NULL THEN pg_catalog.pg_get_triggerdef(t.oid, false) END
         AS definition,
       d.description AS comment
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_class r ON r.oid = t.tgconstrrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_trigger'::regclass AND d.objsubid = 0
WHERE NOT t.tgisinternal
  AND c.relkind IN ('r', 'p', 'v')
  -- a trigger cloned from a partitioned parent's is the parent's
  AND t.tgparentid = 0
  AND c.relnamespace = ANY ($1::oid[])
ORDER BY t.tgrelid, t.tgname
