//! Finding the PostgreSQL and NATS servers tests run against, or starting private ones.

use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const PRIVATE_PG_PORT: u16 = 55432;
const PRIVATE_NATS_PORT: u16 = 54222;

static POSTGRES: OnceLock<String> = OnceLock::new();
static NATS: OnceLock<String> = OnceLock::new();

/// The PostgreSQL server URL without a database name, e.g. `postgres://postgres@127.0.0.1:5432`.
pub fn postgres_base_url() -> &'static str {
    POSTGRES.get_or_init(|| {
        if let Ok(url) = std::env::var("HOUSING_TEST_DATABASE_URL") {
            return server_part(&url).to_owned();
        }
        if reachable(5432) {
            return "postgres://postgres@127.0.0.1:5432".into();
        }
        start_private_postgres();
        format!("postgres://postgres@127.0.0.1:{PRIVATE_PG_PORT}")
    })
}

pub fn nats_url() -> &'static str {
    NATS.get_or_init(|| {
        if let Ok(url) = std::env::var("HOUSING_TEST_NATS_URL") {
            return url;
        }
        if reachable(4222) {
            return "nats://127.0.0.1:4222".into();
        }
        start_private_nats();
        format!("nats://127.0.0.1:{PRIVATE_NATS_PORT}")
    })
}

/// Points this process at servers it started itself (a benchmark that places them on cores
/// of their own), in place of those the environment names. Before anything asks for them.
pub fn use_servers(postgres_base_url: String, nats_url: String) {
    assert!(
        POSTGRES.set(postgres_base_url).is_ok() && NATS.set(nats_url).is_ok(),
        "servers chosen before use_servers"
    );
}

/// `scheme://user@host:port` of a database URL, dropping the database and parameters.
fn server_part(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find(['/', '?']) {
        Some(end) => &url[..after_scheme + end],
        None => url,
    }
}

fn reachable(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(300),
    )
    .is_ok()
}

fn private_root() -> PathBuf {
    std::env::temp_dir().join("housing-testkit")
}

/// Test processes run side by side: one of them starts (or installs) a private server, the
/// rest wait.
pub fn with_lock<T>(name: &str, f: impl FnOnce() -> T) -> T {
    std::fs::create_dir_all(private_root()).expect("temp folder");
    let lock = File::create(private_root().join(format!("{name}.lock"))).expect("lock file");
    lock.lock().expect("lock");
    let value = f();
    drop(lock);
    value
}

/// A loopback port nothing listens on now, for a server a test starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub fn find_binary(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    dirs.push("/usr/sbin".into());
    dirs.push("/usr/local/sbin".into());
    if let Ok(versions) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut found: Vec<PathBuf> = versions.flatten().map(|v| v.path().join("bin")).collect();
        found.sort();
        dirs.extend(found.into_iter().rev());
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn start_private_postgres() {
    with_lock("postgres", || {
        if reachable(PRIVATE_PG_PORT) {
            return;
        }
        let data = private_root().join("pgdata");
        let initdb = find_binary("initdb")
            .expect("no PostgreSQL server here: install the Debian package postgresql");
        let pg_ctl = find_binary("pg_ctl").expect("pg_ctl");
        std::fs::create_dir_all(&data).expect("data folder");
        // PostgreSQL refuses to run as root; the Debian package brings a postgres user.
        let as_server_user = |binary: &PathBuf| {
            if is_root() {
                run(Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&data));
                let mut command = Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(binary);
                command
            } else {
                Command::new(binary)
            }
        };
        if !data.join("PG_VERSION").exists() {
            run(as_server_user(&initdb)
                .args(["-U", "postgres", "--auth=trust", "-D"])
                .arg(&data));
        }
        let options = format!(
            "-p {PRIVATE_PG_PORT} -c listen_addresses=127.0.0.1 -k {}",
            data.display()
        );
        run(as_server_user(&pg_ctl)
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(data.join("log"))
            .args(["-w", "start"]));
        wait_for(PRIVATE_PG_PORT);
    });
}

#[expect(
    clippy::zombie_processes,
    reason = "the private server outlives this test process: the next test processes use it"
)]
fn start_private_nats() {
    with_lock("nats", || {
        if reachable(PRIVATE_NATS_PORT) {
            return;
        }
        let store = private_root().join("nats");
        let binary = find_binary("nats-server")
            .expect("no nats-server here: install the Debian package nats-server");
        Command::new(binary)
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &PRIVATE_NATS_PORT.to_string(),
                "-sd",
            ])
            .arg(&store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        wait_for(PRIVATE_NATS_PORT);
    });
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn run(command: &mut Command) {
    let status = command
        .stdout(Stdio::null())
        .status()
        .expect("command runs");
    assert!(status.success(), "{command:?} failed");
}

pub fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !reachable(port) {
        assert!(
            Instant::now() < deadline,
            "nothing listening on 127.0.0.1:{port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Is anything listening on `port` (used when stopping a private server).
pub fn listening(port: u16) -> bool {
    reachable(port)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_server_part_drops_database_and_parameters() {
        assert_eq!(
            super::server_part("postgres://u@h:1/db?x=y"),
            "postgres://u@h:1"
        );
        assert_eq!(super::server_part("postgres://u@h:1"), "postgres://u@h:1");
    }
}
