//! `autogen diff` as a user meets it: its help, the SQL, JSON and summary
//! forms, `--down`, `--exit-code`, a live database as a source, and errors
//! (exit 2, file:line:col, nothing printed).

mod common;

use common::*;

fn case(name: &str, side: &str) -> String {
    workspace().join("fixtures/diff").join(name).join(side).display().to_string()
}

#[test]
fn help_is_stable() {
    insta::with_settings!({
        snapshot_path => workspace().join("snapshots/cli"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("autogen_diff_help", stdout(&run(&["diff", "--help"])));
    });
}

#[test]
fn sql_summary_json_and_down() {
    let (from, to) = (case("drop_column", "from.sql"), case("drop_column", "to.sql"));
    let sql = run(&["diff", "--from", &from, "--to", &to]);
    assert!(sql.status.success(), "{}", stderr(&sql));
    assert_eq!(
        stdout(&sql),
        "DROP INDEX public.items_legacy_code_idx;\n\n\
         -- hazard: data-loss\nALTER TABLE public.items DROP COLUMN legacy_code;\n"
    );

    let summary = run(&["diff", "--from", &from, "--to", &to, "--format", "summary"]);
    assert_eq!(
        stdout(&summary),
        "drop index public.items_legacy_code_idx\n\
         drop column public.items.legacy_code [data-loss]\n2 steps\n"
    );

    let down = run(&["diff", "--from", &from, "--to", &to, "--down"]);
    assert!(stdout(&down).starts_with("ALTER TABLE public.items ADD COLUMN legacy_code text;"));

    let json = run(&["diff", "--from", &from, "--to", &to, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["hazards"], serde_json::json!(["data-loss"]));
    assert_eq!(value["steps"][1]["operation"], "drop column public.items.legacy_code");
    assert_eq!(
        value["steps"][1]["sql"],
        serde_json::json!(["ALTER TABLE public.items DROP COLUMN legacy_code;"])
    );
}

#[test]
fn exit_code_says_whether_there_is_something_to_do() {
    let (from, to) = (case("add_table", "from.sql"), case("add_table", "to.sql"));
    let changed = run(&["diff", "--from", &from, "--to", &to, "--exit-code"]);
    assert_eq!(changed.status.code(), Some(1));
    let same = run(&["diff", "--from", &to, "--to", &to, "--exit-code", "--format", "summary"]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(stdout(&same), "nothing to do\n");
    let without = run(&["diff", "--from", &from, "--to", &to]);
    assert_eq!(without.status.code(), Some(0), "without --exit-code a diff is success");
}

#[test]
fn two_databases_give_their_diff_and_each_its_report_from_first() {
    let from = autogen_pgtemp::fresh_database().unwrap();
    let to = autogen_pgtemp::fresh_database().unwrap();
    let foreign =
        "CREATE FOREIGN DATA WRAPPER nowhere; CREATE SERVER nowhere FOREIGN DATA WRAPPER nowhere;";
    from.load_sql(&format!(
        "{foreign} CREATE FOREIGN TABLE a (x int) SERVER nowhere; CREATE TABLE t (id int);"
    ))
    .unwrap();
    to.load_sql(&format!(
        "{foreign} CREATE FOREIGN TABLE a (x int) SERVER nowhere; CREATE FOREIGN TABLE b (x int) SERVER nowhere;
         CREATE TABLE t (id int, name text);"
    ))
    .unwrap();
    let output = run(&["diff", "--from", from.url(), "--to", to.url(), "--format", "summary"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "add column public.t.name\n1 step\n");
    // What each reports, --from's first.
    assert_eq!(
        stderr(&output),
        "warning: 1 object autogen does not model yet is left out: 1 foreign table (-v lists them)\n\
         warning: 2 objects autogen does not model yet are left out: 2 foreign tables (-v lists them)\n"
    );
}

#[test]
fn a_database_is_a_source() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let from = case("enum_value_added_in_the_middle", "from.sql");
    database.load_file(std::path::Path::new(&from)).unwrap();
    let to = case("enum_value_added_in_the_middle", "to.sql");
    let output = run(&["diff", "--from", database.url(), "--to", &to]);
    assert!(output.status.success(), "{}", stderr(&output));
    database.load_sql(&stdout(&output)).unwrap();
    let again = run(&["diff", "--from", database.url(), "--to", &to, "--exit-code"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn unreadable_sql_is_an_error_with_its_place() {
    let directory = std::env::temp_dir().join(format!("autogen-diff-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let broken = directory.join("broken.sql");
    std::fs::write(&broken, "CREATE TABLE a (id int);\nCREATE TABLE b (id int,, x);\n").unwrap();
    let to = case("add_table", "to.sql");
    let output = run(&["diff", "--from", &broken.display().to_string(), "--to", &to]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "", "nothing half-printed");
    let message = stderr(&output);
    assert!(message.contains("broken.sql:2:"), "{message}");
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn hints_make_renames_and_their_absence_is_warned_about() {
    let name = "rename_column_hinted";
    let (from, to) = (case(name, "from.sql"), case(name, "to.sql"));
    let unhinted = run(&["diff", "--from", &from, "--to", &to, "--format", "summary"]);
    assert!(
        stderr(&unhinted)
            .contains(r#"warning: column public.users.mail is dropped and email added"#),
        "{}",
        stderr(&unhinted)
    );
    assert!(stdout(&unhinted).contains("drop column public.users.mail [data-loss]"));

    let hints = case(name, "hints.toml");
    let hinted =
        run(&["diff", "--from", &from, "--to", &to, "--hints", &hints, "--format", "summary"]);
    assert_eq!(stderr(&hinted), "");
    assert_eq!(stdout(&hinted), "rename column public.users.mail to email\n1 step\n");
    let down = run(&["diff", "--from", &from, "--to", &to, "--hints", &hints, "--down"]);
    assert_eq!(stdout(&down), "ALTER TABLE public.users RENAME COLUMN email TO mail;\n");
}
