//! TLS, against a server that accepts nothing else: `ssl=on`, `hostssl`
//! lines only in `pg_hba.conf`, a certificate for 127.0.0.1 and localhost
//! signed by a CA made here. `sslmode=require` encrypts; `verify-ca` and
//! `verify-full` with `sslrootcert` (the CA's file) also check who answers;
//! another CA is refused in one line; a connection without TLS is refused by
//! the server.
//!
//! The pinned PostgreSQL 16 is built without SSL; these tests run on one
//! built with it — Debian's PostgreSQL 15 (`/usr/lib/postgresql/15/bin`,
//! which scripts/test installs when it can), or the `AUTOGEN_PG_BIN` build
//! if it has SSL — and say that they were passed over when there is none.

mod common;

use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;

use common::*;

const SECRET: &str = "S3cr3t-pw";

/// The TLS-only server, its port, and the folder holding `ca.pem` (the CA
/// that signed the server's certificate) and `other-ca.pem` (one that did
/// not).
struct TlsServer {
    server: autogen_pgtemp::Server,
    port: u16,
    files: PathBuf,
}

/// The server, started on first use; `None` (with a note on stderr) when no
/// PostgreSQL built with SSL is installed.
fn tls_server() -> Option<&'static TlsServer> {
    static SERVER: OnceLock<Option<TlsServer>> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        let Some(binaries) = binaries_with_ssl() else {
            eprintln!(
                "tls: passed over: no PostgreSQL built with SSL here (looked at AUTOGEN_PG_BIN \
                 and /usr/lib/postgresql/*/bin); scripts/test installs Debian's postgresql-15"
            );
            return None;
        };
        Some(start(&binaries))
    });
    server.as_ref()
}

/// The first of `AUTOGEN_PG_BIN` and Debian's installations whose
/// `pg_config` says it was built with OpenSSL.
fn binaries_with_ssl() -> Option<autogen_pgtemp::Binaries> {
    let mut candidates: Vec<PathBuf> =
        std::env::var_os("AUTOGEN_PG_BIN").map(PathBuf::from).into_iter().collect();
    for major in ["18", "17", "16", "15"] {
        candidates.push(PathBuf::from(format!("/usr/lib/postgresql/{major}/bin")));
    }
    candidates.into_iter().find_map(|bin_dir| {
        let configure = std::process::Command::new(bin_dir.join("pg_config"))
            .arg("--configure")
            .output()
            .ok()?;
        let configure = String::from_utf8_lossy(&configure.stdout);
        let with_ssl =
            configure.contains("--with-openssl") || configure.contains("--with-ssl=openssl");
        if with_ssl && bin_dir.join("postgres").is_file() {
            autogen_pgtemp::Binaries::at(bin_dir).ok()
        } else {
            None
        }
    })
}

/// A CA, a certificate for 127.0.0.1 and localhost that it signs, another
/// CA, and a cluster that speaks only TLS with that certificate. The role
/// `app` logs in with the password [`SECRET`]; `postgres` (for the test's
/// own psql) is trusted, over TLS too.
fn start(binaries: &autogen_pgtemp::Binaries) -> TlsServer {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let certificate_authority = |name: &str| {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        (certificate, key)
    };
    let (ca, ca_key) = certificate_authority("autogen test CA");
    let (other_ca, _) = certificate_authority("another CA");
    let mut params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, "localhost");
    let server_key = KeyPair::generate().unwrap();
    let server_certificate = params.signed_by(&server_key, &ca, &ca_key).unwrap();

    let setting = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    let config = autogen_pgtemp::Config {
        settings: vec![
            setting("ssl", "on"),
            setting("ssl_cert_file", "server.crt"),
            setting("ssl_key_file", "server.key"),
        ],
        hba: Some(
            "local all all trust\n\
             hostssl all postgres 127.0.0.1/32 trust\n\
             hostssl all all 127.0.0.1/32 scram-sha-256\n"
                .to_owned(),
        ),
        files: vec![
            ("server.crt".to_owned(), server_certificate.pem().into_bytes()),
            ("server.key".to_owned(), server_key.serialize_pem().into_bytes()),
        ],
    };
    let cluster = autogen_pgtemp::Cluster::start_configured(binaries, &config)
        .unwrap_or_else(|error| panic!("starting the TLS-only cluster: {error}"));
    let port = cluster.port();
    // The client's files, removed with the cluster's directory.
    let files = cluster.root().join("client");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(files.join("other-ca.pem"), other_ca.pem()).unwrap();
    let server = autogen_pgtemp::Server::Cluster(cluster);
    let admin = server.create_database().unwrap();
    admin.execute(&format!("CREATE ROLE app LOGIN SUPERUSER PASSWORD '{SECRET}'")).unwrap();
    drop(admin);
    TlsServer { server, port, files }
}

impl TlsServer {
    /// A fresh database holding one table, and the URL that reaches it as
    /// `app` with `parameters` (`sslmode=…&…`).
    fn database(&self, parameters: &str) -> (autogen_pgtemp::Database<'_>, String) {
        let database = self.server.create_database().unwrap();
        database.execute("CREATE TABLE over_tls (id integer PRIMARY KEY)").unwrap();
        let url = self.url(database.name(), "127.0.0.1", parameters);
        (database, url)
    }

    fn url(&self, database: &str, host: &str, parameters: &str) -> String {
        format!("postgres://app:{SECRET}@{host}:{}/{database}?{parameters}", self.port)
    }

    fn file(&self, name: &str) -> String {
        self.files.join(name).display().to_string()
    }
}

fn inspect(url: &str) -> Output {
    run(&["inspect", "--database-url", url])
}

