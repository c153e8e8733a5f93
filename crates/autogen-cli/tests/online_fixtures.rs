//! Every case of `fixtures/online/` (`from.sql`, `to.sql`, `rows.sql`,
//! `expected.txt`): the revision `--online` writes from one to the other
//! is the migrations `expected.txt` names, in order; replayed, they give
//! the declared schema; on PostgreSQL, with the rows of `rows.sql` in the
//! tables, they apply, give it (a second diff is empty), go back down to
//! `from.sql`'s schema, and apply again.

mod common;

use common::*;

/// The names of the up files after their versions, in order.
fn migrations(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".up.sql"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| name.split_once('_').unwrap().1.trim_end_matches(".up.sql").to_owned())
        .collect()
}

fn converges(case: &std::path::Path) {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let read = |file: &str| std::fs::read_to_string(case.join(file)).unwrap();
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = initialised_project("online-fixtures", &name);
    declare(&folder, &read("from.sql"));
    ok(&folder, &["revision", "-m", "from"]);
    ok(&folder, &["upgrade", "--database-url", url]);
    if case.join("rows.sql").exists() {
        database.execute(&read("rows.sql")).unwrap();
    }
    declare(&folder, &read("to.sql"));
    ok(&folder, &["revision", "-m", "to", "--online", "--allow-data-loss"]);
    let written = migrations(&folder);
    let expected: Vec<String> = read("expected.txt").lines().map(str::to_owned).collect();
    assert_eq!(written[1..], expected[..], "{name}: the migrations written");

    assert!(ok(&folder, &["check"]).starts_with("ok:"), "{name}: replayed");
    ok(&folder, &["upgrade", "--database-url", url]);
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"), "{name}: applied");
    let second = run_in(&folder, &["diff", "--database-url", url, "--exit-code"]);
    assert!(second.status.success(), "{name}: a second diff\n{}", stdout(&second));

    let back = format!("-{}", expected.len());
    ok(&folder, &["downgrade", &back, "--database-url", url]);
    declare(&folder, &read("from.sql"));
    let down = run_in(&folder, &["diff", "--database-url", url, "--exit-code"]);
    assert!(down.status.success(), "{name}: down gives from.sql\n{}", stdout(&down));

    declare(&folder, &read("to.sql"));
    ok(&folder, &["upgrade", "--database-url", url]);
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"), "{name}: again");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn every_online_case_converges_up_and_down_with_rows() {
    let root = workspace().join("fixtures/online");
    let mut cases: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "the online cases: {cases:?}");
    for case in &cases {
        converges(case);
    }
}
