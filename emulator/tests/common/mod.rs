//! Test harness: starts the real binary on a free port and talks raw HTTP/1.1 to it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const BIN: &str = env!("CARGO_BIN_EXE_paramsecrets-emulator");
pub const TOKEN: &str = "test-token-0123456789";
pub const TOKEN_HEADER: &str = "X-Aws-Parameters-Secrets-Token";

/// Every variable the emulator reads, removed from the child's environment so the test
/// runner's own environment cannot leak in.
pub const ENV_VARS: [&str; 19] = [
    "PARAMSECRETS_EMULATOR_UPSTREAM_LATENCY_MS",
    "PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS",
    "PARAMSECRETS_EMULATOR_UPSTREAM_DOWN",
    "PARAMSECRETS_EMULATOR_NOT_FOUND_STATUS",
    "PARAMSECRETS_EMULATOR_CONNECTION_LIFETIME",
    "AWS_LAMBDA_RUNTIME_API",
    "PARAMSECRETS_EMULATOR_STORE",
    "PARAMSECRETS_EMULATOR_DIALECT",
    "PARAMSECRETS_TOKEN",
    "AWS_TOKEN",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
    "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED",
    "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE",
    "SSM_PARAMETER_STORE_TTL",
    "SECRETS_MANAGER_TTL",
    "PARAMSECRETS_EMULATOR_LOG",
    "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL",
];

/// The store from the task description, plus names that exercise query decoding.
pub const STORE: &str = r#"{
  "parameters": [
    {"name": "/app/short", "value": "hello"},
    {"name": "/app/full", "type": "SecureString", "data_type": "text",
     "versions": [
       {"version": 1, "value": "v1", "labels": ["old"], "last_modified": "2024-01-02T03:04:05.678Z"},
       {"version": 2, "value": "v2", "labels": ["Dev", "Prod"]}
     ]},
    {"name": "/app/list", "type": "StringList", "value": "a,b,c"},
    {"name": "/app/denied", "error": "AccessDeniedException"},
    {"name": "/app/raw", "respond": {"status": 200, "body": "this is not json", "content_type": "text/plain", "headers": {"x-test": "1"}}},
    {"name": "/app/slow", "value": "x", "delay_ms": 300},
    {"name": "/app/a b", "value": "space"},
    {"name": "/app/a+b", "value": "plus"},
    {"name": "/app/été/ü", "value": "unicode"}
  ],
  "secrets": [
    {"name": "dev/db", "string": "{\"username\":\"u\"}"},
    {"name": "bin", "binary_base64": "AAEC/w=="},
    {"name": "rotated", "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rotated-AbCdEf",
     "versions": [
       {"version_id": "11111111-1111-1111-1111-111111111111", "stages": ["AWSPREVIOUS"], "string": "old", "created": "2024-01-01T00:00:00Z"},
       {"version_id": "22222222-2222-2222-2222-222222222222", "stages": ["AWSCURRENT"], "string": "new", "created": "2024-02-03T04:05:06.789Z"}
     ]},
    {"name": "denied", "error": "AccessDeniedException"},
    {"name": "broken", "error": "InternalServerError"},
    {"name": "throttled", "error": "ThrottlingException", "error_status": 429},
    {"name": "raw", "respond": {"status": 503, "body": "upstream sad"}},
    {"name": "with space/x+y", "string": "spaced"}
  ]
}"#;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "psemu-test-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How to start an emulator.
pub struct Opts<'a> {
    pub store: &'a str,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Pass `--token TOKEN` (default true).
    pub token_flag: bool,
    /// Pass `--store` and `--port 0` (default true). Without them the store path goes in
    /// `PARAMSECRETS_EMULATOR_STORE` and port 0 in `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`,
    /// as in the Lambda extension mode, which Lambda starts with no arguments.
    pub store_flag: bool,
    /// The executable to run (default [`BIN`]), e.g. a symlink with another file name.
    pub program: Option<PathBuf>,
}

impl<'a> Opts<'a> {
    pub fn new(store: &'a str) -> Self {
        Self {
            store,
            args: Vec::new(),
            env: Vec::new(),
            token_flag: true,
            store_flag: true,
            program: None,
        }
    }

    /// No arguments at all: the store path and port come from the environment.
    pub fn no_args(mut self) -> Self {
        self.store_flag = false;
        self.token_flag = false;
        self
    }

    pub fn program(mut self, path: &Path) -> Self {
        self.program = Some(path.to_path_buf());
        self
    }

    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.to_string());
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.to_string(), v.to_string()));
        self
    }

    pub fn no_token_flag(mut self) -> Self {
        self.token_flag = false;
        self
    }
}

pub struct Emulator {
    pub child: Child,
    pub port: u16,
    /// From spawn to the first stdout line.
    pub started_in: Duration,
    pub line: String,
    pub dir: TempDir,
    pub store_path: PathBuf,
    pub stderr_path: PathBuf,
    stdout: BufReader<ChildStdout>,
}

