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
    let folder = initialised_project("online", "validated");
    declare(&folder, BASE);
    ok(&folder, &["revision", "-m", "base"]);
    ok(&folder, &["upgrade", "--database-url", url]);
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
