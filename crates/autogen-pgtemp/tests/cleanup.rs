//! No server process is left behind when a test process ends badly: this
//! binary runs itself as a child that starts the shared cluster and then
//! panics (or aborts), and checks that the cluster's watchdog stopped the
//! server and removed its directory.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const ROLE: &str = "AUTOGEN_PGTEMP_CLEANUP_CHILD";

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("panic") => child(|| panic!("a test failed while the shared cluster was running")),
        Ok("abort") => child(|| std::process::abort()),
        Ok("exit") => child(|| std::process::exit(0)),
        _ => {
            let mut passed = 0;
            for way in ["panic", "abort", "exit"] {
                check_cleanup_after(way);
                println!("test cluster_is_cleaned_up_after_{way} ... ok");
                passed += 1;
            }
            println!("\ntest result: ok. {passed} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n");
        }
    }
}

fn child(end: impl FnOnce()) {
    let database = autogen_pgtemp::fresh_database().expect("the shared cluster starts");
    database.execute("SELECT 1").expect("and answers");
    let autogen_pgtemp::Server::Cluster(cluster) = database.server() else {
        panic!("this test needs an ephemeral cluster, not AUTOGEN_TEST_DATABASE_URL");
    };
    println!("pid={} root={}", cluster.pid(), cluster.root().display());
    std::mem::forget(database);
    end();
}

fn check_cleanup_after(way: &str) {
    let output = Command::new(std::env::current_exe().unwrap())
        .env(ROLE, way)
        .env_remove("AUTOGEN_TEST_DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find(|line| line.starts_with("pid=")).unwrap_or_else(|| {
        panic!(
            "child ({way}) printed no cluster: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let (pid, root) = line.trim_start_matches("pid=").split_once(" root=").unwrap();
    let root = PathBuf::from(root);
    if way != "exit" {
        assert!(!output.status.success(), "the child ({way}) failed");
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while (alive(pid) || root.exists()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(pid), "postmaster {pid} outlived its test process ({way})");
    assert!(!root.exists(), "{} outlived its test process ({way})", root.display());
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| !stat.contains(") Z "))
}