pub fn command(dir: &Path, opts: &Opts<'_>) -> (Command, PathBuf, PathBuf) {
    let store_path = dir.join("store.json");
    std::fs::write(&store_path, opts.store).unwrap();
    let stderr_path = dir.join("stderr.log");
    let mut cmd = Command::new(opts.program.as_deref().unwrap_or(Path::new(BIN)));
    for var in ENV_VARS {
        cmd.env_remove(var);
    }
    if opts.store_flag {
        cmd.arg("--store").arg(&store_path).arg("--port").arg("0");
    } else {
        cmd.env("PARAMSECRETS_EMULATOR_STORE", &store_path)
            .env("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "0");
    }
    if opts.token_flag {
        cmd.arg("--token").arg(TOKEN);
    }
    cmd.args(&opts.args);
    for (k, v) in &opts.env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(File::create(&stderr_path).unwrap()));
    (cmd, store_path, stderr_path)
}

impl Emulator {
    pub fn start(store: &str) -> Self {
        Self::start_with(Opts::new(store))
    }

    pub fn start_with(opts: Opts<'_>) -> Self {
        let dir = TempDir::new();
        let (mut cmd, store_path, stderr_path) = command(dir.path(), &opts);
        let started = Instant::now();
        let mut child = cmd.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        if line.is_empty() {
            let status = child.wait().unwrap();
            panic!(
                "emulator exited ({status}) before listening; stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        // How fast that was is checked once, by `starts_in_milliseconds` (process.rs), not by
        // every test that needs an emulator: under qemu a start costs ~0.3 s of CPU, which a
        // machine at load 15 on two cores stretched past that test's bound, failing tests of
        // other things.
        let started_in = started.elapsed();
        let line = line.trim_end().to_string();
        let port = parse_port(&line);
        Emulator {
            child,
            port,
            started_in,
            line,
            dir,
            store_path,
            stderr_path,
            stdout,
        }
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    pub fn client(&self) -> Client {
        Client::connect(self.port)
    }

    /// One request on a fresh connection.
    pub fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Resp {
        self.client().request(method, target, headers)
    }

    /// GET with the right token.
    pub fn get(&self, target: &str) -> Resp {
        self.request("GET", target, &[(TOKEN_HEADER, TOKEN)])
    }

    pub fn get_param(&self, query: &str) -> Resp {
        self.get(&format!("/systemsmanager/parameters/get?{query}"))
    }

    pub fn get_secret(&self, query: &str) -> Resp {
        self.get(&format!("/secretsmanager/get?{query}"))
    }

    pub fn stats(&self) -> serde_json::Value {
        let r = self.request("GET", "/_emulator/stats", &[]);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// `POST /_emulator/knobs` with a JSON body; returns the answer whatever its status.
    pub fn post_knobs(&self, body: &str) -> Resp {
        self.client()
            .try_request_with_body("POST", "/_emulator/knobs", &[], body)
            .unwrap()
    }

    pub fn knobs(&self) -> serde_json::Value {
        let r = self.request("GET", "/_emulator/knobs", &[]);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    pub fn reset(&self) {
        let r = self.request("POST", "/_emulator/reset", &[]);
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// Sends `SIG<sig>` (HUP, INT or TERM) to the emulator with kill(2). Not through kill(1):
    /// the aarch64 build root has no such program, and under qemu-user a failed exec is not
    /// reported to the spawner (glibc's posix_spawn relies on vfork sharing memory, which qemu
    /// emulates as a plain fork), so the spawn seems to succeed and only the exit status fails.
    pub fn signal(&self, sig: &str) {
        let signo = match sig {
            "HUP" => libc::SIGHUP,
            "INT" => libc::SIGINT,
            "TERM" => libc::SIGTERM,
            other => panic!("signal {other} is not one the tests send"),
        };
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) takes plain integers; the pid is our own child, not yet reaped.
        let rc = unsafe { libc::kill(pid, signo) };
        assert_eq!(
            rc,
            0,
            "kill({pid}, SIG{sig}): {}",
            std::io::Error::last_os_error()
        );
    }

    /// Waits for the process to exit (after a signal), with a deadline.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "emulator did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whatever the emulator wrote to stdout after its first line (call after it exited).
    pub fn rest_of_stdout(&mut self) -> String {
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        rest
    }

    /// Replaces the store file the way an editor would (write a temp file, rename over).
    pub fn rewrite_store(&self, text: &str) {
        let tmp = self.dir.path().join("store.json.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &self.store_path).unwrap();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn parse_port(line: &str) -> u16 {
    let rest = line
        .strip_prefix("listening on 127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let (port, dialect) = rest.split_once(' ').unwrap();
    assert!(dialect.starts_with("dialect="), "{line}");
    port.parse().unwrap()
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    /// Lower-cased header names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// A blocking keep-alive HTTP/1.1 client: enough for Content-Length responses.
pub struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    pub fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    pub fn try_request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
    ) -> std::io::Result<Resp> {
        self.try_request_with_body(method, target, headers, "")
    }

    pub fn try_request_with_body(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> std::io::Result<Resp> {
        let mut req = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if method == "POST" || method == "PUT" || !body.is_empty() {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.reader.get_mut().write_all(req.as_bytes())?;
        read_response(&mut self.reader)
    }

    pub fn request(&mut self, method: &str, target: &str, headers: &[(&str, &str)]) -> Resp {
        self.try_request(method, target, headers)
            .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
    }
}

pub fn read_response<R: BufRead>(reader: &mut R) -> std::io::Result<Resp> {
    let mut status_line = String::new();
    if reader.read_line(&mut status_line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// Polls `f` until it returns true or the deadline passes.
pub fn eventually(within: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if f() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}
