//! `revision --online` (or `online = true`): a foreign key or check added
//! to a table that exists is written `NOT VALID` in one migration — no
//! scan while writes wait — and validated in the next, a transaction of
//! its own (`VALIDATE CONSTRAINT` scans without blocking writes). The two
//! give the declared schema replayed and on PostgreSQL, with rows, and go
//! back down.

mod common;

use common::*;

const BASE: &str = "CREATE TABLE users (id integer PRIMARY KEY);
CREATE TABLE posts (id integer PRIMARY KEY, author integer);";

const KEYED: &str = "CREATE TABLE users (id integer PRIMARY KEY);
CREATE TABLE posts (id integer PRIMARY KEY, author integer REFERENCES users (id),
    CONSTRAINT positive CHECK (id > 0));
CREATE TABLE likes (post integer REFERENCES posts (id), CHECK (post > 0));";

fn files(folder: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn keys_added_to_tables_with_rows_are_validated_in_a_migration_of_their_own() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = applied_project("online", "validated", BASE, url);
    database.execute("INSERT INTO users VALUES (1); INSERT INTO posts VALUES (10, 1)").unwrap();

    declare(&folder, KEYED);
    ok(&folder, &["revision", "-m", "keys", "--online"]);
    let files = files(&folder);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.split_once('_').unwrap().1).collect();
    assert_eq!(
        names,
        [
            "base.down.sql",
            "base.up.sql",
            "keys.down.sql",
            "keys.up.sql",
            "keys_validate_constraints.down.sql",
            "keys_validate_constraints.up.sql"
        ]
    );
    let up = &files[3].1;
    assert!(up.contains("ADD CONSTRAINT posts_author_fkey FOREIGN KEY (author) REFERENCES public.users (id) NOT VALID;"), "{up}");
    assert!(up.contains("ADD CONSTRAINT positive CHECK ((id > 0)) NOT VALID;"), "{up}");
    // A new table has no rows: its keys are added as they are.
    assert!(
        !up.contains("likes_post_fkey FOREIGN KEY (post) REFERENCES public.posts (id) NOT VALID"),
        "{up}"
    );
    let validate = &files[5].1;
    assert!(
        validate.contains("ALTER TABLE public.posts VALIDATE CONSTRAINT posts_author_fkey;"),
        "{validate}"
    );
    assert!(
        validate.contains("ALTER TABLE public.posts VALIDATE CONSTRAINT positive;"),
        "{validate}"
    );
    assert!(validate.contains("\n-- parent: "), "{validate}");

    // Replayed, they give the declared schema; applied, too.
    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    let upgraded = ok(&folder, &["upgrade", "--database-url", url]);
    assert_eq!(upgraded.matches("applied ").count(), 2, "{upgraded}");
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    let validated = database
        .execute("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'posts'::regclass AND contype IN ('c', 'f')")
        .unwrap();
    assert_eq!(validated.trim(), "positive:true,posts_author_fkey:true");

    // And back.
    ok(&folder, &["downgrade", "-2", "--database-url", url]);
    let left = database
        .execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'posts'::regclass AND contype IN ('c', 'f')")
        .unwrap();
    assert_eq!(left.trim(), "0");
    assert_eq!(database.execute("SELECT count(*) FROM posts").unwrap().trim(), "1");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn without_online_they_are_added_validated() {
    let folder = initialised_project("online", "plain");
    declare(&folder, BASE);
    ok(&folder, &["revision", "-m", "base"]);
    declare(&folder, KEYED);
    ok(&folder, &["revision", "-m", "keys"]);
    let files = files(&folder);
    assert_eq!(files.len(), 4);
    assert!(!files[3].1.contains("NOT VALID"), "{}", files[3].1);
    // online = true in the settings does what --online does.
    let settings = folder.join("autogen.toml");
    let text =
        std::fs::read_to_string(&settings).unwrap().replace("online = false", "online = true");
    std::fs::write(&settings, text).unwrap();
    for (name, _) in &files[2..] {
        std::fs::remove_file(folder.join("migrations").join(name)).unwrap();
    }
    ok(&folder, &["revision", "-m", "keys"]);
    assert_eq!(self::files(&folder).len(), 6);
    std::fs::remove_dir_all(&folder).unwrap();
}

