//! `autogen lint`: for each case of `fixtures/lint/` — a migrations folder
//! whose second migration is written by hand — the findings for that file
//! are `expected.txt` (reviewed), one per statement and hazard at its
//! line and column, and the exit status says whether there are any. One
//! case per rule (drops, a column type changed, a volatile default, an
//! index built without CONCURRENTLY, SET NOT NULL, a foreign key or check
//! validated, an enum value removed), one of the forms that hold nothing
//! back (none found), one acknowledged.

mod common;

use common::*;

#[test]
fn every_lint_case_finds_what_it_expects() {
    let folder = workspace().join("fixtures/lint");
    let mut cases: Vec<_> =
        std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 9, "{cases:?}");
    for case in cases {
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let output = autogen()
            .current_dir(&case)
            .args(["lint", "migrations/20260102000000_change.up.sql"])
            .output()
            .unwrap();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert_same_text(
            &format!("{name}/expected.txt"),
            &expected,
            "autogen lint",
            &stdout(&output),
        );
        let found = !expected.starts_with("ok:");
        assert_eq!(output.status.code(), Some(i32::from(found)), "{name}: {}", stderr(&output));
    }
}

#[test]
fn a_statement_autogen_cannot_read_is_an_error_at_its_place() {
    let folder = std::env::temp_dir().join(format!("autogen-lint-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("bad.sql"),
        "CREATE TABLE t (id int);\nALTER TABLE missing ADD COLUMN x int;\n",
    )
    .unwrap();
    let output = autogen().current_dir(&folder).args(["lint", "bad.sql"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bad.sql:2:1: autogen cannot read this statement"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
