-- The types columns use, one row per (type, modifier) pair the reader asks
-- about: whether it is an array, its element type, and — for built-in
-- element types — how format_type spells the element with the modifier;
-- and the type's default storage (`typstorage`, the array type's own for
-- an array).
-- $1: oid[] of types, $2: int4[] of their modifiers (same length).
SELECT u.type_oid,
       u.type_modifier,
       (t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AND t.typelem <> 0) AS is_array,
       t.typcollation AS collation,
       t.typstorage::text AS storage,
       en.nspname::text AS element_schema,
       e.typname::text AS element_name,
       e.typtype::text AS element_kind,
       CASE WHEN e.typnamespace = 'pg_catalog'::regnamespace
            THEN pg_catalog.format_type(e.oid, u.type_modifier)
       END AS element_spelling
FROM unnest($1::oid[], $2::int4[]) AS u(type_oid, type_modifier)
JOIN pg_catalog.pg_type t ON t.oid = u.type_oid
JOIN pg_catalog.pg_type e
  ON e.oid = CASE WHEN t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc AND t.typelem <> 0
                  THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace
