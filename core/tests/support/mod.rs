//! Test support: the real emulator as a child process, and in-test HTTP servers that
//! misbehave on purpose.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod faulty;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub const TOKEN: &str = "conformance-token";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The emulator binary: `$PARAMSECRETS_EMULATOR`, else the workspace's debug build.
pub fn emulator_path() -> PathBuf {
    let path = std::env::var_os("PARAMSECRETS_EMULATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/debug/paramsecrets-emulator"));
    assert!(
        path.exists(),
        "emulator binary not found at {}: run `cargo build -p paramsecrets-emulator` (make test does)",
        path.display()
    );
    path
}

/// A running emulator, killed on drop.
pub struct Emulator {
    child: Child,
    pub port: u16,
}

impl Emulator {
    pub fn start(
        store: &str,
        dialect: &str,
        args: &[String],
        env: &HashMap<String, String>,
    ) -> Emulator {
        let mut child = Command::new(emulator_path())
            .args([
                "--store",
                store,
                "--dialect",
                dialect,
                "--port",
                "0",
                "--token",
                TOKEN,
            ])
            .args(args)
            .envs(env)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn emulator");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read port line");
        let port = line
            .trim()
            .strip_prefix("listening on 127.0.0.1:")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from the emulator: {line:?}"));
        Emulator { child, port }
    }

    pub fn main_store(dialect: &str) -> Emulator {
        let store = repo_root().join("conformance/stores/main.json");
        Emulator::start(
            store.to_str().expect("utf-8 path"),
            dialect,
            &[],
            &HashMap::new(),
        )
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `/_emulator/stats` as JSON.
    pub async fn stats(&self) -> serde_json::Value {
        let body = reqwest::Client::new()
            .get(format!("{}/_emulator/stats", self.endpoint()))
            .send()
            .await
            .expect("stats request")
            .bytes()
            .await
            .expect("stats body");
        serde_json::from_slice(&body).expect("stats json")
    }

    /// Requests that reached the emulator for one key, e.g. `parameter:/conf/plain`.
    pub async fn requests_for(&self, key: &str) -> u64 {
        self.stats().await["keys"][key]["requests"]
            .as_u64()
            .unwrap_or(0)
    }

    pub async fn total_requests(&self) -> u64 {
        self.stats().await["requests"].as_u64().unwrap_or(0)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port where nothing listens.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}
