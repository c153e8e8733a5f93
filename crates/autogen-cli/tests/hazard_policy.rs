//! The hazard policy: a migration that carries a hazard `[hazards]
//! acknowledge` lists (data-loss unless set) makes `check` fail, naming
//! the file and line, until a line `-- autogen: allow <hazard>: <why>` of
//! its up file acknowledges it; an acknowledgement without a reason, or of
//! no such hazard, does not count and is named too.

mod common;

use common::*;

/// The up file of the migration whose name ends `slug`.
fn up_file(folder: &std::path::Path, slug: &str) -> std::path::PathBuf {
    std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(&format!("_{slug}.up.sql")))
        .unwrap()
}

/// `text` with `line` put after its first line.
fn with_line(text: &str, line: &str) -> String {
    let (first, rest) = text.split_once('\n').unwrap();
    format!("{first}\n{line}\n{rest}")
}

#[test]
fn data_loss_waits_for_an_acknowledgement_with_a_reason() {
    let folder = initialised_project("policy", "data-loss");
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, nickname text);");
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY);");
    let revision = run_in(&folder, &["revision", "-m", "no nickname", "--allow-data-loss"]);
    assert!(revision.status.success(), "{}", stderr(&revision));
    assert!(
        stderr(&revision).contains("`autogen check` fails until the reviewer of this migration adds the line `-- autogen: allow data-loss: <why>` to it"),
        "{}",
        stderr(&revision)
    );
    let path = up_file(&folder, "no_nickname");
    let text = std::fs::read_to_string(&path).unwrap();
    let hazards_line = text.lines().position(|line| line.starts_with("-- hazards:")).unwrap() + 1;
    let name = format!("migrations/{}", path.file_name().unwrap().to_string_lossy());

    let check = run_in(&folder, &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert!(
        stdout(&check).starts_with(&format!(
            "error: {name}:{hazards_line}: migration {} carries data-loss, which needs an acknowledgement",
            name["migrations/".len()..].split('_').next().unwrap()
        )),
        "{}",
        stdout(&check)
    );
    let json = run_in(&folder, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(report["clean"], false);
    assert_eq!(report["unacknowledged"].as_array().unwrap().len(), 1, "{report}");

    // No reason: it does not count, and says so at its line.
    std::fs::write(&path, with_line(&text, "-- autogen: allow data-loss:")).unwrap();
    let check = run_in(&folder, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains(&format!(
            "error: {name}:2: the acknowledgement of data-loss gives no reason"
        )),
        "{}",
        stdout(&check)
    );
    // A hazard that does not exist, neither.
    std::fs::write(&path, with_line(&text, "-- autogen: allow data-lost: typo")).unwrap();
    let check = run_in(&folder, &["check"]);
    assert!(
        stdout(&check).contains(&format!("error: {name}:2: `data-lost` is no hazard")),
        "{}",
        stdout(&check)
    );

    std::fs::write(
        &path,
        with_line(
            &text,
            "-- autogen: allow data-loss: nicknames were never shown; agreed in review",
        ),
    )
    .unwrap();
    let check = run_in(&folder, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn the_settings_say_which_hazards_need_one() {
    let folder = initialised_project("policy", "settings");
    let settings = folder.join("autogen.toml");
    let template = std::fs::read_to_string(&settings).unwrap();
    let policy = |list: &str| {
        std::fs::write(
            &settings,
            template.replace("acknowledge = [\"data-loss\"]", &format!("acknowledge = [{list}]")),
        )
        .unwrap();
    };
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, nickname text);");
    ok(&folder, &["revision", "-m", "users"]);
    declare(
        &folder,
        "CREATE TABLE users (id integer PRIMARY KEY, nickname text);\nCREATE INDEX ON users (nickname);",
    );
    ok(&folder, &["revision", "-m", "nickname index"]);
    // blocking-lock is not data-loss: fine by default.
    assert_eq!(run_in(&folder, &["check"]).status.code(), Some(0));
    policy("\"blocking-lock\"");
    let check = run_in(&folder, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("carries blocking-lock, which needs an acknowledgement"),
        "{}",
        stdout(&check)
    );
    // Nothing listed: nothing needs one.
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY);");
    ok(&folder, &["revision", "-m", "no nickname", "--allow-data-loss"]);
    policy("");
    assert_eq!(run_in(&folder, &["check"]).status.code(), Some(0));
    // A name that is no hazard is refused where it is written.
    policy("\"data_loss\"");
    let check = run_in(&folder, &["check"]);
    assert_eq!(check.status.code(), Some(2));
    let line = template.lines().position(|line| line.starts_with("acknowledge")).unwrap() + 1;
    assert!(
        stderr(&check).contains(&format!("autogen.toml:{line}:15: `data_loss` is no hazard: the hazards are data-loss, table-rewrite")),
        "{}",
        stderr(&check)
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
