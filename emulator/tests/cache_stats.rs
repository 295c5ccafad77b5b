//! The emulator's own cache (the extension's environment variables) and `/_emulator/*`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{Emulator, Opts, STORE, TOKEN, TOKEN_HEADER};
use serde_json::json;

#[test]
fn default_cache_serves_repeats_without_upstream_calls() {
    let emu = Emulator::start(STORE);
    for _ in 0..10 {
        assert_eq!(emu.get_param("name=/app/short").status, 200);
    }
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(
        emu.stats(),
        json!({
            "requests": 12, "upstream_calls": 2, "cache_hits": 10, "errors": 0, "refresh_now": 0, "stale_served": 0, "not_ready": 0,
            "keys": {
                "parameter:/app/short": {"requests": 10, "upstream_calls": 1, "refresh_now": 0, "stale_served": 0},
                "secret:dev/db": {"requests": 2, "upstream_calls": 1, "refresh_now": 0, "stale_served": 0}
            }
        })
    );
}

#[test]
fn the_cache_key_is_the_full_request() {
    let emu = Emulator::start(STORE);
    for q in [
        "name=/app/full",
        "name=/app/full&withDecryption=true",
        "name=/app/full&withDecryption=true&version=1",
        "name=/app/full&withDecryption=true&label=old",
        "name=/app/full&withDecryption=true&version=1",
    ] {
        assert_eq!(emu.get_param(q).status, 200);
    }
    assert_eq!(
        emu.stats()["keys"]["parameter:/app/full"],
        json!({"requests": 5, "upstream_calls": 4, "refresh_now": 0, "stale_served": 0})
    );
    // A cached SecureString read without decryption does not leak the decrypted one.
    assert_ne!(
        emu.get_param("name=/app/full").json()["Parameter"]["Value"],
        "v2"
    );
}

#[test]
fn ttl_zero_makes_every_request_an_upstream_call() {
    let emu = Emulator::start_with(Opts::new(STORE).env("SSM_PARAMETER_STORE_TTL", "0"));
    for _ in 0..5 {
        assert_eq!(emu.get_param("name=/app/short").status, 200);
    }
    // Secrets keep their own TTL.
    for _ in 0..3 {
        assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    }
    let stats = emu.stats();
    assert_eq!(
        stats["keys"]["parameter:/app/short"],
        json!({"requests": 5, "upstream_calls": 5, "refresh_now": 0, "stale_served": 0})
    );
    assert_eq!(
        stats["keys"]["secret:dev/db"],
        json!({"requests": 3, "upstream_calls": 1, "refresh_now": 0, "stale_served": 0})
    );
}

