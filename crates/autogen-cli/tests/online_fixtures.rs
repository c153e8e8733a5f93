//! Every case of `fixtures/online/` (`from.sql`, `to.sql`, `rows.sql`,
//! `expected.txt`): the revision `--online` writes from one to the other
//! is the migrations `expected.txt` names, in order; replayed, they give
//! the declared schema; on PostgreSQL, with the rows of `rows.sql` in the
//! tables, they apply, give it (a second diff is empty), go back down to
//! `from.sql`'s schema, and apply again. So does each step of the
//! corpus's histories (`../shared/corpus/history-pairs`), when it is there.

mod common;

use common::*;

/// The names of the up files after their versions, in order.
fn migrations(folder: &std::path::Path) -> Vec<String> {
    up_files(folder)
        .iter()
        .map(|name| name.split_once('_').unwrap().1.trim_end_matches(".up.sql").to_owned())
        .collect()
}

/// A change to prove: its name, the schemas, rows for `from`'s tables,
/// the migrations `revision --online` must write (when known).
struct Change {
    name: String,
    from: String,
    to: String,
    rows: Option<String>,
    expected: Option<Vec<String>>,
}

fn converges(change: &Change) {
    let name = &change.name;
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = applied_project("online-fixtures", &name.replace('/', "-"), &change.from, url);
    // The hazard policy is not what is proved here.
    let settings = folder.join("autogen.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(text.contains("\nacknowledge = [\"data-loss\"]"), "{text}");
    std::fs::write(
        &settings,
        text.replace("\nacknowledge = [\"data-loss\"]", "\nacknowledge = []"),
    )
    .unwrap();
    if let Some(rows) = &change.rows {
        database.execute(rows).unwrap();
    }
    declare(&folder, &change.to);
    let written = run_in(&folder, &["revision", "-m", "to", "--online", "--allow-data-loss"]);
    assert!(written.status.success(), "{name}: revision --online\n{}", stderr(&written));
    let written = migrations(&folder);
    if let Some(expected) = &change.expected {
        assert_eq!(written[1..], expected[..], "{name}: the migrations written");
    }
    let count = written.len() - 1;

    assert!(ok(&folder, &["check"]).starts_with("ok:"), "{name}: replayed");
    ok(&folder, &["upgrade", "--database-url", url]);
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"), "{name}: applied");
    let second = run_in(&folder, &["diff", "--database-url", url, "--exit-code"]);
    assert!(second.status.success(), "{name}: a second diff\n{}", stdout(&second));

    if count == 0 {
        std::fs::remove_dir_all(&folder).unwrap();
        return;
    }
    let back = format!("-{count}");
    ok(&folder, &["downgrade", &back, "--database-url", url]);
    declare(&folder, &change.from);
    let down = run_in(&folder, &["diff", "--database-url", url, "--exit-code"]);
    assert!(down.status.success(), "{name}: down gives from.sql\n{}", stdout(&down));

    declare(&folder, &change.to);
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
        let read = |file: &str| std::fs::read_to_string(case.join(file)).unwrap();
        converges(&Change {
            name: case.file_name().unwrap().to_string_lossy().into_owned(),
            from: read("from.sql"),
            to: read("to.sql"),
            rows: case.join("rows.sql").exists().then(|| read("rows.sql")),
            expected: Some(read("expected.txt").lines().map(str::to_owned).collect()),
        });
    }
}

#[test]
fn every_step_of_the_corpus_histories_converges_online() {
    let Some(corpus) = autogen_testkit::corpus("the online proofs of the corpus histories") else {
        return;
    };
    let mut steps: Vec<std::path::PathBuf> = Vec::new();
    for history in ["affine", "aidoc"] {
        let folder = corpus.join("history-pairs").join(history);
        steps.extend(std::fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().path()));
    }
    steps.sort();
    assert!(!steps.is_empty());
    for step in &steps {
        let read = |file: &str| std::fs::read_to_string(step.join(file)).unwrap();
        let parent = step.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        converges(&Change {
            name: format!("{parent}/{}", step.file_name().unwrap().to_string_lossy()),
            from: read("a.sql"),
            to: read("b.sql"),
            rows: None,
            expected: None,
        });
    }
}
