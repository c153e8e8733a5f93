# Short names for the commands people type; each calls a script CI also runs.

# Formatting, lints and the whole test suite (installs PostgreSQL if missing).
test:
    scripts/test

# Install the pinned PostgreSQL 16 + pgvector into .pg/16 (or `just pg 18`).
pg major="16":
    scripts/install-postgres {{major}}

# Introspection benchmark; figures go to docs/PERFORMANCE.md.
bench:
    scripts/install-postgres 16
    cargo bench -p autogen-introspect --bench introspect

# `autogen diff` of two large databases beside one pg_dump; figures go to
# docs/PERFORMANCE.md.
bench-databases:
    scripts/install-postgres 16
    cargo bench -p autogen-cli --bench databases

# Reading 1,000, 5,000 and 20,000 tables on default lock settings beside
# pg_dump, and one schema of 500; figures go to docs/PERFORMANCE.md.
bench-scale:
    scripts/install-postgres 16
    cargo bench -p autogen-cli --bench scale
