-- Aggregates (pg_proc with prokind 'a' and their pg_aggregate row) of the
-- schemas in scope: input types (an ordered-set aggregate's direct ones
-- first), state, final and combine functions by name, state type, initial
-- condition, sort operator, PARALLEL, comment. Aggregates that belong to an
-- extension are left out, and so are those with what the model does not
-- describe (moving-aggregate or serialization functions, FINALFUNC_EXTRA,
-- a FINALFUNC_MODIFY that is not the default, hypothetical-set, VARIADIC
-- or named arguments, a state size): unmodeled.sql reports them.
-- $1: oid[] of the namespaces in scope.
SELECT n.nspname::text AS schema,
       p.proname::text AS name,
       ARRAY(
         SELECT u.type FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(type, i)
         ORDER BY u.i
       ) AS argument_types,
       CASE WHEN a.aggkind = 'o' THEN a.aggnumdirectargs END AS direct_arguments,
       tn.nspname::text AS state_function_schema,
       t.proname::text AS state_function,
       a.aggtranstype AS state_type,
       fn.nspname::text AS final_function_schema,
       f.proname::text AS final_function,
       cn.nspname::text AS combine_function_schema,
       c.proname::text AS combine_function,
       a.agginitval AS initial_condition,
       CASE WHEN a.aggsortop <> 0
            THEN 'OPERATOR(' || son.nspname || '.' || so.oprname || ')' END AS sort_operator,
       p.proparallel::text AS parallel,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
JOIN pg_catalog.pg_proc t ON t.oid = a.aggtransfn
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.pronamespace
LEFT JOIN pg_catalog.pg_proc f ON f.oid = a.aggfinalfn
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
LEFT JOIN pg_catalog.pg_proc c ON c.oid = a.aggcombinefn
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.pronamespace
LEFT JOIN pg_catalog.pg_operator so ON so.oid = a.aggsortop
LEFT JOIN pg_catalog.pg_namespace son ON son.oid = so.oprnamespace
WHERE p.pronamespace = ANY ($1::oid[])
  AND p.prokind = 'a'
  AND a.aggkind IN ('n', 'o')
  AND a.aggmtransfn = 0
  AND a.aggserialfn = 0
  AND a.aggdeserialfn = 0
  AND NOT a.aggfinalextra
  AND a.aggfinalmodify = CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
  AND a.aggtransspace = 0
  AND p.provariadic = 0
  AND p.proargnames IS NULL
  AND p.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_proc'::regclass
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, p.proname, p.oid
