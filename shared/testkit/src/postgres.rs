//! A PostgreSQL server of a test's or benchmark's own, in a temporary folder on a free
//! loopback port, stopped when dropped.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::servers::{find_binary, free_port, is_root, run, wait_for};

pub struct PrivatePostgres {
    port: u16,
    data: tempfile::TempDir,
}

impl PrivatePostgres {
    /// Makes a cluster, lets `configure` write into its folder (certificates,
    /// `pg_hba.conf`), and starts it with `settings` (`-c` options). With `cpus` (a list as
    /// `taskset` takes it, e.g. `0` or `0-3`) the server and every backend it forks run on
    /// those CPUs only.
    pub fn start(configure: impl FnOnce(&Path), settings: &[&str], cpus: Option<&str>) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let dir = data.path();
        let initdb = find_binary("initdb").expect("initdb (Debian package postgresql)");
        let pg_ctl = find_binary("pg_ctl").expect("pg_ctl");
        if is_root() {
            run(Command::new("chown").args(["postgres:postgres"]).arg(dir));
        }
        run(as_server_user(&initdb, None)
            .args(["-U", "postgres", "--auth=trust", "-D"])
            .arg(dir));
        configure(dir);
        if is_root() {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir));
        }
        let port = free_port();
        let mut options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {}",
            dir.display()
        );
        for setting in settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        run(as_server_user(&pg_ctl, cpus)
            .arg("-D")
            .arg(dir)
            .args(["-o", &options, "-l"])
            .arg(dir.join("log"))
            .args(["-w", "start"]));
        wait_for(port);
        Self { port, data }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres@127.0.0.1:<port>`, without a database.
    pub fn base_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }
}

/// `binary` run as the postgres user the Debian package brings when we are root (PostgreSQL
/// refuses to run as root), and confined to `cpus` when given: `taskset` execs what follows,
/// so the server inherits the confinement and hands it to every backend.
fn as_server_user(binary: &Path, cpus: Option<&str>) -> Command {
    let mut before: Vec<&str> = Vec::new();
    if let Some(cpus) = cpus {
        before.extend(["taskset", "-c", cpus]);
    }
    if is_root() {
        before.extend(["runuser", "-u", "postgres", "--"]);
    }
    match before.split_first() {
        Some((program, args)) => {
            let mut command = Command::new(program);
            command.args(args).arg(binary);
            command
        }
        None => Command::new(binary),
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        if let Some(pg_ctl) = find_binary("pg_ctl") {
            let _ = as_server_user(&pg_ctl, None)
                .arg("-D")
                .arg(self.data.path())
                .args(["-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