const INDEXED: &str = "CREATE TABLE users (id integer PRIMARY KEY, email text, name text);
CREATE INDEX users_name ON users (name);
CREATE INDEX users_email ON users (email);
CREATE TABLE posts (id integer PRIMARY KEY, author integer, title text);
CREATE INDEX posts_author ON posts (author);";

const REINDEXED: &str =
    "CREATE TABLE users (id integer PRIMARY KEY, email text, name text NOT NULL,
    nickname text NOT NULL);
CREATE INDEX users_email ON users (lower(email));
CREATE INDEX users_id_name ON users (id, name);
CREATE TABLE posts (id integer PRIMARY KEY, author integer, title text);";

/// The migrations' names after their version, in order.
fn names(files: &[(String, String)]) -> Vec<&str> {
    files
        .iter()
        .filter(|(name, _)| name.ends_with(".up.sql"))
        .map(|(name, _)| name.split_once('_').unwrap().1.trim_end_matches(".up.sql"))
        .collect()
}

/// The up file whose name ends with `suffix`.
fn up<'f>(files: &'f [(String, String)], suffix: &str) -> &'f str {
    let name = format!("{suffix}.up.sql");
    &files.iter().find(|(file, _)| file.ends_with(&name)).unwrap().1
}

fn down<'f>(files: &'f [(String, String)], suffix: &str) -> &'f str {
    let name = format!("{suffix}.down.sql");
    &files.iter().find(|(file, _)| file.ends_with(&name)).unwrap().1
}

