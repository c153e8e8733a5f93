//! What keeps `autogen revision` from writing a migration no one meant:
//! version 0 is refused, two revisions at once take versions one after the
//! other, rename hints are checked against both schemas, and a step that
//! loses data needs someone to say yes.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A fresh project folder (after `autogen init`) declaring `sql`.
fn project(name: &str, sql: &str) -> PathBuf {
    let folder = initialised_project("revision", name);
    declare(&folder, sql);
    folder
}

#[test]
fn version_zero_is_refused_not_taken_for_base() {
    let folder = project("zero", "CREATE TABLE t (id int);\n");
    std::fs::write(folder.join("migrations/0_init.up.sql"), "CREATE TABLE t (id int);\n").unwrap();
    std::fs::write(folder.join("migrations/0_init.down.sql"), "DROP TABLE t;\n").unwrap();
    for args in [
        &["check"][..],
        &["revision", "-m", "x"],
        &["history"],
        &["upgrade", "head", "--sql", "--from", "base"],
    ] {
        let output = run_in(&folder, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stdout(&output));
        let error = stderr(&output);
        assert!(
            error.contains("migrations/0_init.up.sql: version 0 is not a migration's")
                && error.contains("(e.g. 1_init.up.sql)"),
            "{args:?}: {error}"
        );
    }
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn revisions_started_at_once_take_versions_one_after_the_other() {
    for round in 0..4 {
        let folder = project(&format!("race-{round}"), "CREATE TABLE t (id int);\n");
        let children: Vec<std::process::Child> = (0..4)
            .map(|index| {
                autogen()
                    .current_dir(&folder)
                    .args(["revision", "-m", &format!("racer {index}")])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "{}", stderr(&output));
        }
        // One of them wrote the migration; the others, finding it, had
        // nothing to do.
        let written = up_files(&folder);
        assert_eq!(written.len(), 1, "{written:?}");
        assert!(ok(&folder, &["check"]).starts_with("ok:"));
        // The lock leaves nothing behind in the folder.
        let entries = std::fs::read_dir(folder.join("migrations")).unwrap().count();
        assert_eq!(entries, 2);
        let _ = std::fs::remove_dir_all(&folder);
    }
}

#[test]
fn a_hint_with_a_typo_stops_revision_naming_it_and_the_nearest_names() {
    let folder = project("hints", "CREATE TABLE users (id int, mail text);\n");
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, "CREATE TABLE users (id int, email text);\n");
    std::fs::write(folder.join("hints.toml"), "[columns]\n\"users.mail\" = \"emial\"\n").unwrap();
    for args in [
        &["revision", "-m", "rename", "--hints", "hints.toml"][..],
        &["diff", "--hints", "hints.toml"],
        &["check", "--hints", "hints.toml"],
    ] {
        let output = run_in(&folder, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stdout(&output));
        let error = stderr(&output);
        assert!(
            error.contains("rename hints that do not fit the schemas (correct or remove them in hints.toml or a model's renamed_from)")
                && error.contains("[columns] \"public.users.mail\" = \"emial\": there is no column public.users.emial in the declared schema; the nearest: email"),
            "{args:?}: {error}"
        );
    }
    assert_eq!(up_files(&folder).len(), 1, "nothing was written");
    // Corrected, the rename is a rename, with no drop after it.
    std::fs::write(folder.join("hints.toml"), "[columns]\n\"users.mail\" = \"email\"\n").unwrap();
    assert_eq!(
        ok(&folder, &["diff", "--hints", "hints.toml", "--format", "summary"]),
        "rename column public.users.mail to email\n1 step\n"
    );
    let _ = std::fs::remove_dir_all(&folder);
}

/// `autogen args…` in `folder` at a terminal (util-linux's `script` gives
/// it one), with `answer` typed; `None` when `script` is not installed.
fn at_a_terminal(folder: &Path, args: &[&str], answer: &str) -> Option<std::process::Output> {
    use std::io::Write as _;
    let command = std::iter::once(env!("CARGO_BIN_EXE_autogen"))
        .chain(args.iter().copied())
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(answer.as_bytes()).unwrap();
    Some(child.wait_with_output().unwrap())
}

#[test]
fn a_migration_that_loses_data_needs_someone_to_say_yes() {
    let folder =
        project("data-loss", "CREATE TABLE t (id int, note text);\nCREATE TABLE gone (id int);\n");
    ok(&folder, &["revision", "-m", "first"]);
    declare(&folder, "CREATE TABLE t (id int);\n");

    // diff shows the migration as before.
    let shown = ok(&folder, &["diff", "--format", "summary"]);
    assert_eq!(
        shown,
        "drop column public.t.note [data-loss]\ndrop table public.gone [data-loss]\n2 steps\n"
    );

    // Not at a terminal: refused, naming the steps and the flag.
    let refused = run_in(&folder, &["revision", "-m", "drop"]);
    assert_eq!(refused.status.code(), Some(2));
    let error = stderr(&refused);
    assert!(
        error.contains("the migration loses data and no one said yes (drop column public.t.note, drop table public.gone); nothing was written")
            && error.contains("--allow-data-loss"),
        "{error}"
    );
    assert_eq!(up_files(&folder).len(), 1);

    if let Some(declined) = at_a_terminal(&folder, &["revision", "-m", "drop"], "n\n") {
        let screen = String::from_utf8_lossy(&declined.stdout).into_owned();
        assert!(
            screen.contains("drop column public.t.note") && screen.contains("write it? [y/N]"),
            "{screen}"
        );
        assert!(screen.contains("not confirmed: nothing was written"), "{screen}");
        assert_eq!(up_files(&folder).len(), 1);
        let confirmed = at_a_terminal(&folder, &["revision", "-m", "drop"], "y\n").unwrap();
        assert!(confirmed.status.success(), "{}", String::from_utf8_lossy(&confirmed.stdout));
        let written = up_files(&folder);
        assert_eq!(written.len(), 2);
        let up = std::fs::read_to_string(folder.join("migrations").join(&written[1])).unwrap();
        assert!(up.contains("\n-- data loss allowed: confirmed at a terminal\n"), "{up}");
        std::fs::remove_file(folder.join("migrations").join(&written[1])).unwrap();
        std::fs::remove_file(folder.join("migrations").join(written[1].replace(".up.", ".down.")))
            .unwrap();
    } else {
        eprintln!("util-linux's `script` is not installed: the terminal half of this test was passed over");
    }

    // With the flag: written, and the header says who allowed it.
    ok(&folder, &["revision", "-m", "drop", "--allow-data-loss"]);
    let written = up_files(&folder);
    assert_eq!(written.len(), 2);
    let up = std::fs::read_to_string(folder.join("migrations").join(&written[1])).unwrap();
    assert!(
        up.contains("\n-- hazards: data-loss\n-- data loss allowed: --allow-data-loss\n"),
        "{up}"
    );
    // A migration that loses nothing needs no one.
    declare(&folder, "CREATE TABLE t (id int, added text);\n");
    ok(&folder, &["revision", "-m", "add"]);
    let _ = std::fs::remove_dir_all(&folder);
}
