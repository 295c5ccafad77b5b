//! The Lambda external extension mode, against a stand-in Lambda Extensions API: a small
//! HTTP server in the test that records what the emulator sends and hands out the events
//! the test chooses, when it chooses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Emulator, Opts, STORE, TOKEN, TempDir};

const NOT_READY: &str = "not ready to serve traffic, please wait";
const EXTENSION_ID: &str = "0b1c2d3e-stand-in-extension-id";
const INVOKE: &str = r#"{"eventType":"INVOKE","deadlineMs":1893456000000,"requestId":"req-1","invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:f","tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1"}}"#;
const SHUTDOWN: &str =
    r#"{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":1893456000000}"#;

/// One request the stand-in received.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    /// Lower-cased names.
    headers: Vec<(String, String)>,
    body: String,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The stand-in Extensions API.
struct StandIn {
    port: u16,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    events: Sender<String>,
}

impl StandIn {
    /// `register_status`: what `/extension/register` answers (200 = accept).
    fn start(register_status: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let (events, rx) = channel::<String>();
        let rx = Arc::new(Mutex::new(rx));
        let rec = recorded.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (rec, rx) = (rec.clone(), rx.clone());
                std::thread::spawn(move || serve(stream, register_status, &rec, &rx));
            }
        });
        StandIn {
            port,
            recorded,
            events,
        }
    }

    fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn recorded(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    fn next_calls(&self) -> usize {
        self.recorded()
            .iter()
            .filter(|r| r.path == "/2020-01-01/extension/event/next")
            .count()
    }

    /// Waits until the emulator has asked for its `n`th event (it is then waiting for it).
    fn wait_for_next_call(&self, n: usize) {
        assert!(
            common::eventually(Duration::from_secs(5), || self.next_calls() >= n),
            "the emulator never asked for event {n}: {:?}",
            self.recorded()
        );
    }

    fn deliver(&self, event: &str) {
        self.events.send(event.to_string()).unwrap();
    }
}