#[test]
fn indexes_are_built_and_dropped_concurrently_and_not_null_set_through_a_check() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = applied_project("online", "indexes", INDEXED, url);
    database
        .execute(
            "INSERT INTO users SELECT n, 'u' || n || '@example.com', 'user ' || n FROM generate_series(1, 1000) n;
             INSERT INTO posts SELECT n, n, 'post' FROM generate_series(1, 1000) n",
        )
        .unwrap();

    declare(&folder, REINDEXED);
    let said = run_in(&folder, &["revision", "-m", "change", "--online"]);
    assert!(said.status.success(), "{}", stderr(&said));
    assert!(
        stderr(&said)
            .contains("write the backfill where the migration says `-- autogen: backfill`"),
        "{}",
        stderr(&said)
    );
    let files = files(&folder);
    assert_eq!(
        names(&files),
        [
            "base",
            "change_drop_index_posts_author_concurrently",
            "change_drop_index_users_name_concurrently",
            "change",
            "change_build_index_users_id_name_concurrently",
            "change_build_index_users_email_autogen_new_concurrently",
            "change_drop_index_users_email_concurrently",
            "change_index_users_email_swapped_in",
            "change_validate_constraints",
            "change_set_not_null",
        ]
    );
    // A concurrent step: a file of its own, one statement, outside a
    // transaction, both ways; no blocking-lock hazard.
    let build = up(&files, "change_build_index_users_id_name_concurrently");
    assert!(
        build
            .starts_with("-- no-transaction\n-- change (build index users_id_name concurrently)\n"),
        "{build}"
    );
    assert!(build.contains("\n-- hazards: none\n"), "{build}");
    assert!(!build.contains("SET LOCAL"), "{build}");
    assert!(
        build.ends_with(
            "\nCREATE INDEX CONCURRENTLY users_id_name ON public.users USING btree (id, name);\n"
        ),
        "{build}"
    );
    let unbuild = down(&files, "change_build_index_users_id_name_concurrently");
    assert!(unbuild.starts_with("-- no-transaction\n"), "{unbuild}");
    assert!(unbuild.ends_with("\nDROP INDEX CONCURRENTLY public.users_id_name;\n"), "{unbuild}");
    assert!(up(&files, "change_drop_index_posts_author_concurrently")
        .ends_with("\nDROP INDEX CONCURRENTLY public.posts_author;\n"));
    // A changed index: the new one beside the old, the old dropped, the
    // new one renamed.
    assert!(up(&files, "change_build_index_users_email_autogen_new_concurrently").ends_with(
        "\nCREATE INDEX CONCURRENTLY users_email_autogen_new ON public.users USING btree (lower(email));\n"
    ));
    assert!(up(&files, "change_drop_index_users_email_concurrently")
        .ends_with("\nDROP INDEX CONCURRENTLY public.users_email;\n"));
    assert!(up(&files, "change_index_users_email_swapped_in")
        .ends_with("\nALTER INDEX public.users_email_autogen_new RENAME TO users_email;\n"));
    // NOT NULL: a check NOT VALID first (a new column added nullable,
    // with a place for its backfill), validated, then SET NOT NULL (no
    // scan: the check proves it) and the check dropped.
    let change = up(&files, "change");
    assert!(change.contains("ALTER TABLE public.users ADD COLUMN nickname text;\n"), "{change}");
    assert!(
        change.contains(
            "ADD CONSTRAINT users_name_autogen_not_null CHECK ((name IS NOT NULL)) NOT VALID;"
        ),
        "{change}"
    );
    assert!(change.contains("ADD CONSTRAINT users_nickname_autogen_not_null CHECK ((nickname IS NOT NULL)) NOT VALID;"), "{change}");
    assert!(!change.contains("SET NOT NULL"), "{change}");
    assert!(change.ends_with("-- autogen: backfill public.users.nickname here: the rows the table has need a value before the validation that follows, e.g.\n-- UPDATE public.users SET nickname = … WHERE nickname IS NULL;\n"), "{change}");
    let validate = up(&files, "change_validate_constraints");
    assert!(validate.contains("VALIDATE CONSTRAINT users_name_autogen_not_null;"), "{validate}");
    let set = up(&files, "change_set_not_null");
    assert!(set.contains("\n-- hazards: none\n"), "{set}");
    let set_at = set.find("ALTER COLUMN nickname SET NOT NULL;").unwrap();
    let drop_at = set.find("DROP CONSTRAINT users_nickname_autogen_not_null;").unwrap();
    assert!(set_at < drop_at, "{set}");

    // Replayed, the migrations give the declared schema.
    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    // The backfill written where the migration says, they apply, and give
    // it on PostgreSQL, every index valid.
    let change_path = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with("_change.up.sql"))
        .unwrap();
    let text = std::fs::read_to_string(&change_path).unwrap();
    std::fs::write(&change_path, format!("{text}UPDATE public.users SET nickname = name;\n"))
        .unwrap();
    let upgraded = ok(&folder, &["upgrade", "--database-url", url]);
    assert_eq!(upgraded.matches("applied ").count(), 9, "{upgraded}");
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    let state = database
        .execute(
            "SELECT (SELECT string_agg(indexrelid::regclass || ':' || indisvalid, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'users'::regclass)
             || ' ' || (SELECT count(*) FROM pg_constraint WHERE conname LIKE '%autogen%')
             || ' ' || (SELECT string_agg(attname || ':' || attnotnull, ',' ORDER BY attname) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0)",
        )
        .unwrap();
    assert_eq!(
        state.trim(),
        "users_email:true,users_id_name:true,users_pkey:true 0 email:false,id:true,name:true,nickname:true"
    );
    // And all the way back, the rows kept.
    ok(&folder, &["downgrade", "-9", "--database-url", url]);
    let back = database
        .execute(
            "SELECT (SELECT string_agg(pg_get_indexdef(indexrelid), '; ' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid IN ('users'::regclass, 'posts'::regclass))
             || ' ' || (SELECT count(*) FROM users)",
        )
        .unwrap();
    assert_eq!(
        back.trim(),
        "CREATE INDEX posts_author ON public.posts USING btree (author); CREATE UNIQUE INDEX posts_pkey ON public.posts USING btree (id); CREATE INDEX users_email ON public.users USING btree (email); CREATE INDEX users_name ON public.users USING btree (name); CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id) 1000"
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn diff_online_shows_the_migrations_revision_would_write() {
    let from = declared_file("online-diff-from", INDEXED);
    let to = declared_file("online-diff-to", REINDEXED);
    let sql = ok(std::path::Path::new("."), &["diff", "--from", &from, "--to", &to, "--online"]);
    let titles: Vec<&str> = sql.lines().filter(|line| line.starts_with("-- migration ")).collect();
    assert_eq!(
        titles,
        [
            "-- migration 1 of 9: drop index posts_author concurrently, outside a transaction",
            "-- migration 2 of 9: drop index users_name concurrently, outside a transaction",
            "-- migration 3 of 9: the changes",
            "-- migration 4 of 9: build index users_id_name concurrently, outside a transaction",
            "-- migration 5 of 9: build index users_email_autogen_new concurrently, outside a transaction",
            "-- migration 6 of 9: drop index users_email concurrently, outside a transaction",
            "-- migration 7 of 9: index users_email swapped in",
            "-- migration 8 of 9: validate constraints",
            "-- migration 9 of 9: set not null",
        ]
    );
    assert!(
        sql.contains(
            "\nCREATE INDEX CONCURRENTLY users_id_name ON public.users USING btree (id, name);\n"
        ),
        "{sql}"
    );
    assert!(sql.contains("\n-- autogen: backfill public.users.nickname here"), "{sql}");
    let json = ok(
        std::path::Path::new("."),
        &["diff", "--from", &from, "--to", &to, "--online", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let migrations = json["migrations"].as_array().unwrap();
    assert_eq!(migrations.len(), 9);
    assert_eq!(migrations[0]["no_transaction"], true);
    assert_eq!(migrations[2]["migration"], "the changes");
    assert_eq!(migrations[2]["no_transaction"], false);
    // Without --online: one plan, the blocking forms.
    let plain = ok(std::path::Path::new("."), &["diff", "--from", &from, "--to", &to]);
    assert!(!plain.contains("CONCURRENTLY"), "{plain}");
    assert!(plain.contains("ALTER TABLE public.users ALTER COLUMN name SET NOT NULL;"), "{plain}");
}

#[test]
fn keys_are_made_from_unique_indexes_built_concurrently() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder =
        applied_project("online", "keys", "CREATE TABLE users (id integer, email text);", url);
    database
        .execute("INSERT INTO users SELECT n, 'u' || n || '@example.com' FROM generate_series(1, 1000) n")
        .unwrap();
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, email text UNIQUE);");
    ok(&folder, &["revision", "-m", "keys", "--online"]);
    let files = files(&folder);
    assert_eq!(
        names(&files),
        [
            "base",
            "keys",
            "keys_build_index_users_email_key_concurrently",
            "keys_build_index_users_pkey_concurrently",
            "keys_validate_constraints",
            "keys_set_not_null",
            "keys_keys_from_their_indexes",
        ]
    );
    assert!(up(&files, "keys_build_index_users_pkey_concurrently").ends_with(
        "\nCREATE UNIQUE INDEX CONCURRENTLY users_pkey ON public.users USING btree (id);\n"
    ));
    let keys = up(&files, "keys_keys_from_their_indexes");
    assert!(keys.contains("\n-- hazards: none\n"), "{keys}");
    assert!(keys.contains("ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;\n"), "{keys}");
    assert!(keys.contains("ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n"), "{keys}");

    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    ok(&folder, &["upgrade", "--database-url", url]);
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    let keys = database
        .execute("SELECT string_agg(conname || ':' || contype::text, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'users'::regclass")
        .unwrap();
    assert_eq!(keys.trim(), "users_email_key:u,users_pkey:p");
    ok(&folder, &["downgrade", "-6", "--database-url", url]);
    let left = database
        .execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'users'::regclass")
        .unwrap();
    assert_eq!(left.trim(), "0");
    std::fs::remove_dir_all(&folder).unwrap();
}

const MEASURES: &str = "CREATE TABLE m (id int, at date, v text) PARTITION BY RANGE (at);
CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');";

#[test]
fn a_partitioned_tables_index_is_built_on_each_partition_then_over_them() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = applied_project("online", "partitioned", MEASURES, url);
    database
        .execute("INSERT INTO m SELECT n, date '2024-01-01' + n % 700, 'v' || n FROM generate_series(1, 2000) n")
        .unwrap();
    declare(&folder, &format!("{MEASURES}\nCREATE INDEX m_v ON m (v);"));
    ok(&folder, &["revision", "-m", "index", "--online"]);
    let files = files(&folder);
    assert_eq!(
        names(&files),
        [
            "base",
            "index_build_index_m_2024_v_idx_concurrently",
            "index_build_index_m_2025_v_idx_concurrently",
            "index_index_m_v_on_the_partitions_own",
        ]
    );
    assert!(up(&files, "index_build_index_m_2024_v_idx_concurrently")
        .ends_with("\nCREATE INDEX CONCURRENTLY m_2024_v_idx ON public.m_2024 USING btree (v);\n"));
    let attach = up(&files, "index_index_m_v_on_the_partitions_own");
    assert!(attach.contains("\n-- hazards: none\n"), "{attach}");
    assert!(attach.ends_with("\nCREATE INDEX m_v ON public.m USING btree (v);\n"), "{attach}");

    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    ok(&folder, &["upgrade", "--database-url", url]);
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    // The partitions' indexes are the parent's, and were built once.
    let attached = database
        .execute("SELECT string_agg(inhrelid::regclass::text, ',' ORDER BY inhrelid::regclass::text) FROM pg_inherits WHERE inhparent = 'm_v'::regclass")
        .unwrap();
    assert_eq!(attached.trim(), "m_2024_v_idx,m_2025_v_idx");
    ok(&folder, &["downgrade", "-3", "--database-url", url]);
    let left = database
        .execute("SELECT count(*) FROM pg_index WHERE indrelid IN ('m'::regclass, 'm_2024'::regclass, 'm_2025'::regclass)")
        .unwrap();
    assert_eq!(left.trim(), "0");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn hostile_names_stay_in_their_comments_and_quotes() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let table = "CREATE TABLE \"t\nDROP TABLE x; --\" (id integer)";
    let folder = applied_project("online", "hostile", &format!("{table};"), url);
    declare(
        &folder,
        "CREATE TABLE \"t\nDROP TABLE x; --\" (id integer, \"c\n-- x\\\"\" ; DROP TABLE y\" text NOT NULL);
         CREATE INDEX \"i\nDROP TABLE z;\" ON \"t\nDROP TABLE x; --\" (id);",
    );
    ok(&folder, &["revision", "-m", "hostile", "--online"]);
    for (name, text) in files(&folder) {
        assert!(!name.contains('\n'), "{name}");
        // The header and the backfill note are comments, line by line.
        let header = text.split("\n\n").next().unwrap();
        assert!(header.lines().all(|line| line.starts_with("--")), "{name}:\n{text}");
        if let Some(at) = text.find("-- autogen: backfill") {
            let note: Vec<&str> = text[at..].lines().collect();
            assert!(note[1].starts_with("-- UPDATE "), "{name}:\n{text}");
            assert_eq!(note.len(), 2, "{name}:\n{text}");
        }
    }
    // Replayed, and applied, the files give the declared schema: the names
    // did not change what the SQL does.
    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    ok(&folder, &["upgrade", "--database-url", url]);
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    std::fs::remove_dir_all(&folder).unwrap();
}
