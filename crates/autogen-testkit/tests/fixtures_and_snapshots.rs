//! The lists agree with the folders: every case of `fixtures/diff/` is in
//! `for_each_diff_case!` (so it has its tests), and every file under
//! `snapshots/` belongs to something that checks it — a diff case
//! (`snapshots/diff/<case>.snap`), a schema fixture
//! (`snapshots/inspect/<fixture>.snap`), or a test that names it
//! (`snapshots/cli/<name>.snap`: `"<name>"` in a `tests/` file). A snapshot
//! nothing checks would pass review forever while saying nothing.

use std::path::Path;

use autogen_testkit::{diff_case_folders, files, workspace};

macro_rules! listed {
    ($($case:ident),* $(,)?) => {
        &[$(stringify!($case)),*]
    };
}

const LISTED: &[&str] = autogen_testkit::for_each_diff_case!(listed);

#[test]
fn every_diff_case_is_listed_and_every_listed_case_is_there() {
    let folders = diff_case_folders();
    let missing: Vec<&String> =
        folders.iter().filter(|case| !LISTED.contains(&case.as_str())).collect();
    assert!(
        missing.is_empty(),
        "fixtures/diff cases missing from for_each_diff_case! (crates/autogen-testkit/src/cases.rs): {missing:?}"
    );
    let gone: Vec<&&str> =
        LISTED.iter().filter(|case| !folders.iter().any(|folder| folder == *case)).collect();
    assert!(
        gone.is_empty(),
        "for_each_diff_case! lists cases fixtures/diff does not hold: {gone:?}"
    );
    let mut sorted = LISTED.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, LISTED, "for_each_diff_case! is in name order, each case once");
}

#[test]
fn every_snapshot_is_checked_by_a_fixture_or_a_test() {
    let snapshots = workspace().join("snapshots");
    let test_sources = test_sources();
    let mut unreferenced = Vec::new();
    for entry in std::fs::read_dir(&snapshots).unwrap() {
        let folder = entry.unwrap().path();
        let folder_name = folder.file_name().unwrap().to_string_lossy().into_owned();
        if !folder.is_dir() || !["diff", "inspect", "cli"].contains(&folder_name.as_str()) {
            unreferenced.push(format!("snapshots/{folder_name} (not diff/, inspect/ or cli/)"));
            continue;
        }
        for entry in std::fs::read_dir(&folder).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let referenced =
                name.strip_suffix(".snap").is_some_and(|stem| match folder_name.as_str() {
                    "diff" => {
                        LISTED.contains(&stem)
                            && Path::new(
                                &workspace().join("fixtures/diff").join(stem).join("to.sql"),
                            )
                            .is_file()
                    }
                    "inspect" => {
                        workspace().join("fixtures/schemas").join(format!("{stem}.sql")).is_file()
                    }
                    _ => test_sources.iter().any(|text| text.contains(&format!("\"{stem}\""))),
                });
            if !referenced {
                unreferenced.push(format!("snapshots/{folder_name}/{name}"));
            }
        }
    }
    unreferenced.sort();
    assert!(
        unreferenced.is_empty(),
        "snapshots no fixture or test checks (remove them, or the test that wrote them is gone):\n{}",
        unreferenced.join("\n")
    );
}

/// The text of every `.rs` file under `crates/*/tests/`.
fn test_sources() -> Vec<String> {
    let mut texts = Vec::new();
    let mut folders: Vec<_> = files(&workspace().join("crates"), "")
        .into_iter()
        .map(|krate| krate.join("tests"))
        .filter(|tests| tests.is_dir())
        .collect();
    while let Some(folder) = folders.pop() {
        for path in files(&folder, "") {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    texts
}
