//! A database password is never printed: not in an error, not in the
//! `--sql` script, not in JSON, whatever the command, however the URL is
//! given (the flag, `DATABASE_URL`, `database_url = "env:X"` with `.env`)
//! and however it is written or mistyped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::*;

/// The password of every URL here; it must never appear in any output.
const SECRET: &str = "S3cr3t-pw";

/// A cluster where the role `guarded` logs in over TCP with the password
/// [`SECRET`] (scram-sha-256) and every other role is trusted.
fn guarded_server() -> &'static autogen_pgtemp::Server {
    static SERVER: OnceLock<autogen_pgtemp::Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let cluster = autogen_pgtemp::Cluster::start().unwrap();
        let hba = cluster.root().join("data/pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("host all guarded 127.0.0.1/32 scram-sha-256\n{rules}"))
            .unwrap();
        let psql = std::process::Command::new(cluster.binaries().path("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &cluster.url("postgres"), "-c"])
            .arg(format!(
                "CREATE ROLE guarded LOGIN SUPERUSER PASSWORD '{SECRET}'; SELECT pg_reload_conf()"
            ))
            .output()
            .unwrap();
        assert!(psql.status.success(), "{}", String::from_utf8_lossy(&psql.stderr));
        std::thread::sleep(std::time::Duration::from_millis(300));
        autogen_pgtemp::Server::Cluster(cluster)
    })
}

/// A fresh database on [`guarded_server`] and the URL that reaches it as
/// `guarded`, the password in the userinfo.
fn guarded_database() -> (autogen_pgtemp::Database<'static>, String, u16) {
    let database = guarded_server().create_database().unwrap();
    let port = url_port(database.url());
    let url = format!("postgres://guarded:{SECRET}@127.0.0.1:{port}/{}", database.name());
    (database, url, port)
}

