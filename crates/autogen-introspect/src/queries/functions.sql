-- Functions and procedures (pg_proc with prokind 'f' or 'p') of the schemas
-- in scope, with everything CREATE FUNCTION says: arguments in declaration
-- order (modes, names, type oids, defaults as pg_get_function_arg_default
-- prints them), result, language, body (prosrc as written; a SQL-standard
-- body as pg_get_function_sqlbody prints it; a C function's object file),
-- options and settings, comment, and the privileges granted on it (`proacl`
-- exploded, the owner's own entries left out; `acl_known` false when it is
-- null: PostgreSQL's defaults, EXECUTE to PUBLIC). Types are looked up with the columns'
-- (types.sql). Routines that belong to an extension are left out, and so
-- are those with what the model does not describe (a SUPPORT function,
-- TRANSFORM types): unmodeled.sql reports them.
-- $1: oid[] of the namespaces in scope.
SELECT n.nspname::text AS schema,
       p.proname::text AS name,
       p.prokind = 'p' AS procedure,
       ARRAY(
         SELECT u.type FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]))
           WITH ORDINALITY AS u(type, i)
         ORDER BY u.i
       ) AS argument_types,
       COALESCE(p.proargmodes::text[], '{}') AS argument_modes,
       COALESCE(p.proargnames, '{}') AS argument_names,
       ARRAY(
         SELECT pg_catalog.pg_get_function_arg_default(p.oid, i)
         FROM generate_series(1, COALESCE(cardinality(p.proallargtypes), p.pronargs)) AS i
         ORDER BY i
       ) AS argument_defaults,
       p.prorettype AS return_type,
       p.proretset AS returns_set,
       l.lanname::text AS language,
       p.prosrc AS source,
       p.probin AS object_file,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) END
         AS standard_body,
       p.provolatile::text AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       p.proparallel::text AS parallel,
       p.procost::text AS cost,
       p.procost = CASE WHEN l.lanname IN ('c', 'internal') THEN 1 ELSE 100 END AS default_cost,
       p.prorows::text AS rows,
       p.prorows = CASE WHEN p.proretset THEN 1000 ELSE 0 END AS default_rows,
       COALESCE(p.proconfig, '{}') AS settings,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       p.proacl IS NOT NULL AS acl_known,
       COALESCE(acl.grantees, '{}') AS acl_grantees,
       COALESCE(acl.privileges, '{}') AS acl_privileges,
       COALESCE(acl.grantable, '{}') AS acl_grantable
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN LATERAL (
  -- grantee oid 0 is PUBLIC (a null name)
  SELECT array_agg(CASE WHEN a.grantee = 0 THEN NULL
                        ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END) AS grantees,
         array_agg(a.privilege_type) AS privileges,
         array_agg(a.is_grantable) AS grantable
  FROM pg_catalog.aclexplode(p.proacl) a
  WHERE a.grantee <> p.proowner
) acl ON true
WHERE p.pronamespace = ANY ($1::oid[])
  AND p.prokind IN ('f', 'p')
  AND p.prosupport = 0
  AND p.protrftypes IS NULL
  AND p.oid NOT IN (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
      AND d.classid = 'pg_catalog.pg_proc'::regclass
      AND d.deptype = 'e'
  )
ORDER BY n.nspname, p.proname, p.oid
