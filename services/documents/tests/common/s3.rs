//! A real S3-compatible server for the tests: the one `HOUSING_TEST_S3_URL` names (a moto
//! server, say, that CI keeps running), else moto's `moto_server` started on a free loopback
//! port for one test and stopped with it. Moto takes unsigned requests, which is how the
//! tests make buckets and look for unfinished uploads without an S3 client of their own.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use housing_testkit::servers::{find_binary, free_port, with_lock};

const STARTS_WITHIN: Duration = Duration::from_secs(60);
/// What deploy/local/test.sh installs too.
const MOTO: &str = "moto[server]>=5,<6";

pub struct S3Server {
    addr: SocketAddr,
    /// The server started for this test, and the file its log goes to.
    started: Option<(Child, tempfile::NamedTempFile)>,
}

impl S3Server {
    /// The server named by `HOUSING_TEST_S3_URL`, or a moto server of the test's own.
    /// Panics, saying why, when there is neither.
    pub fn start() -> Self {
        if let Ok(url) = std::env::var("HOUSING_TEST_S3_URL") {
            let authority = url.trim_start_matches("http://").trim_end_matches('/');
            let addr = authority
                .parse()
                .unwrap_or_else(|_| panic!("HOUSING_TEST_S3_URL={url}: want http://IP:PORT"));
            return Self {
                addr,
                started: None,
            };
        }
        let port = free_port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log file"))
            .spawn()
            .expect("moto_server runs");
        let mut server = Self {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            started: Some((child, log)),
        };
        server.wait_until_listening();
        server
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + STARTS_WITHIN;
        let (child, log) = self.started.as_mut().expect("started here");
        while TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_err() {
            let exited = child.try_wait().expect("moto_server's status");
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "moto_server did not start on {} ({}); its log:\n{}",
                    self.addr,
                    exited.map_or("still not listening".into(), |s| s.to_string()),
                    std::fs::read_to_string(log.path()).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A new, empty bucket of its own name.
    pub fn bucket(&self) -> Bucket {
        let bucket = Bucket {
            name: format!("documents-{}", uuid::Uuid::now_v7().simple()),
            addr: self.addr,
            endpoint: format!("http://{}", self.addr),
        };
        let (status, response) = bucket.request("PUT", "");
        assert_eq!(status, 200, "bucket {} made: {response}", bucket.name);
        bucket
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some((mut child, _log)) = self.started.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub struct Bucket {
    pub name: String,
    addr: SocketAddr,
    endpoint: String,
}

impl Bucket {
    /// The variables that keep the service's documents in this bucket.
    pub fn vars(&self) -> Vec<(&str, &str)> {
        vec![
            ("HOUSING__SERVICE__STORAGE__KIND", "s3"),
            ("HOUSING__SERVICE__STORAGE__S3__BUCKET", &self.name),
            ("HOUSING__SERVICE__STORAGE__S3__ENDPOINT", &self.endpoint),
            ("HOUSING__SERVICE__STORAGE__S3__ALLOW_HTTP", "true"),
            ("HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID", "test"),
            ("HOUSING__SERVICE__STORAGE__S3__SECRET_ACCESS_KEY", "test"),
        ]
    }

    /// Multipart uploads begun in the bucket and neither finished nor aborted.
    pub fn unfinished_uploads(&self) -> usize {
        let (status, response) = self.request("GET", "?uploads");
        assert_eq!(status, 200, "uploads listed: {response}");
        response.matches("<UploadId>").count()
    }

    /// One plain HTTP/1.1 request about the bucket: (status, the whole response).
    fn request(&self, method: &str, query: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).expect("S3 server answers");
        write!(
            stream,
            "{method} /{}{query} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.name, self.addr
        )
        .expect("request sent");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("an HTTP response: {response}"));
        (status, response)
    }
}

/// `moto_server`, installed from PyPI first when missing, as deploy/local/test.sh does.
fn moto_server() -> PathBuf {
    if let Some(found) = find_moto_server() {
        return found;
    }
    // Test processes run side by side: one installs, the rest wait and find it.
    with_lock("moto-install", || {
        if let Some(found) = find_moto_server() {
            return found;
        }
        let installed = Command::new("python3")
            .args(["-m", "pip", "install", "-q", MOTO])
            .output();
        find_moto_server().unwrap_or_else(|| {
            panic!(
                "no moto_server for the S3 tests, and installing it (python3 -m pip install \
             '{MOTO}') did not bring one: {}",
                match installed {
                    Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                    Err(error) => error.to_string(),
                }
            )
        })
    })
}

/// On the PATH, or where pip puts python3's scripts (not on the PATH of every set-up).
fn find_moto_server() -> Option<PathBuf> {
    find_binary("moto_server").or_else(|| {
        let output = Command::new("python3")
            .args([
                "-c",
                "import sysconfig; print(sysconfig.get_path('scripts'))",
            ])
            .output()
            .ok()?;
        let scripts = String::from_utf8(output.stdout).ok()?;
        Some(PathBuf::from(scripts.trim()).join("moto_server")).filter(|p| p.is_file())
    })
}
