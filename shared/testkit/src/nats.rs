//! NATS for tests: a subject prefix per test on the shared server, or a private server the
//! test can stop and start again.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::servers::{find_binary, listening, wait_for};

/// A prefix no other test uses, e.g. `t3f9a1c0d2b4e.`; streams and subjects carry it.
pub fn unique_prefix() -> String {
    format!("t{}.", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

/// A nats-server of the test's own, with JetStream storage that outlives a restart.
pub struct PrivateNats {
    port: u16,
    store: tempfile::TempDir,
    child: Option<Child>,
}

impl PrivateNats {
    pub fn start() -> Self {
        let port = crate::servers::free_port();
        let mut nats = Self {
            port,
            store: tempfile::tempdir().expect("temp dir"),
            child: None,
        };
        nats.resume();
        nats
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server; clients see it vanish, as in an outage.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        while listening(self.port) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Starts the server again on the same port with the same storage.
    pub fn resume(&mut self) {
        let binary: PathBuf = find_binary("nats-server").expect("nats-server installed");
        let child = Command::new(binary)
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(self.store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        self.child = Some(child);
        wait_for(self.port);
    }
}

impl Drop for PrivateNats {
    fn drop(&mut self) {
        self.stop();
    }
}
