//! Values and the token never appear in Debug output, log lines or error messages, on the
//! success path or on any error path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use paramsecrets::{Client, ParameterRequest, ReadOptions, SecretRequest};
use support::faulty::{FaultyServer, status};
use support::{Emulator, repo_root};

/// Captures every log record at every level.
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {}", record.target(), record.args()));
    }
    fn flush(&self) {}
}

static LOGS: Capture = Capture(Mutex::new(Vec::new()));

const TOKEN: &str = "tok-3f9a-do-not-print";
const SECRETS: [&str; 4] = ["conformance-pw", "s3cure-value", "AAEC/w==", TOKEN];

#[tokio::test]
async fn no_value_or_token_in_debug_logs_or_errors() {
    log::set_logger(&LOGS).unwrap();
    log::set_max_level(log::LevelFilter::Trace);

    let store = repo_root().join("conformance/stores/main.json");
    let mut seen = Vec::new();
    for dialect in ["extension", "agent"] {
        let emulator = Emulator::start(
            store.to_str().unwrap(),
            dialect,
            &["--token".to_string(), TOKEN.to_string()],
            &HashMap::new(),
        );
        let client = Client::builder()
            .endpoint(emulator.endpoint())
            .token(TOKEN)
            .env(HashMap::new())
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        seen.push(format!("{client:?} {:?}", client.config()));
        let wrong = Client::builder()
            .endpoint(emulator.endpoint())
            .token(format!("{TOKEN}-wrong"))
            .env(HashMap::new())
            .build()
            .unwrap();
        for id in [
            "conf/string",
            "conf/binary",
            "conf/missing",
            "conf/denied",
            "conf/garbage",
            "",
        ] {
            let r = client
                .get_secret(&SecretRequest::new(id), ReadOptions::default())
                .await;
            seen.push(format!("{r:?}"));
            if let Err(e) = r {
                seen.push(format!("{e} {}", e.message()));
            }
            seen.push(format!(
                "{:?}",
                wrong
                    .get_secret(&SecretRequest::new(id), ReadOptions::default())
                    .await
            ));
        }
        for name in ["/conf/secure", "/conf/garbage", "/conf/slow", "/conf/busy"] {
            let r = client
                .get_parameter(&ParameterRequest::new(name), ReadOptions::default())
                .await;
            seen.push(format!("{r:?}"));
        }
    }
    // An error body that echoes the request must not leak through either.
    let server = FaultyServer::start(|_| status(500, "upstream said: s3cure-value"));
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token(TOKEN)
        .env(HashMap::new())
        .build()
        .unwrap();
    let r = client
        .get_parameter(&ParameterRequest::new("/p"), ReadOptions::default())
        .await;
    seen.push(format!("{r:?}"));
    if let Err(e) = r {
        seen.push(e.to_string());
    }

    let logs = LOGS.0.lock().unwrap().clone();
    assert!(
        logs.iter().any(|l| l.contains("paramsecrets")),
        "debug logging is exercised"
    );
    for text in seen.iter().chain(logs.iter()) {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret:?} leaked in: {text}");
        }
    }
    assert!(seen.iter().any(|s| s.contains("[REDACTED]")));
}
