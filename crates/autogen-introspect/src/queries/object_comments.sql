-- Comments on the schemas, extensions, enum, composite and domain types,
-- collations, sequences, indexes and constraints in scope (those on tables and columns
-- are comments.sql's). The reader keeps the comments whose object the model
-- holds (a sequence no column owns, an index or constraint of a table in
-- scope); PostgreSQL's own comments count as none: an extension's from its
-- control file here, `public`'s in the reader.
-- $1: oid[] of the namespaces in scope.
SELECT 'schema' AS kind,
       n.nspname::text AS schema,
       ''::text AS name,
       ''::text AS parent_schema,
       ''::text AS parent_name,
       d.description AS text
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_namespace n ON n.oid = d.objoid
WHERE d.classoid = 'pg_catalog.pg_namespace'::regclass
  AND d.objoid = ANY ($1::oid[])

UNION ALL
SELECT 'extension', '', e.extname::text, '', '', d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_extension e ON e.oid = d.objoid
WHERE d.classoid = 'pg_catalog.pg_extension'::regclass
  AND e.extnamespace = ANY ($1::oid[])
  AND d.description IS DISTINCT FROM (
    SELECT a.comment FROM pg_catalog.pg_available_extensions a WHERE a.name = e.extname
  )

UNION ALL
SELECT 'type', n.nspname::text, t.typname::text, '', '', d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_type t ON t.oid = d.objoid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE d.classoid = 'pg_catalog.pg_type'::regclass
  AND t.typnamespace = ANY ($1::oid[])
  AND t.typtype IN ('e', 'c', 'd')

UNION ALL
SELECT 'collation', n.nspname::text, co.collname::text, '', '', d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_collation co ON co.oid = d.objoid
JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
WHERE d.classoid = 'pg_catalog.pg_collation'::regclass
  AND co.collnamespace = ANY ($1::oid[])

UNION ALL
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'index' END,
       n.nspname::text, c.relname::text, '', '', d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class c ON c.oid = d.objoid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE d.classoid = 'pg_catalog.pg_class'::regclass
  AND d.objsubid = 0
  AND c.relnamespace = ANY ($1::oid[])
  AND c.relkind IN ('S', 'i', 'I')

UNION ALL
SELECT 'constraint', '', co.conname::text, n.nspname::text, c.relname::text, d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_constraint co ON co.oid = d.objoid
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE d.classoid = 'pg_catalog.pg_constraint'::regclass
  AND c.relnamespace = ANY ($1::oid[])
  AND co.contype IN ('p', 'u', 'c', 'f', 'x')

UNION ALL
SELECT 'domain constraint', '', co.conname::text, n.nspname::text, t.typname::text, d.description
FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_constraint co ON co.oid = d.objoid
JOIN pg_catalog.pg_type t ON t.oid = co.contypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE d.classoid = 'pg_catalog.pg_constraint'::regclass
  AND t.typnamespace = ANY ($1::oid[])
  AND co.contype = 'c'
ORDER BY 1, 2, 3, 4, 5
