//! Rust models as the declared schema, read by the built binary without
//! compiling them: diff, revision and check on `models = [...]`; renames
//! from `renamed_from`; mistakes reported at file:line:col.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn project(name: &str, models: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("autogen-models-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(folder.join("src/models")).unwrap();
    std::fs::create_dir_all(folder.join("migrations")).unwrap();
    std::fs::write(folder.join("autogen.toml"), "models = [\"src/models/\"]\n").unwrap();
    write_models(&folder, models);
    folder
}

fn write_models(folder: &Path, models: &str) {
    std::fs::write(folder.join("src/models/mod.rs"), models).unwrap();
}

const BLOG: &str = r#"use autogen::{Model, PgEnum};

/// Who writes.
#[derive(Model)]
pub struct User {
    #[autogen(primary_key, identity)]
    pub id: i64,
    #[autogen(unique)]
    pub email: String,
    pub mail_name: Option<String>,
}

#[derive(PgEnum)]
pub enum PostStatus {
    Draft,
    Published,
}

#[derive(Model)]
pub struct Post {
    #[autogen(primary_key, identity)]
    pub id: i64,
    #[autogen(references = "users.id", on_delete = "cascade", index)]
    pub author_id: i64,
    #[autogen(default = "'draft'")]
    pub status: PostStatus,
    #[autogen(skip)]
    pub cached_html: String,
}
"#;

#[test]
fn models_are_a_declared_schema() {
    let folder = project("blog", BLOG);
    let diff = run_in(&folder, &["diff", "--format", "summary"]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert_eq!(
        stdout(&diff),
        "create type public.post_status\ncreate table public.posts\ncreate table public.users\ncreate index public.posts_author_id_idx\nadd foreign key posts_author_id_fkey on public.posts\ncomment on table public.users\n6 steps\n"
    );
    let written = run_in(&folder, &["revision", "-m", "blog"]);
    assert!(written.status.success(), "{}", stderr(&written));
    assert_eq!(run_in(&folder, &["check"]).status.code(), Some(0));
    let inspect = stdout(&run_in(&folder, &["inspect"]));
    assert!(inspect.contains("COMMENT ON TABLE public.users IS 'Who writes.';"), "{inspect}");
    assert!(!inspect.contains("cached_html"), "{inspect}");

    // A renamed field with its hint: RENAME COLUMN.
    write_models(
        &folder,
        &BLOG.replace(
            "    pub mail_name: Option<String>,",
            "    #[autogen(renamed_from = \"mail_name\")]\n    pub display_name: Option<String>,",
        ),
    );
    let renamed = run_in(&folder, &["diff"]);
    assert_eq!(
        stdout(&renamed),
        "ALTER TABLE public.users RENAME COLUMN mail_name TO display_name;\n",
        "{}",
        stderr(&renamed)
    );
    // Without it: a drop and an add, and the warning that names the hint.
    write_models(&folder, &BLOG.replace("mail_name", "display_name"));
    let unhinted = run_in(&folder, &["diff", "--format", "summary"]);
    assert!(
        stdout(&unhinted).contains("drop column public.users.mail_name"),
        "{}",
        stdout(&unhinted)
    );
    assert!(
        stderr(&unhinted).contains("#[autogen(renamed_from = \"mail_name\")] on the model's field"),
        "{}",
        stderr(&unhinted)
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn mistakes_in_models_name_file_line_and_column() {
    let cases = [
        (
            "    #[autogen(primary_kye)]\n    pub id: i64,",
            "6:15",
            "unknown field attribute `primary_kye`; the field attributes are name, sql_type",
        ),
        (
            "    #[autogen(primary_key)]\n    pub id: Option<pgvector::Vector>,",
            "7:13",
            "a primary key column cannot be NULL",
        ),
        (
            "    #[autogen(primary_key)]\n    pub id: pgvector::Vector,",
            "7:13",
            "a Vector column needs its dimension: #[autogen(dimension = 1536)], or autogen::Vector<1536>",
        ),
        (
            "    #[autogen(primary_key, identity, default = \"1\")]\n    pub id: i64,",
            "6:38",
            "`default` conflicts with `identity`",
        ),
        (
            "    #[autogen(primary_key, references = \"people.id\")]\n    pub id: i64,",
            "7:9",
            "references = \"people.id\": no model has the table `people` (the models' tables: public.users)",
        ),
        (
            "    #[autogen(primary_key, references = \"users.uid\")]\n    pub id: i64,",
            "7:9",
            "references = \"users.uid\": `User` has no column `uid` (its columns: id)",
        ),
        (
            "    #[autogen(primary_key)]\n    pub id: std::time::Instant,",
            "7:9",
            "`id`: autogen cannot map the type `std::time::Instant` to a column type",
        ),
        (
            "    #[autogen(primary_key, check = \"id >\")]\n    pub id: i64,",
            "6:36",
            "`id >` is not an SQL expression: ",
        ),
    ];
    for (index, (field, place, expected)) in cases.iter().enumerate() {
        let source = format!("use autogen::Model;\n\n#[derive(Model)]\n#[autogen(table = \"users\")]\npub struct User {{\n{field}\n}}\n");
        let folder = project(&format!("mistake-{index}"), &source);
        let output = run_in(&folder, &["diff"]);
        assert_eq!(output.status.code(), Some(2), "{source}");
        let error = stderr(&output);
        // As rustc shows it: the message, where, the line and a caret.
        assert!(
            error.starts_with(&format!("error: {expected}")),
            "expected {expected}\n got {error}\nfor\n{source}"
        );
        let line_number = place.split(':').next().unwrap();
        let line = source.lines().nth(line_number.parse::<usize>().unwrap() - 1).unwrap();
        assert!(
            error.contains(&format!(
                " --> src/models/mod.rs:{place}\n  |\n{line_number} | {line}\n"
            )),
            "{error}"
        );
        assert!(error.contains("nothing was read"), "{error}");
        assert_eq!(stdout(&output), "");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

#[test]
fn domains_and_composite_types_come_from_any_model_file() {
    let film = "use autogen::Model;\n\n#[derive(Model)]\npub struct Film {\n    #[autogen(primary_key)]\n    pub id: i32,\n    pub release_year: Option<Year>,\n    pub cast: Vec<Credit>,\n}\n";
    let types = "use autogen::{PgComposite, PgDomain};\n\n/// Years a film can have.\n#[derive(PgDomain)]\n#[autogen(check = \"VALUE >= 1888\")]\npub struct Year(i32);\n\n#[derive(PgComposite)]\npub struct Credit {\n    pub name: String,\n    pub since: Year,\n}\n";
    let folder = project("types", film);
    std::fs::write(folder.join("src/models/types.rs"), types).unwrap();
    let diff = run_in(&folder, &["diff", "--format", "summary"]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert_eq!(
        stdout(&diff),
        "create domain public.year\ncreate type public.credit\ncreate table public.films\ncomment on type public.year\n4 steps\n"
    );
    // The migration written from them replays to the models' schema.
    let written = run_in(&folder, &["revision", "-m", "films"]);
    assert!(written.status.success(), "{}", stderr(&written));
    assert_eq!(run_in(&folder, &["check"]).status.code(), Some(0));

    // A mistake in the types' file, where it is.
    std::fs::write(folder.join("src/models/types.rs"), types.replace("check =", "chek =")).unwrap();
    let output = run_in(&folder, &["diff"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.starts_with("error: unknown domain attribute `chek`"), "{error}");
    assert!(error.contains(" --> src/models/types.rs:5:11\n"), "{error}");
    std::fs::remove_dir_all(&folder).unwrap();
}
