//! `autogen inspect --from SOURCE`: the same schema prints the same text
//! whether it comes from a database, from the SQL files that built it, or
//! from migrations replayed in memory; bad SQL is reported with
//! file:line:col and prints nothing.

mod common;

use common::*;

#[test]
fn a_schema_file_and_the_database_it_built_print_byte_identical_sql() {
    let fixtures = workspace().join("fixtures/schemas");
    let mut paths: Vec<_> =
        std::fs::read_dir(&fixtures).unwrap().map(|entry| entry.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let database = autogen_pgtemp::fresh_database().unwrap();
        if text.contains("EXTENSION IF NOT EXISTS vector") && !has_pgvector(&database) {
            continue;
        }
        database.load_file(&path).unwrap();
        // A view's query is text PostgreSQL rewrites: a file gives it as
        // written (normalised), a database as PostgreSQL prints it; with
        // no database to ask, `inspect --from file` prints the written
        // text. Those fixtures compare as JSON with the queries left out
        // (the proof with the texts settled is parse_matches_catalog).
        let rewrites = text.contains("CREATE VIEW") || text.contains("MATERIALIZED VIEW");
        let formats: &[&str] = if rewrites { &["json"] } else { &["sql", "json"] };
        for &format in formats {
            let from_file = run(&["inspect", "--from", path.to_str().unwrap(), "--format", format]);
            assert!(from_file.status.success(), "{}: {}", path.display(), stderr(&from_file));
            let from_database = run(&["inspect", "--from", database.url(), "--format", format]);
            assert!(from_database.status.success(), "{}", stderr(&from_database));
            // The texts differ only in the extension versions a database
            // knows (JSON compared as values, both printed the same way).
            let (file_text, database_text) = if format == "json" {
                let strip = |json: &str| without_queries(&without_versions(json));
                (strip(&stdout(&from_file)), strip(&stdout(&from_database)))
            } else {
                (stdout(&from_file), sql_without_versions(&stdout(&from_database)))
            };
            assert_same_text(
                &format!("--from {} ({format})", path.display()),
                &file_text,
                "--from the database",
                &database_text,
            );
        }
    }
}

#[test]
fn migrations_replayed_print_what_the_database_that_ran_them_holds() {
    let case = workspace().join("fixtures/replay/01_blog_evolution");
    let database = autogen_pgtemp::fresh_database().unwrap();
    let mut scripts: Vec<_> =
        std::fs::read_dir(&case).unwrap().map(|entry| entry.unwrap().path()).collect();
    scripts.sort();
    for script in &scripts {
        database.load_file(script).unwrap();
    }
    let replayed = run(&["inspect", "--from", &format!("migrations:{}", case.display())]);
    assert!(replayed.status.success(), "{}", stderr(&replayed));
    let introspected = run(&["inspect", "--database-url", database.url()]);
    assert_same_text(
        "migrations replayed",
        &stdout(&replayed),
        "the database",
        &stdout(&introspected),
    );
}

#[test]
fn a_folder_of_files_is_read_in_path_order() {
    let folder =
        std::env::temp_dir().join(format!("autogen-inspect-folder-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("b")).unwrap();
    std::fs::write(folder.join("a_types.sql"), "CREATE TYPE mood AS ENUM ('ok', 'meh');\n")
        .unwrap();
    std::fs::write(
        folder.join("b/tables.sql"),
        "CREATE TABLE people (id int PRIMARY KEY, m mood DEFAULT 'ok');\n",
    )
    .unwrap();
    let output = run(&["inspect", "--from", folder.to_str().unwrap()]);
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("CREATE TYPE public.mood AS ENUM ('ok', 'meh');"), "{text}");
    assert!(text.contains("m public.mood DEFAULT 'ok'::mood"), "{text}");
    assert!(text.contains("CONSTRAINT people_pkey PRIMARY KEY (id)"), "{text}");
}

#[test]
fn bad_sql_names_the_place_and_prints_nothing() {
    let file = std::env::temp_dir().join(format!("autogen-inspect-bad-{}.sql", std::process::id()));
    std::fs::write(
        &file,
        "CREATE TABLE users (id int PRIMARY KEY);\nCREATE RULE r AS ON INSERT TO users DO INSTEAD NOTHING;\n\nALTER TABLE users\n  DROP COLUMN email;\nCREATE TABLE t (\n  a int,\n  b int oops\n);\n",
    )
    .unwrap();
    let name = file.display().to_string();
    let output = run(&["inspect", "--from", &name]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "nothing is printed");
    let errors = stderr(&output);
    assert!(
        errors.contains(&format!("{name}:2:1: warning: autogen does not model rules yet")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!(
            "{name}:4:1: error: column `email` does not exist in `public.users`"
        )),
        "{errors}"
    );
    assert!(errors.contains(&format!("{name}:8:9: error: ")), "{errors}");

    // Without the errors, the warning alone passes — unless --strict.
    std::fs::write(
        &file,
        "CREATE TABLE users (id int);\nCREATE RULE r AS ON INSERT TO users DO INSTEAD NOTHING;\n",
    )
    .unwrap();
    let lenient = run(&["inspect", "--from", &name]);
    assert!(lenient.status.success(), "{}", stderr(&lenient));
    let strict = run(&["inspect", "--from", &name, "--strict"]);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(strict.status.code(), Some(2));
    assert!(
        stderr(&strict).contains(&format!("{name}:2:1: error: autogen does not model rules yet")),
        "{}",
        stderr(&strict)
    );
}

/// `CREATE EXTENSION … VERSION '…';` without its version.
fn sql_without_versions(sql: &str) -> String {
    let mut text = String::new();
    for line in sql.lines() {
        match line.split_once(" VERSION '") {
            Some((head, _)) if line.starts_with("CREATE EXTENSION ") => {
                text.push_str(head);
                text.push(';');
            }
            _ => text.push_str(line),
        }
        text.push('\n');
    }
    text
}

/// `json` without the queries of views and materialized views.
fn without_queries(json: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    for kind in ["views", "materialized_views"] {
        if let Some(views) = value.get_mut(kind).and_then(|value| value.as_array_mut()) {
            for view in views {
                view.as_object_mut().unwrap().remove("query");
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    text
}

fn without_versions(json: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    if let Some(extensions) = value.get_mut("extensions").and_then(|value| value.as_array_mut()) {
        for extension in extensions {
            extension.as_object_mut().unwrap().remove("version");
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    text
}
