//! The client against the emulator's models of what real servers do upstream: AWS down
//! behind the Agent, a slow upstream, the Agent's connection lifetime cap, and `refreshNow`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use paramsecrets::{Client, ClientBuilder, ErrorCode, ReadOptions, SecretRequest};
use support::{Emulator, TOKEN};

/// A store of `n` string secrets `s0`…`s{n-1}`, written to a temporary file.
fn store_of(n: usize, tag: &str) -> std::path::PathBuf {
    let secrets: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"name": format!("s{i}"), "string": format!("value-{i}")}))
        .collect();
    let path = std::env::temp_dir().join(format!(
        "paramsecrets-upstream-{tag}-{}.json",
        std::process::id()
    ));
    std::fs::write(
        &path,
        serde_json::json!({"parameters": [], "secrets": secrets}).to_string(),
    )
    .unwrap();
    path
}

fn start(store: &std::path::Path, dialect: &str, args: &[&str], env: &[(&str, &str)]) -> Emulator {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Emulator::start(store.to_str().unwrap(), dialect, &args, &env)
}

fn builder(emulator: &Emulator) -> ClientBuilder {
    Client::builder()
        .endpoint(emulator.endpoint())
        .token(TOKEN)
        .env(HashMap::new())
        // Only the server's cache: every read goes to it.
        .ttl(Duration::ZERO)
}

async fn knobs(emulator: &Emulator, body: serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/_emulator/knobs", emulator.endpoint()))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
}

#[tokio::test]
async fn with_aws_down_every_read_gets_the_agents_answer_within_the_deadline() {
    let store = store_of(20, "down");
    // The Agent's cache expires after 1 s, so the first ten are stale when AWS goes away.
    let emulator = start(&store, "agent", &[], &[("SECRETS_MANAGER_TTL", "1")]);
    let client = builder(&emulator).build().unwrap();
    for i in 0..10 {
        let s = client
            .get_secret(
                &SecretRequest::new(&format!("s{i}")),
                ReadOptions::default(),
            )
            .await
            .unwrap();
        assert_eq!(s.secret_string(), Some(format!("value-{i}").as_str()));
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // About as long as the Agent's own SDK retries take against an unreachable AWS.
    knobs(
        &emulator,
        serde_json::json!({"upstream_down": true, "upstream_latency_ms": 2200}),
    )
    .await;
    let started = Instant::now();
    let reads = (0..20).map(|i| {
        let client = client.clone();
        async move {
            let id = format!("s{i}");
            let r = client
                .get_secret(&SecretRequest::new(&id), ReadOptions::default())
                .await;
            (i, r, started.elapsed())
        }
    });
    let results = futures_util::future::join_all(reads).await;
    let deadline = client.config().deadline;
    for (i, r, took) in results {
        assert!(took < deadline, "s{i} took {took:?}");
        match r {
            Ok(s) => {
                assert!(i < 10, "s{i} was never cached, yet a value came back");
                assert_eq!(s.secret_string(), Some(format!("value-{i}").as_str()));
            }
            Err(e) => {
                assert!(
                    i >= 10,
                    "s{i} was cached: expected its stale value, got {e:?}"
                );
                assert_eq!(e.code(), ErrorCode::Upstream, "{e:?}");
                assert_eq!(e.aws_type(), Some("ConnectionError"));
                assert_eq!(e.status(), Some(502));
                assert_eq!(e.attempts(), 1, "no second round of upstream work");
            }
        }
    }
    let _ = std::fs::remove_file(store);
}

#[tokio::test]
async fn with_aws_down_the_extension_answers_its_generic_400_every_time() {
    let store = store_of(5, "down-ext");
    let emulator = start(&store, "extension", &["--upstream-down"], &[]);
    knobs(&emulator, serde_json::json!({"upstream_latency_ms": 300})).await;
    let client = builder(&emulator).build().unwrap();
    for i in 0..5 {
        let err = client
            .get_secret(
                &SecretRequest::new(&format!("s{i}")),
                ReadOptions::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFoundOrDenied, "{err:?}");
    }
    let _ = std::fs::remove_file(store);
}

#[tokio::test]
async fn an_upstream_slower_than_one_attempt_but_inside_the_deadline_is_read() {
    let store = store_of(1, "slow");
    let emulator = start(&store, "agent", &[], &[]);
    knobs(&emulator, serde_json::json!({"upstream_latency_ms": 400})).await;
    let client = builder(&emulator)
        .timeout(Duration::from_millis(150))
        .deadline(Duration::from_millis(2000))
        .build()
        .unwrap();
    let s = client
        .get_secret(&SecretRequest::new("s0"), ReadOptions::default())
        .await
        .unwrap();
    assert_eq!(s.secret_string(), Some("value-0"));
    assert_eq!(client.stats().requests, 2);
    let _ = std::fs::remove_file(store);
}

#[tokio::test]
async fn connections_the_server_closes_are_replaced_without_errors() {
    let store = store_of(1, "lifetime");
    let emulator = start(&store, "agent", &["--connection-lifetime", "0.2"], &[]);
    let client = builder(&emulator).build().unwrap();
    let started = Instant::now();
    let mut reads = 0;
    // At least 1.5 s (seven lifetimes: the server closes connections under the client's pool
    // again and again) and at least 50 reads, however slow reads are here (emulated on a loaded
    // machine, 46 reads took the 1.5 s).
    while started.elapsed() < Duration::from_millis(1500) || reads <= 50 {
        let s = client
            .get_secret(&SecretRequest::new("s0"), ReadOptions::default())
            .await
            .unwrap_or_else(|e| panic!("read {reads} failed: {e:?}"));
        assert_eq!(s.secret_string(), Some("value-0"));
        reads += 1;
    }
    assert_eq!(client.stats().errors, 0);
    let _ = std::fs::remove_file(store);
}

#[tokio::test]
async fn force_fetch_sends_refresh_now_once_the_client_knows_the_agent() {
    let store = store_of(1, "refresh");
    for (dialect, sent) in [("agent", 1), ("extension", 0)] {
        let emulator = start(&store, dialect, &[], &[]);
        let client = builder(&emulator).build().unwrap();
        let req = SecretRequest::new("s0");
        client
            .get_secret(&req, ReadOptions::default())
            .await
            .unwrap();
        client
            .get_secret(&req, ReadOptions::default().force_fetch(true))
            .await
            .unwrap();
        let stats = emulator.stats().await;
        assert_eq!(stats["keys"]["secret:s0"]["refresh_now"], sent, "{dialect}");
        assert_eq!(
            client.server().as_str(),
            dialect,
            "learned from the first answer"
        );
    }
    let _ = std::fs::remove_file(store);
}
