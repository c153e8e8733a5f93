//! Nothing is dropped silently when autogen reads files: a byte order mark
//! is read past; what PostgreSQL would refuse (a misspelled command, an
//! invisible or control character, stray punctuation), bytes that are not
//! UTF-8 and input nested too deeply stop the command with file:line:col
//! (exit 2, nothing printed) — never a statement passed over, whose table
//! the next migration would drop, and never a crash; folders that symlink
//! into themselves are refused rather than followed forever.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::*;

/// A fresh, empty folder for one test.
fn folder(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("autogen-reading-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Runs `autogen args…` in `folder`, killed after a minute (a hang is a
/// failure, not a stuck test run).
fn run_bounded(folder: &Path, args: &[&str]) -> Output {
    let mut child = autogen()
        .current_dir(folder)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("autogen {args:?} did not finish in a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The command failed as a reading error does: exit 2, nothing on stdout,
/// `expected` on stderr.
fn refused(output: &Output, expected: &str) {
    let errors = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert!(output.stdout.is_empty(), "{}", stdout(output));
    assert!(errors.contains(expected), "no `{expected}` in:\n{errors}");
}

#[test]
fn a_byte_order_mark_is_read_past() {
    let folder = folder("bom");
    std::fs::write(folder.join("schema.sql"), "\u{feff}CREATE TABLE a (id int);\n").unwrap();
    let output = run_bounded(&folder, &["inspect", "--from", "schema.sql"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("CREATE TABLE public.a ("), "{}", stdout(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn what_postgresql_would_refuse_stops_the_command_at_its_place() {
    let folder = folder("refused");
    for (text, expected) in [
        (
            "CREATE TABLE a (id int);\n\nCRATE TABLE b (id int);\n",
            "schema.sql:3:1: error: `CRATE` is not a PostgreSQL command; did you mean CREATE?",
        ),
        (
            "CREATE TABLE a (id int);\n\u{200b}CREATE TABLE b (id int);\n",
            "schema.sql:2:1: error: U+200B ZERO WIDTH SPACE, an invisible character, outside quotes",
        ),
        (
            "CREATE TABLE a (id int);\nCREATE TABLE b (id int\u{1});\n",
            "schema.sql:2:23: error: control character U+0001 outside quotes",
        ),
        (
            "CREATE TABLE a (id int);\n, CREATE TABLE b (id int);\n",
            "schema.sql:2:1: error: `,` before CREATE cannot start a statement",
        ),
        (
            "CREATE TABLE a (id int);\nCREATE TALBE b (id int);\n",
            "schema.sql:2:8: error: `TALBE` is not a kind of object PostgreSQL can create; did you mean TABLE?",
        ),
        (
            "CREATE TABLE a (id int);\nCREATE TABLE b (id int\u{0});\n",
            "schema.sql:2:23: error: cannot read the SQL: a NUL character (U+0000)",
        ),
    ] {
        std::fs::write(folder.join("schema.sql"), text).unwrap();
        refused(&run_bounded(&folder, &["inspect", "--from", "schema.sql"]), expected);
    }
    // Statements PostgreSQL runs about objects autogen does not model stay
    // warnings.
    std::fs::write(
        folder.join("schema.sql"),
        "CREATE TABLE a (id int);\nCREATE RULE r AS ON INSERT TO a DO INSTEAD NOTHING;\nGRANT SELECT ON a TO PUBLIC;\n",
    )
    .unwrap();
    let output = run_bounded(&folder, &["inspect", "--from", "schema.sql"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("schema.sql:2:1: warning: autogen does not model rules"));
}

#[test]
fn bytes_that_are_not_utf8_are_an_error_at_the_first_of_them() {
    let folder = folder("latin1");
    // `café` in Latin-1 on line 2: the é is the byte 0xE9, at column 7.
    std::fs::write(folder.join("schema.sql"), b"CREATE TABLE a (id int);\n-- caf\xe9\n").unwrap();
    refused(
        &run_bounded(&folder, &["inspect", "--from", "schema.sql"]),
        "schema.sql:2:7: not UTF-8 (byte 0xE9)",
    );
    // Rust models too, in a project.
    assert!(run_bounded(&folder, &["init"]).status.success());
    std::fs::write(folder.join("models.rs"), b"// \xff\n").unwrap();
    refused(
        &run_bounded(&folder, &["diff", "--models", "models.rs"]),
        "models.rs:1:4: not UTF-8 (byte 0xFF)",
    );
}

#[test]
fn input_nested_too_deeply_is_an_error_not_a_crash() {
    let folder = folder("deep");
    for (text, column) in [
        (format!("CREATE TABLE t (a int DEFAULT {});", vec!["1"; 1400].join("+")), 1032),
        (format!("CREATE TABLE t (a int DEFAULT 0{});", "::int".repeat(2000)), 2532),
        (format!("CREATE TABLE t (a int{});", "[]".repeat(50_000)), 1022),
    ] {
        std::fs::write(folder.join("deep.sql"), &text).unwrap();
        let output = run_bounded(&folder, &["inspect", "--from", "deep.sql"]);
        refused(&output, &format!("deep.sql:1:{column}: error: "));
        refused(&output, "nested too deeply");
    }
}

#[cfg(unix)]
#[test]
fn a_folder_symlinked_into_itself_is_refused_not_followed_forever() {
    use std::os::unix::fs::symlink;
    let folder = folder("folder-loops");
    for (name, target) in [("up", ".."), ("here", ".")] {
        let schema = folder.join(name);
        std::fs::create_dir_all(&schema).unwrap();
        std::fs::write(schema.join("a.sql"), "CREATE TABLE a (id int);\n").unwrap();
        symlink(target, schema.join("loop")).unwrap();
        refused(
            &run_bounded(&folder, &["inspect", "--from", name]),
            &format!("{name}/loop: a symlink to "),
        );
        refused(&run_bounded(&folder, &["inspect", "--from", name]), "a folder that holds it");
    }
    // One folder reached through two symlinks is read once.
    let common = folder.join("common");
    std::fs::create_dir_all(&common).unwrap();
    std::fs::write(common.join("c.sql"), "CREATE TABLE c (id int);\n").unwrap();
    let twice = folder.join("twice");
    std::fs::create_dir_all(&twice).unwrap();
    symlink("../common", twice.join("x")).unwrap();
    symlink("../common", twice.join("y")).unwrap();
    let output = run_bounded(&folder, &["inspect", "--from", "twice"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).matches("CREATE TABLE public.c (").count(), 1);
}

#[cfg(unix)]
#[test]
fn a_file_symlink_loop_is_an_error_naming_it() {
    use std::os::unix::fs::symlink;
    let folder = folder("file-loops");
    let schema = folder.join("schema");
    std::fs::create_dir_all(&schema).unwrap();
    std::fs::write(schema.join("a.sql"), "CREATE TABLE a (id int);\n").unwrap();
    symlink("c.sql", schema.join("b.sql")).unwrap();
    symlink("b.sql", schema.join("c.sql")).unwrap();
    for source in ["schema", "schema/b.sql"] {
        refused(
            &run_bounded(&folder, &["inspect", "--from", source]),
            "schema/b.sql: a symlink loop (schema/b.sql -> schema/c.sql -> schema/b.sql)",
        );
    }
}