/// Exit 0 and the table read; nothing of the password anywhere.
fn assert_reads_the_table(output: &Output, what: &str) {
    assert!(output.status.success(), "{what}: {}", stderr(output));
    assert!(
        stdout(output).contains("CREATE TABLE public.over_tls ("),
        "{what}: {}",
        stdout(output)
    );
    assert!(!stderr(output).contains(SECRET) && !stdout(output).contains(SECRET));
}

/// Exit 2, one line naming what went wrong, no password.
fn assert_refused(output: &Output, what: &str) -> String {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{what}: {message}");
    assert_eq!(message.lines().count(), 1, "{what}: one line: {message}");
    assert!(!message.contains(SECRET), "{what}: the password leaked: {message}");
    assert_eq!(stdout(output), "", "{what}");
    message
}

/// `sslmode=require` (and `prefer`, the default) connect over TLS; the
/// server refuses the same connection without it.
#[test]
fn sslmode_require_connects_and_reads_the_schema() {
    let Some(server) = tls_server() else { return };
    let (_database, url) = server.database("sslmode=require");
    assert_reads_the_table(&inspect(&url), "sslmode=require");
    // libpq's default, prefer, takes TLS when the server offers it.
    let (_database, url) = server.database("application_name=autogen");
    assert_reads_the_table(&inspect(&url), "no sslmode (prefer)");
    let (_database, url) = server.database("sslmode=disable");
    let message = assert_refused(&inspect(&url), "sslmode=disable");
    assert!(
        message.contains("no pg_hba.conf entry") && message.contains("no encryption"),
        "{message}"
    );
}

#[test]
fn verify_full_and_verify_ca_with_the_servers_ca_connect() {
    let Some(server) = tls_server() else { return };
    let ca = server.file("ca.pem");
    for (host, mode) in
        [("127.0.0.1", "verify-full"), ("localhost", "verify-full"), ("127.0.0.1", "verify-ca")]
    {
        let (database, _) = server.database("");
        let url = server.url(database.name(), host, &format!("sslmode={mode}&sslrootcert={ca}"));
        assert_reads_the_table(&inspect(&url), &format!("{mode} on {host}"));
    }
}

#[test]
fn another_ca_is_refused_in_one_line() {
    let Some(server) = tls_server() else { return };
    let other = server.file("other-ca.pem");
    let (database, url) = server.database(&format!("sslmode=verify-full&sslrootcert={other}"));
    let message = assert_refused(&inspect(&url), "verify-full with another CA");
    assert!(message.contains("could not connect to `postgres://app:***@127.0.0.1:"), "{message}");
    assert!(message.contains("TLS") && message.contains("sslrootcert"), "{message}");
    // Without sslrootcert only the public CAs are trusted: the test CA is not one.
    let url = server.url(database.name(), "127.0.0.1", "sslmode=verify-full");
    let message = assert_refused(&inspect(&url), "verify-full with the public CAs");
    assert!(message.contains("not signed by a CA autogen trusts"), "{message}");
    // A CA file that is not there is named.
    let url =
        server.url(database.name(), "127.0.0.1", "sslmode=verify-ca&sslrootcert=/no/such/ca.pem");
    let message = assert_refused(&inspect(&url), "a missing CA file");
    assert!(message.contains("sslrootcert=/no/such/ca.pem: no such file"), "{message}");
}

/// The running commands connect the same way: migrations applied and read
/// back over verify-full, the URL from `DATABASE_URL`.
#[test]
fn migrations_run_over_verify_full() {
    let Some(server) = tls_server() else { return };
    let ca = server.file("ca.pem");
    let (database, url) = server.database(&format!("sslmode=verify-full&sslrootcert={ca}"));
    database.execute("DROP TABLE over_tls").unwrap();
    let folder = std::env::temp_dir().join(format!("autogen-tls-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(folder.join("schema")).unwrap();
    std::fs::write(folder.join("autogen.toml"), "schema = [\"schema/\"]\n").unwrap();
    std::fs::write(folder.join("schema/app.sql"), "CREATE TABLE notes (id integer PRIMARY KEY);\n")
        .unwrap();
    let in_project = |args: &[&str]| {
        autogen().current_dir(&folder).env("DATABASE_URL", &url).args(args).output().unwrap()
    };
    let revision = in_project(&["revision", "-m", "notes"]);
    assert!(revision.status.success(), "{}", stderr(&revision));
    for args in [&["upgrade"][..], &["current"], &["check", "--database"]] {
        let output = in_project(args);
        assert!(output.status.success(), "{args:?}: {}{}", stdout(&output), stderr(&output));
        assert!(!stderr(&output).contains(SECRET) && !stdout(&output).contains(SECRET));
    }
    assert!(stdout(&in_project(&["current"])).contains("(head)"));
    std::fs::remove_dir_all(&folder).unwrap();
}

/// `sslmode=require` on a server without TLS (the pinned build, or any
/// cluster without `ssl=on`) stops with one line that says so.
#[test]
fn require_on_a_server_without_tls_says_so() {
    let cluster = autogen_pgtemp::Cluster::start().unwrap();
    let url =
        format!("postgres://app:{SECRET}@127.0.0.1:{}/postgres?sslmode=require", cluster.port());
    let message = assert_refused(&inspect(&url), "require without TLS");
    assert!(message.contains("TLS: server does not support TLS"), "{message}");
    let url = url
        .replace("sslmode=require", "sslmode=prefer")
        .replace(&format!("app:{SECRET}"), "postgres");
    let output = inspect(&url);
    assert!(output.status.success(), "prefer falls back to no TLS: {}", stderr(&output));
}
