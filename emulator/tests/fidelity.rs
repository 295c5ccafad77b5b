//! The fidelity knobs, end to end against the real binary: the upstream model (latency,
//! "down", the not-found status), `refreshNow`, the connection lifetime cap, the runtime knobs
//! endpoint, and the store knobs for malformed answers (`null_value`, `byte_buffer_padding`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{Client, Emulator, Opts, STORE, TOKEN, TOKEN_HEADER};
use serde_json::json;

const GENERIC: &str = "an unexpected error occurred while executing request";

fn agent_with(opts: Opts<'_>) -> Emulator {
    Emulator::start_with(opts.arg("--dialect").arg("agent"))
}

fn timed(f: impl FnOnce() -> common::Resp) -> (common::Resp, Duration) {
    let started = Instant::now();
    let r = f();
    (r, started.elapsed())
}

/// An emulator whose cache keeps `ttl_var`'s kind for 1 s and whose upstream takes 100 ms,
/// with `target` read (and cached) while the upstream was up, then the upstream down.
fn cached_then_down(agent: bool, ttl_var: &str, target: &str) -> Emulator {
    let opts = Opts::new(STORE)
        .env(ttl_var, "1")
        .arg("--upstream-latency-ms")
        .arg("100");
    let emu = if agent {
        agent_with(opts)
    } else {
        Emulator::start_with(opts)
    };
    assert_eq!(emu.get(target).status, 200);
    assert_eq!(emu.post_knobs(r#"{"upstream_down": true}"#).status, 200);
    emu
}

/// A never-cached read with the upstream down: it fails, but only after the latency.
fn down_miss(emu: &Emulator, target: &str) -> common::Resp {
    let (r, took) = timed(|| emu.get(target));
    assert!(took >= Duration::from_millis(100), "{target}: {took:?}");
    r
}

fn key_stats(emu: &Emulator, key: &str) -> serde_json::Value {
    emu.stats()["keys"][key].clone()
}

#[test]
fn knobs_endpoint_shows_patches_validates_and_resets() {
    let emu = Emulator::start(STORE);
    assert_eq!(
        emu.knobs(),
        json!({"upstream_latency_ms": 0, "upstream_down": false, "not_found_status": 400,
               "connection_lifetime_secs": 0.0})
    );
    let r = emu.post_knobs(r#"{"upstream_down": true, "upstream_latency_ms": 20}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["upstream_down"], true);
    assert_eq!(emu.knobs()["upstream_latency_ms"], 20);
    // Mistakes are 400s naming the problem, and change nothing.
    for (body, needle) in [
        (r#"{"upstream_dwn": true}"#, "upstream_dwn"),
        (r#"{"not_found_status": 200}"#, "not_found_status"),
        (r#"{"connection_lifetime_secs": -1}"#, "lifetime"),
        ("not json", "invalid knobs JSON"),
    ] {
        let r = emu.post_knobs(body);
        assert_eq!(r.status, 400, "{body}");
        assert!(r.text().contains(needle), "{body}: {}", r.text());
    }
    assert_eq!(emu.knobs()["upstream_down"], true);
    let r = emu.request("PUT", "/_emulator/knobs", &[]);
    assert_eq!(r.status, 405);
    // Reset puts the start-up values back.
    emu.reset();
    assert_eq!(emu.knobs()["upstream_down"], false);
    assert_eq!(emu.knobs()["upstream_latency_ms"], 0);

    // Start-up values from flags and from the environment.
    let emu = agent_with(
        Opts::new(STORE)
            .arg("--upstream-latency-ms")
            .arg("5")
            .arg("--upstream-down")
            .arg("--not-found-status=404")
            .arg("--connection-lifetime")
            .arg("2.5"),
    );
    assert_eq!(
        emu.knobs(),
        json!({"upstream_latency_ms": 5, "upstream_down": true, "not_found_status": 404,
               "connection_lifetime_secs": 2.5})
    );
    let emu = agent_with(
        Opts::new(STORE)
            .env("PARAMSECRETS_EMULATOR_UPSTREAM_LATENCY_MS", "6")
            .env("PARAMSECRETS_EMULATOR_UPSTREAM_DOWN", "1")
            .env("PARAMSECRETS_EMULATOR_NOT_FOUND_STATUS", "404"),
    );
    assert_eq!(
        emu.knobs(),
        json!({"upstream_latency_ms": 6, "upstream_down": true, "not_found_status": 404,
               "connection_lifetime_secs": 61.0})
    );
}

#[test]
fn upstream_latency_slows_misses_not_hits() {
    let emu = Emulator::start_with(Opts::new(STORE).arg("--upstream-latency-ms").arg("400"));
    let (r, miss) = timed(|| emu.get_param("name=/app/short"));
    assert_eq!(r.status, 200);
    assert!(miss >= Duration::from_millis(400), "{miss:?}");
    let (r, hit) = timed(|| emu.get_param("name=/app/short"));
    assert_eq!(r.status, 200);
    assert!(hit < Duration::from_millis(200), "a hit waited: {hit:?}");
    // Changed at runtime, applies to the next miss.
    emu.post_knobs(r#"{"upstream_latency_ms": 0}"#);
    let (r, miss) = timed(|| emu.get_param("name=/app/list"));
    assert_eq!(r.status, 200);
    assert!(miss < Duration::from_millis(200), "{miss:?}");
}

#[test]
fn agent_upstream_down_connection_error_then_stale_value() {
    // Cache dev/db while the upstream is up, then take it down.
    let emu = cached_then_down(
        true,
        "SECRETS_MANAGER_TTL",
        "/secretsmanager/get?secretId=dev/db",
    );

    // Never cached: 502 ConnectionError, after the latency.
    let r = down_miss(&emu, "/secretsmanager/get?secretId=rotated");
    assert_eq!(r.status, 502, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({"__type": "ConnectionError", "message": "Read Error"})
    );

    // Cached and fresh: a hit, the upstream is not asked.
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(key_stats(&emu, "secret:dev/db")["upstream_calls"], 1);

    // Expired: the refresh fails, the stale value is served (ignore_transient_errors).
    std::thread::sleep(Duration::from_millis(1100));
    let r = emu.get_secret("secretId=dev/db");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["SecretString"], "{\"username\":\"u\"}");
    let k = key_stats(&emu, "secret:dev/db");
    assert_eq!(
        (k["upstream_calls"].as_u64(), k["stale_served"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(emu.stats()["stale_served"], 1);

    // refreshNow never falls back to the stale value.
    let r = emu.get_secret("secretId=dev/db&refreshNow=true");
    assert_eq!(r.status, 502, "{}", r.text());

    // Back up: the refresh succeeds and replaces the entry.
    emu.post_knobs(r#"{"upstream_down": false}"#);
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(emu.stats()["stale_served"], 1);
}

#[test]
fn agent_stale_value_also_on_upstream_5xx_but_not_on_4xx() {
    // A 5xx from the service is transient for the Agent; an entry's `error` knob makes one.
    let emu = agent_with(Opts::new(STORE).env("SECRETS_MANAGER_TTL", "1"));
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    let broken = STORE.replacen(
        r#"{"name": "dev/db", "string": "{\"username\":\"u\"}"}"#,
        r#"{"name": "dev/db", "error": "InternalServerError"}"#,
        1,
    );
    assert_ne!(broken, STORE);
    emu.rewrite_store(&broken);
    assert!(common::eventually(Duration::from_secs(5), || {
        emu.stderr().contains("reloaded store")
    }));
    let r = emu.get_secret("secretId=dev/db");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(emu.stats()["stale_served"], 1);
    let denied = STORE.replacen(
        r#"{"name": "dev/db", "string": "{\"username\":\"u\"}"}"#,
        r#"{"name": "dev/db", "error": "AccessDeniedException"}"#,
        1,
    );
    emu.rewrite_store(&denied);
    assert!(common::eventually(Duration::from_secs(5), || {
        emu.get_secret("secretId=dev/db").status == 400
    }));
}

#[test]
fn extension_upstream_down_is_the_generic_400_even_when_expired() {
    let emu = cached_then_down(
        false,
        "SSM_PARAMETER_STORE_TTL",
        "/systemsmanager/parameters/get?name=/app/short",
    );
    let r = down_miss(&emu, "/secretsmanager/get?secretId=dev/db");
    assert_eq!((r.status, r.text().as_str()), (400, GENERIC));
    // Fresh: still served from the cache.
    assert_eq!(emu.get_param("name=/app/short").status, 200);
    // Expired: no stale value (assumed; see README).
    std::thread::sleep(Duration::from_millis(1100));
    let r = emu.get_param("name=/app/short");
    assert_eq!((r.status, r.text().as_str()), (400, GENERIC));
    assert_eq!(emu.stats()["stale_served"], 0);
}

#[test]
fn not_found_status_is_selectable_in_the_agent_dialect() {
    let emu = agent_with(Opts::new(STORE));
    let r = emu.get_secret("secretId=nope");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "ResourceNotFoundException");

    for emu in [
        agent_with(Opts::new(STORE).arg("--not-found-status").arg("404")),
        agent_with(Opts::new(STORE).env("PARAMSECRETS_EMULATOR_NOT_FOUND_STATUS", "404")),
    ] {
        let r = emu.get_secret("secretId=nope");
        assert_eq!(r.status, 404, "{}", r.text());
        let body = r.json();
        assert_eq!(body["__type"], "ResourceNotFoundException");
        assert!(body["message"].as_str().unwrap().contains("nope"));
        // A missing stage is a not-found too; other errors keep their status.
        assert_eq!(
            emu.get_secret("secretId=rotated&versionStage=AWSPENDING")
                .status,
            404
        );
        let r = emu.get_secret(
            "secretId=rotated&versionId=11111111-1111-1111-1111-111111111111&versionStage=AWSCURRENT",
        );
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["__type"], "InvalidRequestException");
        assert_eq!(emu.get_secret("secretId=denied").status, 400);
        assert_eq!(emu.get_secret("secretId=throttled").status, 429);
    }

    // And at runtime.
    let emu = agent_with(Opts::new(STORE));
    emu.post_knobs(r#"{"not_found_status": 404}"#);
    assert_eq!(emu.get_secret("secretId=nope").status, 404);
    // The extension dialect hides it behind its generic 400 whatever the knob says.
    let ext = Emulator::start_with(Opts::new(STORE).arg("--not-found-status").arg("404"));
    let r = ext.get_secret("secretId=nope");
    assert_eq!((r.status, r.text().as_str()), (400, GENERIC));
}

#[test]
fn refresh_now_in_both_dialects() {
    // Agent: bypasses the cache (an upstream call) and is counted.
    let emu = agent_with(Opts::new(STORE));
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(
        emu.get_secret("secretId=dev/db&refreshNow=True").status,
        200
    );
    assert_eq!(emu.get("/v1/dev/db?refreshNow=1").status, 200);
    let k = key_stats(&emu, "secret:dev/db");
    assert_eq!(
        (k["upstream_calls"].as_u64(), k["refresh_now"].as_u64()),
        (Some(3), Some(2))
    );
    for bad in ["yes", "", "2", "truee"] {
        let r = emu.get_secret(&format!("secretId=dev/db&refreshNow={bad}"));
        assert_eq!(
            (r.status, r.text().as_str()),
            (400, "invalid refreshNow value"),
            "{bad:?}"
        );
    }

    // Extension: unknown to it, so ignored (a cache hit) but still counted.
    let emu = Emulator::start(STORE);
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    let r = emu.get_secret("secretId=dev/db&refreshNow=true");
    assert_eq!(r.status, 200);
    assert_eq!(
        emu.get_secret("secretId=dev/db&refreshNow=bogus").status,
        200
    );
    let k = key_stats(&emu, "secret:dev/db");
    assert_eq!(
        (k["upstream_calls"].as_u64(), k["refresh_now"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(emu.stats()["cache_hits"], 2);
}

#[test]
fn connection_lifetime_closes_idle_and_busy_connections() {
    let slow = STORE.replacen(
        r#""secrets": ["#,
        r#""secrets": [
    {"name": "slow", "string": "s", "delay_ms": 1500},"#,
        1,
    );
    let emu = agent_with(Opts::new(&slow).arg("--connection-lifetime").arg("0.4"));
    let headers = [(TOKEN_HEADER, TOKEN)];

    // Idle: a pooled connection is closed at its lifetime; the next request on it fails.
    let mut pooled = Client::connect(emu.port);
    let r = pooled.request("GET", "/secretsmanager/get?secretId=dev/db", &headers);
    assert_eq!(r.status, 200);
    std::thread::sleep(Duration::from_millis(700));
    let reused = pooled.try_request("GET", "/secretsmanager/get?secretId=dev/db", &headers);
    assert!(
        reused.is_err(),
        "the server kept the connection: {reused:?}"
    );
    // A new connection is served.
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);

    // Busy: a request still in progress when the lifetime ends gets no answer at all.
    let mut busy = Client::connect(emu.port);
    let started = Instant::now();
    let cut = busy.try_request("GET", "/secretsmanager/get?secretId=slow", &headers);
    assert!(cut.is_err(), "{cut:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );

    // Within its lifetime a connection is kept alive as usual.
    let mut fresh = Client::connect(emu.port);
    for _ in 0..3 {
        let r = fresh.request("GET", "/secretsmanager/get?secretId=dev/db", &headers);
        assert_eq!(r.status, 200);
    }

    // The extension dialect has no cap by default; the flag gives it one.
    let ext = Emulator::start(STORE);
    assert_eq!(ext.knobs()["connection_lifetime_secs"], 0.0);
    let mut kept = ext.client();
    assert_eq!(
        kept.request(
            "GET",
            "/systemsmanager/parameters/get?name=/app/short",
            &headers
        )
        .status,
        200
    );
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        kept.request(
            "GET",
            "/systemsmanager/parameters/get?name=/app/short",
            &headers
        )
        .status,
        200
    );
    // Set at runtime, it applies to connections accepted afterwards.
    ext.post_knobs(r#"{"connection_lifetime_secs": 0.3}"#);
    let mut capped = ext.client();
    assert_eq!(
        capped
            .request(
                "GET",
                "/systemsmanager/parameters/get?name=/app/short",
                &headers
            )
            .status,
        200
    );
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        capped
            .try_request(
                "GET",
                "/systemsmanager/parameters/get?name=/app/short",
                &headers
            )
            .is_err()
    );
}

#[test]
fn null_value_and_byte_buffer_padding_store_knobs() {
    let store = r#"{
      "parameters": [
        {"name": "/app/null", "null_value": true},
        {"name": "/app/null-typed", "type": "SecureString", "value": "x", "null_value": true}
      ],
      "secrets": [
        {"name": "nullsecret", "string": "x", "null_value": true},
        {"name": "padded", "binary_base64": "AAEC/w==", "byte_buffer_padding": 3}
      ]
    }"#;
    let emu = Emulator::start(store);
    for name in ["/app/null", "/app/null-typed"] {
        let r = emu.get_param(&format!("name={name}&withDecryption=true"));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["Parameter"]["Value"], json!(null), "{name}");
        assert!(r.text().contains("\"Value\":null"));
    }
    let r = emu.get_secret("secretId=nullsecret");
    assert_eq!(r.status, 200);
    let s = r.json();
    assert_eq!(
        (s["SecretString"].clone(), s["SecretBinary"].clone()),
        (json!(null), json!(null))
    );
    let r = emu.get_param("name=/aws/reference/secretsmanager/padded&withDecryption=true");
    assert_eq!(r.status, 200);
    let source: serde_json::Value =
        serde_json::from_str(r.json()["Parameter"]["SourceResult"].as_str().unwrap()).unwrap();
    let bb = &source["secretBinary"];
    assert_eq!(bb["hb"], json!([0, 1, 2, -1, 0, 0, 0]));
    assert_eq!(
        (bb["limit"].as_u64(), bb["capacity"].as_u64()),
        (Some(4), Some(7))
    );
    // The secret itself is unaffected.
    assert_eq!(
        emu.get_secret("secretId=padded").json()["SecretBinary"],
        "AAEC/w=="
    );

    // Agent dialect: both omitted.
    let agent = agent_with(Opts::new(store));
    let body = agent.get_secret("secretId=nullsecret").json();
    assert_eq!(body.get("SecretString"), None);
    assert_eq!(body.get("SecretBinary"), None);
}
