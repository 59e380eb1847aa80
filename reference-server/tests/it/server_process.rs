//! The server binary as a child process on a free port, with a configuration file and a descriptor limit, and a
//! bare HTTP/1.1 client over std sockets: what the abuse tests attack, measuring the process's resident memory from
//! `/proc/<pid>/statm` and each answer's time. `REFERENCE_SERVER_BIN` names another build to attack (an older one, to
//! see the attacks succeed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running `reference-server`, killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub address: SocketAddr,
    name: String,
    /// Kept open: the server writes its start-up lines here.
    _stdout: BufReader<ChildStdout>,
}

impl ServerProcess {
    /// Starts the binary with `config` (TOML) and at most `descriptors` open files.
    pub fn start(name: &str, config: &str, descriptors: u32) -> ServerProcess {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.toml"));
        std::fs::write(&path, config).expect("the config file is written");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -n {descriptors} && exec \"$0\" \"$@\""))
            .arg(
                std::env::var("REFERENCE_SERVER_BIN")
                    .unwrap_or_else(|_| env!("CARGO_BIN_EXE_reference-server").to_owned()),
            )
            .args(["--listen", "127.0.0.1:0", "--config"])
            .arg(&path)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(Self::log_path(name)).expect("the log file is created"))
            .spawn()
            .expect("the server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut line = String::new();
        let address = loop {
            line.clear();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the server exited before listening");
            }
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let address = rest.split_whitespace().next().unwrap_or("");
                break address.parse().expect("a socket address");
            }
        };
        ServerProcess {
            child,
            address,
            name: name.to_owned(),
            _stdout: stdout,
        }
    }

    fn log_path(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.log"))
    }

    /// What the server logged to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(Self::log_path(&self.name)).unwrap_or_default()
    }

    /// Resident memory in MiB.
    pub fn rss_mib(&self) -> f64 {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.child.id()))
            .expect("the server is running");
        let pages: f64 = statm
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .expect("statm has a resident field");
        pages * 4096.0 / (1024.0 * 1024.0)
    }

    /// Sends one request (`Connection: close`) and reads the whole answer, waiting at most `wait`.
    pub fn request(&self, head: &str, body: &[u8], wait: Duration) -> Answer {
        let started = Instant::now();
        let mut stream = TcpStream::connect(self.address).expect("the server accepts");
        stream.set_read_timeout(Some(wait)).unwrap();
        let mut request = format!("{head}Host: {}\r\nConnection: close\r\n", self.address);
        if !body.is_empty() || head.starts_with("POST") {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        // A server that refuses early may close before the whole body is written.
        let _ = stream.write_all(body);
        read_answer(&mut stream, started)
    }

    /// POSTs a GraphQL document as JSON, with an Authorization header when given.
    pub fn graphql(&self, path: &str, authorization: Option<&str>, query: &str) -> Answer {
        let body = serde_json::json!({ "query": query }).to_string();
        let auth = authorization.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
        self.request(
            &format!("POST {path} HTTP/1.1\r\nContent-Type: application/json\r\n{auth}"),
            body.as_bytes(),
            Duration::from_secs(20),
        )
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer read off a socket, or how the socket ended.
#[derive(Debug)]
pub struct Answer {
    /// The status, or 0 when the connection closed (or timed out) without one.
    pub status: u16,
    pub body: Value,
    pub elapsed: Duration,
    /// Whether reading stopped at the client's timeout rather than at the end of the answer.
    pub timed_out: bool,
}

/// Reads until the server closes the connection or the read timeout passes.
pub fn read_answer(stream: &mut TcpStream, started: Instant) -> Answer {
    let mut bytes = Vec::new();
    let timed_out = match stream.read_to_end(&mut bytes) {
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    };
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()));
    Answer {
        status,
        body,
        elapsed: started.elapsed(),
        timed_out,
    }
}
