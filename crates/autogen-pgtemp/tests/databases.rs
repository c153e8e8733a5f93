//! The shared server hands out fresh, independent databases in which
//! pgvector can be created.

use autogen_pgtemp::{fresh_database, shared, Binaries, Cluster};

#[test]
fn every_fresh_database_can_create_the_vector_extension() {
    let first = fresh_database().unwrap();
    let second = fresh_database().unwrap();
    assert_ne!(first.name(), second.name());
    for database in [&first, &second] {
        database.execute("CREATE EXTENSION vector").unwrap();
        let version = database
            .execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            .unwrap();
        assert!(!version.trim().is_empty(), "pgvector has a version");
        database.execute("CREATE TABLE t (v vector(3), h halfvec(3), s sparsevec(5))").unwrap();
    }
}

#[test]
fn databases_start_empty_and_are_dropped_with_their_handle() {
    let name;
    {
        let database = fresh_database().unwrap();
        name = database.name().to_owned();
        database.execute("CREATE TABLE leftover (id int)").unwrap();
        let tables =
            database.execute("SELECT count(*) FROM pg_class WHERE relname = 'leftover'").unwrap();
        assert_eq!(tables.trim(), "1");
    }
    let server = shared().unwrap();
    let probe = server.create_database().unwrap();
    let exists = probe
        .execute(&format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'"))
        .unwrap();
    assert_eq!(exists.trim(), "0", "the dropped handle's database is gone");
    let tables = probe.execute("SELECT count(*) FROM pg_class WHERE relname = 'leftover'").unwrap();
    assert_eq!(tables.trim(), "0", "a fresh database has none of another's tables");
}

#[test]
fn a_failing_script_reports_the_error() {
    let database = fresh_database().unwrap();
    let error = database
        .load_sql("CREATE TABLE ok (id int);\nCREATE TABLE broken (id nosuchtype);\n")
        .unwrap_err();
    assert!(error.to_string().contains("nosuchtype"), "{error}");
    let tables = database.execute("SELECT count(*) FROM pg_class WHERE relname = 'ok'").unwrap();
    assert_eq!(tables.trim(), "0", "the script ran in one transaction");
}

#[test]
fn a_cluster_of_its_own_stops_and_cleans_up_on_drop() {
    let cluster = Cluster::start().unwrap();
    let root = cluster.root().to_path_buf();
    let pid = cluster.pid();
    assert!(root.join("data").join("PG_VERSION").is_file());
    assert!(process_alive(pid));
    drop(cluster);
    assert!(!process_alive(pid), "the postmaster is gone");
    assert!(!root.exists(), "its directory is removed");
}

#[test]
fn binaries_report_their_version() {
    let binaries = Binaries::find().unwrap();
    let version = binaries.version().unwrap();
    assert!(version.starts_with("postgres (PostgreSQL) "), "{version}");
}

#[test]
fn binaries_out_of_the_server_users_reach_are_copied_where_it_can_run_them() {
    // Only root runs the server as another user; for anyone else the
    // binaries are their own.
    // SAFETY: geteuid(2) cannot fail.
    if unsafe { libc_geteuid() } != 0 {
        return;
    }
    let found = Binaries::find().unwrap();
    let install_root = found.bin_dir().ancestors().nth(3).unwrap().to_path_buf();
    let private = std::env::temp_dir().join(format!("autogen-private-home-{}", std::process::id()));
    std::fs::create_dir_all(&private).unwrap();
    std::fs::set_permissions(&private, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(&install_root)
        .arg(private.join("pg"))
        .status()
        .unwrap();
    assert!(status.success());
    let relative = found.bin_dir().strip_prefix(&install_root).unwrap();
    let hidden = Binaries::at(private.join("pg").join(relative)).unwrap();

    let cluster = Cluster::start_with(&hidden).unwrap();
    assert!(
        !cluster.binaries().bin_dir().starts_with(&private),
        "the server runs from a reachable copy, not from {}",
        private.display()
    );
    let database_url = cluster.url("postgres");
    let output = std::process::Command::new(cluster.binaries().path("psql"))
        .args(["-X", "-A", "-t", "-d", &database_url, "-c", "SELECT 1"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "1");
    // The copy is named after the unreachable installation, which is this
    // test's own: remove it too.
    let copy = cluster.binaries().bin_dir().ancestors().nth(3).unwrap().to_path_buf();
    assert!(copy.starts_with(std::env::temp_dir()), "{}", copy.display());
    drop(cluster);
    std::fs::remove_dir_all(&copy).unwrap();
    std::fs::remove_dir_all(&private).unwrap();
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z ")
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

/// With `AUTOGEN_TEST_DATABASE_URL` set, tests use that server instead of
/// starting one: this test starts a cluster, runs itself as a child pointed
/// at it, and the child checks that its fresh databases live there.
#[test]
fn an_existing_server_is_used_when_named() {
    const EXPECTED_PORT: &str = "AUTOGEN_PGTEMP_EXPECTED_PORT";
    if let Ok(port) = std::env::var(EXPECTED_PORT) {
        let database = fresh_database().unwrap();
        assert!(database.url().contains(&format!(":{port}/")), "{}", database.url());
        assert!(matches!(database.server(), autogen_pgtemp::Server::External { .. }));
        database.execute("CREATE EXTENSION vector").unwrap();
        return;
    }
    let cluster = Cluster::start().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "an_existing_server_is_used_when_named", "--nocapture"])
        .env("AUTOGEN_TEST_DATABASE_URL", cluster.url("postgres"))
        .env(EXPECTED_PORT, cluster.port().to_string())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(printed.contains("1 passed"), "the child ran the test: {printed}");
    let databases = std::process::Command::new(cluster.binaries().path("psql"))
        .args(["-X", "-A", "-t", "-d", &cluster.url("postgres")])
        .args(["-c", "SELECT count(*) FROM pg_database WHERE datname LIKE 'autogen\\_%'"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&databases.stdout).trim(),
        "0",
        "the child dropped its database"
    );
}