fn serve(
    stream: TcpStream,
    register_status: u16,
    recorded: &Mutex<Vec<Recorded>>,
    events: &Mutex<Receiver<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        recorded.lock().unwrap().push(Recorded {
            method: method.clone(),
            path: path.clone(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let (status, extra, body) = match (method.as_str(), path.as_str()) {
            ("POST", "/2020-01-01/extension/register") if register_status == 200 => (
                200,
                format!("Lambda-Extension-Identifier: {EXTENSION_ID}\r\n"),
                r#"{"functionName":"f","functionVersion":"$LATEST","handler":"app.handler"}"#
                    .to_string(),
            ),
            ("POST", "/2020-01-01/extension/register") => (
                register_status,
                String::new(),
                r#"{"errorMessage":"stand-in says no","errorType":"Extension.Test"}"#.to_string(),
            ),
            ("GET", "/2020-01-01/extension/event/next") => {
                // Blocks until the test delivers an event (or drops the sender).
                let Ok(event) = events.lock().unwrap().recv() else {
                    return;
                };
                (200, String::new(), event)
            }
            _ => (404, String::new(), "{}".to_string()),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

/// The emulator as Lambda starts it: no arguments, everything from the environment.
fn as_extension<'a>(api: &str) -> Opts<'a> {
    Opts::new(STORE)
        .no_args()
        .env("AWS_LAMBDA_RUNTIME_API", api)
        .env("AWS_SESSION_TOKEN", TOKEN)
}

fn get_short(emu: &Emulator) -> (common::Resp, Duration) {
    let started = Instant::now();
    let r = emu.get_param("name=/app/short");
    (r, started.elapsed())
}

#[test]
fn registers_by_file_name_then_serves_from_the_first_invoke_and_exits_on_shutdown() {
    let api = StandIn::start(200);
    // Lambda runs /opt/extensions/<file>; the name it must register under is that file name.
    let dir = TempDir::new();
    std::fs::create_dir(dir.path().join("extensions")).unwrap();
    let program = dir.path().join("extensions").join("psemu-test-ext");
    std::os::unix::fs::symlink(common::BIN, &program).unwrap();
    let mut emu = Emulator::start_with(as_extension(&api.address()).program(&program));
    api.wait_for_next_call(1);

    let calls = api.recorded();
    let register = &calls[0];
    assert_eq!(register.method, "POST");
    assert_eq!(register.path, "/2020-01-01/extension/register");
    assert_eq!(
        register.header("lambda-extension-name"),
        Some("psemu-test-ext")
    );
    let body: serde_json::Value = serde_json::from_str(&register.body).unwrap();
    assert_eq!(body, serde_json::json!({"events": ["INVOKE", "SHUTDOWN"]}));
    let next = &calls[1];
    assert_eq!(next.method, "GET");
    assert_eq!(
        next.header("lambda-extension-identifier"),
        Some(EXTENSION_ID)
    );

    // INIT: not ready (after the hold), token or not.
    let (r, _) = get_short(&emu);
    assert_eq!((r.status, r.text().as_str()), (400, NOT_READY));
    assert_eq!(emu.get_secret("secretId=dev/db").status, 400);

    api.deliver(INVOKE);
    api.wait_for_next_call(2);
    let (r, _) = get_short(&emu);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["Parameter"]["Value"], "hello");
    // Later INVOKEs change nothing.
    api.deliver(INVOKE);
    api.wait_for_next_call(3);
    assert_eq!(get_short(&emu).0.status, 200);

    api.deliver(SHUTDOWN);
    let status = emu.wait_exit(Duration::from_secs(2));
    assert_eq!(status.code(), Some(0), "{}", emu.stderr());
    assert!(
        emu.stderr().contains("SHUTDOWN (spindown)"),
        "{}",
        emu.stderr()
    );
}

#[test]
fn a_not_ready_request_gets_its_400_after_the_50ms_hold() {
    let api = StandIn::start(200);
    let emu = Emulator::start_with(as_extension(&api.address()));
    api.wait_for_next_call(1);

    // No INVOKE coming: the 400 arrives, but only after the hold.
    let (r, elapsed) = get_short(&emu);
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), NOT_READY);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert!(elapsed >= Duration::from_millis(40), "{elapsed:?}");
}

#[test]
fn a_request_held_when_the_invoke_comes_is_served() {
    // The test sees the request arrive (stats) and only then delivers the INVOKE: steps that
    // take longer than 50 ms on a slow or loaded machine (under qemu: often), so this emulator
    // holds a not-ready request for 10 s. A request that is not held gets its 400 at once, one
    // the INVOKE does not release gets it when the hold ends: either way the 200 below fails.
    let api = StandIn::start(200);
    let emu = Emulator::start_with(
        as_extension(&api.address()).env("PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS", "10000"),
    );
    api.wait_for_next_call(1);
    let port = emu.port;
    let before = emu.stats()["requests"].as_u64().unwrap();
    let request = std::thread::spawn(move || {
        common::Client::connect(port).request(
            "GET",
            "/systemsmanager/parameters/get?name=/app/short",
            &[(common::TOKEN_HEADER, TOKEN)],
        )
    });
    // Deliver only once the emulator has the request in hand (well inside the hold).
    assert!(common::eventually(Duration::from_secs(8), || {
        emu.stats()["requests"].as_u64().unwrap() > before
    }));
    api.deliver(INVOKE);
    let r = request.join().unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["Parameter"]["Value"], "hello");
}

#[test]
fn sigterm_exits_cleanly_and_shutdown_before_any_invoke_too() {
    let api = StandIn::start(200);
    let mut emu = Emulator::start_with(as_extension(&api.address()));
    api.wait_for_next_call(1);
    emu.signal("TERM");
    assert_eq!(emu.wait_exit(Duration::from_secs(2)).code(), Some(0));

    let api = StandIn::start(200);
    let mut emu = Emulator::start_with(as_extension(&api.address()));
    api.wait_for_next_call(1);
    api.deliver(SHUTDOWN);
    assert_eq!(emu.wait_exit(Duration::from_secs(2)).code(), Some(0));
}

#[test]
fn the_port_listens_before_registration() {
    // The stand-in refuses; the emulator was already listening when it tried.
    let api = StandIn::start(500);
    let mut emu = Emulator::start_with(as_extension(&api.address()));
    let status = emu.wait_exit(Duration::from_secs(5));
    assert_eq!(status.code(), Some(1));
    let stderr = emu.stderr();
    assert!(stderr.contains("refused the registration"), "{stderr}");
    assert!(stderr.contains("500"), "{stderr}");
    assert!(stderr.contains(&api.address()), "{stderr}");
    assert!(stderr.contains("stand-in says no"), "{stderr}");
    assert!(
        emu.line.starts_with("listening on 127.0.0.1:"),
        "{}",
        emu.line
    );
}

#[test]
fn registration_with_nothing_listening_fails_clearly() {
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let address = format!("127.0.0.1:{closed}");
    let mut emu = Emulator::start_with(as_extension(&address));
    let status = emu.wait_exit(Duration::from_secs(5));
    assert_eq!(status.code(), Some(1));
    let stderr = emu.stderr();
    assert!(
        stderr.contains("cannot register with the Lambda Extensions API"),
        "{stderr}"
    );
    assert!(stderr.contains(&address), "{stderr}");
}

#[test]
fn an_empty_session_token_counts_as_unset() {
    // RIE passes AWS_SESSION_TOKEN="" when its own environment has none.
    let api = StandIn::start(200);
    let dir = TempDir::new();
    let (mut cmd, _, stderr_path) = common::command(
        dir.path(),
        &Opts::new(STORE)
            .no_args()
            .env("AWS_LAMBDA_RUNTIME_API", &api.address())
            .env("AWS_SESSION_TOKEN", ""),
    );
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = std::fs::read_to_string(stderr_path).unwrap();
    assert!(stderr.contains("AWS_SESSION_TOKEN"), "{stderr}");
    // Nothing registered: a misconfigured extension must not look healthy to Lambda.
    assert!(api.recorded().is_empty());
}

#[test]
fn agent_dialect_as_an_extension_resets_until_invoke() {
    let api = StandIn::start(200);
    let emu = Emulator::start_with(
        as_extension(&api.address()).env("PARAMSECRETS_EMULATOR_DIALECT", "agent"),
    );
    assert!(emu.line.ends_with("dialect=agent"), "{}", emu.line);
    api.wait_for_next_call(1);
    let refused = common::Client::connect(emu.port).try_request("GET", "/ping", &[]);
    assert!(refused.is_err(), "{refused:?}");
    api.deliver(INVOKE);
    api.wait_for_next_call(2);
    let r = emu.request("GET", "/ping", &[]);
    assert_eq!((r.status, r.text().as_str()), (200, "healthy"));
}