fn url_port(url: &str) -> u16 {
    let after_host = url.split("127.0.0.1:").nth(1).unwrap();
    after_host.split('/').next().unwrap().parse().unwrap()
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// A project: a declared table and one migration that creates it.
fn project(name: &str, settings: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("autogen-secrets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(folder.join("schema")).unwrap();
    std::fs::write(
        folder.join("autogen.toml"),
        format!("schema = [\"schema/\"]\nmigrations = \"migrations\"\n{settings}"),
    )
    .unwrap();
    std::fs::write(folder.join("schema/app.sql"), "CREATE TABLE notes (id integer PRIMARY KEY);\n")
        .unwrap();
    let revision = autogen().current_dir(&folder).args(["revision", "-m", "notes"]).output();
    let revision = revision.unwrap();
    assert!(revision.status.success(), "{}", stderr(&revision));
    folder
}

/// How the URL reaches the command.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// `--database-url URL`
    Flag,
    /// `DATABASE_URL=URL` in the environment, no `database_url` setting.
    Environment,
    /// `database_url = "env:APP_DB"` and `APP_DB='URL'` in `.env`.
    DotEnv,
}

/// Runs `autogen args…` in `folder` with `url` given as `given` says.
fn run_with(folder: &Path, given: Given, url: &str, args: &[&str]) -> Output {
    let mut command = autogen();
    command.current_dir(folder).args(args);
    match given {
        Given::Flag => {
            command.arg("--database-url").arg(url);
        }
        Given::Environment => {
            command.env("DATABASE_URL", url);
        }
        Given::DotEnv => {
            std::fs::write(folder.join(".env"), format!("OTHER=1\nAPP_DB='{url}'\n")).unwrap();
        }
    }
    command.output().unwrap()
}

/// Asserts that the secret appears in neither stream of `output`.
fn assert_hidden(output: &Output, what: &str) {
    let (out, err) = (stdout(output), stderr(output));
    assert!(!out.contains(SECRET), "{what}: the password is on stdout:\n{out}");
    assert!(!err.contains(SECRET), "{what}: the password is on stderr:\n{err}");
    for part in ["S3cr3t", "3t-pw"] {
        assert!(
            !out.contains(part) && !err.contains(part),
            "{what}: part of it shows:\n{out}{err}"
        );
    }
}

/// The commands that read a database, each with the setting it needs to.
const DATABASE_COMMANDS: &[&[&str]] = &[
    &["diff", "--database"],
    &["diff", "--database", "--format", "json"],
    &["check", "--database"],
    &["check", "--database", "--format", "json"],
    &["upgrade"],
    &["upgrade", "head", "--sql"],
    &["downgrade", "-1"],
    &["downgrade", "base", "--sql"],
    &["current"],
    &["history", "--database"],
    &["history", "--database", "--format", "json"],
    &["stamp", "head"],
];

/// Every way of writing a URL wrong or to a database that cannot be
/// reached, with the password in it.
fn bad_urls() -> Vec<String> {
    let closed = closed_port();
    let (_, _, port) = guarded_database();
    vec![
        // unreachable, the password in each place it can be
        format!("postgres://guarded:{SECRET}@127.0.0.1:{closed}/app"),
        format!("postgres://guarded@127.0.0.1:{closed}/app?password={SECRET}"),
        format!("postgres://guarded@127.0.0.1:{closed}/app?sslmode=disable&PassWord={SECRET}"),
        format!("postgresql://127.0.0.1:{closed}/app?user=guarded&sslpassword={SECRET}"),
        // a wrong password on a server that checks it
        format!("postgres://guarded:{SECRET}-but-wrong@127.0.0.1:{port}/postgres"),
        format!("postgres://guarded@127.0.0.1:{port}/postgres?password={SECRET}x"),
        // mistyped
        format!("postgres//guarded:{SECRET}@127.0.0.1:{closed}/app"),
        format!("postgres:/guarded:{SECRET}@127.0.0.1:{closed}/app"),
        format!("postgres:guarded:{SECRET}@127.0.0.1"),
        format!("postgres://guarded:{SECRET} x@127.0.0.1:{closed}/app"),
        format!("postgres://guarded:{SECRET}@my host/app"),
        format!("postgres://guarded:{SECRET}@127.0.0.1:99999/app"),
        format!("postgres://guarded:{SECRET}@127.0.0.1:port/app"),
        format!("postgres://guarded:{SECRET}%C3%28@127.0.0.1:{closed}/app"),
        format!("postgres://guarded:{SECRET}/x@127.0.0.1:{closed}/app"),
        format!("postgres://guarded:12#{SECRET}@127.0.0.1:{closed}/app"),
        format!("mysql://guarded:{SECRET}@127.0.0.1:{closed}/app"),
        format!("host=127.0.0.1 port={closed} user=guarded password={SECRET}"),
        format!("postgres://guarded:{SECRET}@127.0.0.1:{closed}/app?sslmode=bogus"),
    ]
}

/// Each command that reads a database, with each bad URL given each way:
/// exit 2, and the password nowhere.
#[test]
fn errors_never_show_the_password() {
    let urls = bad_urls();
    let folder = project("errors", "");
    let dotenv_folder = project("errors-dotenv", "database_url = \"env:APP_DB\"\n");
    for url in &urls {
        for given in [Given::Flag, Given::Environment, Given::DotEnv] {
            let folder = if matches!(given, Given::DotEnv) { &dotenv_folder } else { &folder };
            for args in DATABASE_COMMANDS {
                let mut args = args.to_vec();
                if matches!(given, Given::Flag) {
                    // --database-url implies --database
                    args.retain(|arg| *arg != "--database");
                }
                let output = run_with(folder, given, url, &args);
                let what = format!("autogen {} with {url} by {given:?}", args.join(" "));
                assert_eq!(output.status.code(), Some(2), "{what}: {}", stderr(&output));
                assert_hidden(&output, &what);
                let message = stderr(&output);
                assert!(
                    message.contains("database URL") || message.contains("could not connect"),
                    "{what}: the URL was not used: {message}"
                );
                assert_eq!(message.lines().count(), 1, "{what}: one line: {message}");
            }
        }
    }
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::remove_dir_all(&dotenv_folder).unwrap();
}

/// `inspect` reads a URL from `--database-url`, `--from`, or, outside a
/// project, `DATABASE_URL`; `diff` from `--from` or `--to`.
#[test]
fn inspect_and_diff_errors_never_show_the_password() {
    let outside = std::env::temp_dir().join(format!("autogen-secrets-{}-none", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    for url in bad_urls() {
        let runs: Vec<(&str, Output)> = vec![
            ("inspect --database-url", run(&["inspect", "--database-url", &url])),
            ("inspect --from", run(&["inspect", "--from", &url])),
            ("inspect --format json", run(&["inspect", "--format", "json", "--from", &url])),
            (
                "inspect, DATABASE_URL",
                autogen()
                    .current_dir(&outside)
                    .arg("inspect")
                    .env("DATABASE_URL", &url)
                    .output()
                    .unwrap(),
            ),
            ("diff --from", run(&["diff", "--from", &url, "--to", &outside.to_string_lossy()])),
            ("diff --to", run(&["diff", "--from", &outside.to_string_lossy(), "--to", &url])),
        ];
        for (what, output) in runs {
            let what = format!("{what} {url}");
            assert_eq!(output.status.code(), Some(2), "{what}: {}", stderr(&output));
            assert_hidden(&output, &what);
        }
    }
    std::fs::remove_dir_all(&outside).unwrap();
}

/// A URL where a command or a value belongs: clap's message quotes the
/// argument, and so do autogen's messages about a target; not the password.
#[test]
fn a_url_in_the_wrong_place_is_quoted_without_its_password() {
    let folder = project("misplaced", "");
    let url = format!("postgres://guarded:{SECRET}@127.0.0.1:{}/app", closed_port());
    let query = format!("postgres://guarded@127.0.0.1:{}/app?password={SECRET}", closed_port());
    for url in [&url, &query] {
        for args in [
            vec!["inspect", url.as_str()],
            vec!["upgrade", url.as_str()],
            vec!["downgrade", url.as_str(), "--sql", "--from", "head"],
            vec!["stamp", url.as_str(), "--database-url", url.as_str()],
            vec!["check", "--format", url.as_str()],
            vec![url.as_str()],
        ] {
            let output = autogen().current_dir(&folder).args(&args).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
            assert_hidden(&output, &format!("{args:?}"));
        }
    }
    std::fs::remove_dir_all(&folder).unwrap();
}

/// What works prints no password either: the `--sql` script's header names
/// the database it read, and the JSON outputs.
#[test]
fn outputs_that_name_the_database_hide_the_password() {
    let (database, url, port) = guarded_database();
    let query_url =
        format!("postgres://guarded@127.0.0.1:{port}/{}?password={SECRET}", database.name());
    let folder = project("outputs", "");
    let dotenv_folder = project("outputs-dotenv", "database_url = \"env:APP_DB\"\n");
    for url in [&url, &query_url] {
        for given in [Given::Flag, Given::Environment, Given::DotEnv] {
            let folder = if matches!(given, Given::DotEnv) { &dotenv_folder } else { &folder };
            let mut sql_headers = 0;
            for args in [
                &["upgrade", "head", "--sql"][..],
                &["upgrade"],
                &["current", "-v"],
                &["history", "--database", "--format", "json"],
                &["check", "--database", "--format", "json"],
                &["diff", "--database", "--format", "json"],
                &["downgrade", "base", "--sql"],
                &["downgrade", "base"],
            ] {
                let mut args = args.to_vec();
                if matches!(given, Given::Flag) {
                    args.retain(|arg| *arg != "--database");
                }
                let output = run_with(folder, given, url, &args);
                let what = format!("autogen {} with {url} by {given:?}", args.join(" "));
                assert!(output.status.success(), "{what}: {}", stderr(&output));
                assert_hidden(&output, &what);
                if args.contains(&"--sql") {
                    let header = stdout(&output).lines().next().unwrap_or_default().to_owned();
                    assert!(header.contains("from postgres://guarded"), "{what}: {header}");
                    assert!(
                        header.contains("***@127.0.0.1") || header.contains("password=***"),
                        "{header}"
                    );
                    sql_headers += 1;
                }
            }
            assert_eq!(sql_headers, 2);
        }
    }
    let output = run(&["inspect", "--format", "json", "--database-url", &query_url]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_hidden(&output, "inspect --format json");
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::remove_dir_all(&dotenv_folder).unwrap();
}

/// dotenvy's message for a line it cannot read quotes the line — and,
/// after a quote left open, every line to the end of the file. autogen's
/// names the file, the line and what is wrong.
#[test]
fn a_bad_env_line_is_named_not_quoted() {
    let folder = project("dotenv-line", "database_url = \"env:APP_DB\"\n");
    let cases = [
        (format!("APP_DB=postgres://guarded:{SECRET}@127.0.0.1/app extra\n"), ":2:", "quoted"),
        (
            format!("APP_DB='postgres://guarded:{SECRET}@127.0.0.1/app\nLAST={SECRET}\n"),
            ":2:8:",
            "not closed",
        ),
        (format!("APP_DB postgres://guarded:{SECRET}@127.0.0.1/app\n"), ":2:8:", "expected `=`"),
        (format!("APP_DB=\"{SECRET}\\q\"\n"), ":2:", "escape"),
    ];
    for (line, place, what) in cases {
        std::fs::write(folder.join(".env"), format!("FIRST_SECRET={SECRET}\n{line}")).unwrap();
        let output = autogen().current_dir(&folder).arg("current").output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{line}: {}", stderr(&output));
        assert_hidden(&output, &line);
        let message = stderr(&output);
        assert!(message.starts_with("error: .env:"), "{message}");
        assert!(message.contains(place) && message.contains(what), "{line}: {message}");
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