#[test]
fn cache_can_be_disabled_or_sized_to_zero() {
    for (var, value) in [
        ("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "FALSE"),
        ("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "false"),
        ("PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", "0"),
        ("SECRETS_MANAGER_TTL", "0"),
    ] {
        let emu = Emulator::start_with(Opts::new(STORE).env(var, value));
        for _ in 0..3 {
            assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
        }
        let stats = emu.stats();
        assert_eq!(stats["upstream_calls"], 3, "{var}={value}");
        assert_eq!(stats["cache_hits"], 0, "{var}={value}");
    }
}

#[test]
fn entries_expire_after_the_ttl() {
    let emu = Emulator::start_with(Opts::new(STORE).env("SSM_PARAMETER_STORE_TTL", "1"));
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    assert_eq!(emu.stats()["upstream_calls"], 1);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    assert_eq!(emu.stats()["upstream_calls"], 2);
}

#[test]
fn ttl_over_300_is_clamped_with_a_warning_in_extension_dialect() {
    let emu = Emulator::start_with(
        Opts::new(STORE)
            .env("SSM_PARAMETER_STORE_TTL", "900")
            .env("SECRETS_MANAGER_TTL", "301"),
    );
    let log = emu.stderr();
    assert!(
        log.contains("SSM_PARAMETER_STORE_TTL exceeds max limit"),
        "{log}"
    );
    assert!(
        log.contains("SECRETS_MANAGER_TTL exceeds max limit"),
        "{log}"
    );
    assert!(log.contains("5m0s"), "{log}");
}

#[test]
fn errors_are_counted_and_never_cached() {
    let emu = Emulator::start(STORE);
    for _ in 0..3 {
        assert_eq!(emu.get_param("name=/nope").status, 400);
        assert_eq!(emu.get_secret("secretId=denied").status, 400);
    }
    let stats = emu.stats();
    assert_eq!(stats["errors"], 6);
    assert_eq!(stats["upstream_calls"], 6);
    assert_eq!(
        stats["keys"]["parameter:/nope"],
        json!({"requests": 3, "upstream_calls": 3, "refresh_now": 0, "stale_served": 0})
    );
}

#[test]
fn rejected_requests_count_but_have_no_key() {
    let emu = Emulator::start(STORE);
    let r = emu.request(
        "GET",
        "/secretsmanager/get?secretId=dev/db",
        &[(TOKEN_HEADER, "bad")],
    );
    assert_eq!(r.status, 401);
    let r = emu.request(
        "POST",
        "/secretsmanager/get?secretId=dev/db",
        &[(TOKEN_HEADER, TOKEN)],
    );
    assert_eq!(r.status, 405);
    assert_eq!(emu.get_param("").status, 400);
    // Not an API route: not counted at all.
    assert_eq!(emu.get("/elsewhere").status, 404);
    assert_eq!(
        emu.stats(),
        json!({"requests": 3, "upstream_calls": 0, "cache_hits": 0, "errors": 3, "refresh_now": 0, "stale_served": 0, "not_ready": 0, "keys": {}})
    );
}

#[test]
fn reset_zeroes_counters_and_empties_the_cache() {
    let emu = Emulator::start(STORE);
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    emu.reset();
    assert_eq!(
        emu.stats(),
        json!({"requests": 0, "upstream_calls": 0, "cache_hits": 0, "errors": 0, "refresh_now": 0, "stale_served": 0, "not_ready": 0, "keys": {}})
    );
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    assert_eq!(emu.stats()["upstream_calls"], 1, "the cache was emptied");
    // Wrong methods.
    assert_eq!(emu.request("GET", "/_emulator/reset", &[]).status, 405);
    assert_eq!(emu.request("POST", "/_emulator/stats", &[]).status, 405);
}

#[test]
fn stats_and_reset_work_in_agent_dialect_without_token() {
    let emu = Emulator::start_with(Opts::new(STORE).arg("--dialect").arg("agent"));
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(emu.get("/v1/dev/db").status, 200);
    assert_eq!(emu.request("GET", "/v1/dev/db", &[]).status, 403);
    assert_eq!(emu.request("GET", "/ping", &[]).status, 200);
    let stats = emu.stats();
    assert_eq!(stats["requests"], 3);
    assert_eq!(stats["errors"], 1);
    assert_eq!(
        stats["keys"]["secret:dev/db"],
        json!({"requests": 2, "upstream_calls": 1, "refresh_now": 0, "stale_served": 0})
    );
    emu.reset();
    assert_eq!(emu.stats()["requests"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_keep_alive_clients() {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    let emu = Emulator::start(STORE);
    let port = emu.port;
    let mut tasks = Vec::new();
    for i in 0..1000 {
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut ok = 0;
            for j in 0..3 {
                let target = if (i + j) % 2 == 0 {
                    "/systemsmanager/parameters/get?name=/app/short"
                } else {
                    "/secretsmanager/get?secretId=dev/db"
                };
                let req =
                    format!("GET {target} HTTP/1.1\r\nHost: x\r\n{TOKEN_HEADER}: {TOKEN}\r\n\r\n");
                reader.get_mut().write_all(req.as_bytes()).await.unwrap();
                let mut status = String::new();
                reader.read_line(&mut status).await.unwrap();
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).await.unwrap();
                    let line = line.trim_end().to_ascii_lowercase();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                reader.read_exact(&mut body).await.unwrap();
                if status.starts_with("HTTP/1.1 200") {
                    ok += 1;
                }
            }
            ok
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 3000);
    let stats = tokio::task::spawn_blocking(move || emu.stats())
        .await
        .unwrap();
    assert_eq!(stats["requests"], 3000);
    assert_eq!(stats["errors"], 0);
}
