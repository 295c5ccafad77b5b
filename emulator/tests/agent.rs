//! The Secrets Manager Agent's dialect, end to end against the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{Client, Emulator, Opts, STORE, TOKEN, TOKEN_HEADER};
use serde_json::json;

fn agent() -> Emulator {
    Emulator::start_with(Opts::new(STORE).arg("--dialect").arg("agent"))
}

#[test]
fn startup_line_names_dialect() {
    let emu = agent();
    assert_eq!(
        emu.line,
        format!("listening on 127.0.0.1:{} dialect=agent", emu.port)
    );
}

#[test]
fn success_shape_omits_absent_fields() {
    let emu = agent();
    let r = emu.get_secret("secretId=dev%2Fdb");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), None);
    let body = r.json();
    let version_id = body["VersionId"].as_str().unwrap().to_string();
    assert_eq!(
        body,
        json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-AbCdEf",
            "Name": "dev/db",
            "VersionId": version_id,
            "SecretString": "{\"username\":\"u\"}",
            "VersionStages": ["AWSCURRENT"],
            "CreatedDate": "1704067200.000"
        })
    );
    assert!(!r.text().contains("SecretBinary"));
    assert!(!r.text().contains("ResultMetadata"));

    let bin = emu.get_secret("secretId=bin");
    assert_eq!(bin.json()["SecretBinary"], "AAEC/w==");
    assert!(!bin.text().contains("SecretString"));

    let rotated = emu.get_secret("secretId=rotated").json();
    assert_eq!(rotated["CreatedDate"], "1706933106.789");
    let prev = emu
        .get_secret("secretId=rotated&versionStage=AWSPREVIOUS")
        .json();
    assert_eq!(prev["SecretString"], "old");
    let by_id = emu
        .get_secret("secretId=rotated&versionId=11111111-1111-1111-1111-111111111111")
        .json();
    assert_eq!(by_id["SecretString"], "old");
}

#[test]
fn path_style_route() {
    let emu = agent();
    let r = emu.get("/v1/dev/db");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["Name"], "dev/db");
    let r = emu.get("/v1/rotated?versionStage=AWSPREVIOUS");
    assert_eq!(r.json()["SecretString"], "old");
    let r = emu.get("/v1/");
    assert_eq!((r.status, r.text().as_str()), (400, "missing secret ID"));
    let r = emu.get("/v1/dev/db?secretId=x");
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, "unknown parameter: secretId")
    );
}

#[test]
fn ping_needs_no_token_but_only_get() {
    let emu = agent();
    let r = emu.request("GET", "/ping", &[]);
    assert_eq!((r.status, r.text().as_str()), (200, "healthy"));
    let r = emu.request("GET", "/ping", &[("X-Forwarded-For", "1.2.3.4")]);
    assert_eq!(r.status, 200);
    let r = emu.request("POST", "/ping", &[]);
    assert_eq!((r.status, r.text().as_str()), (405, "Not allowed"));
}

#[test]
fn checks_run_in_the_agents_order() {
    let emu = agent();
    let good = (TOKEN_HEADER, TOKEN);
    let xff = ("X-Forwarded-For", "10.0.0.1");
    // X-Forwarded-For beats a good token.
    let r = emu.request("GET", "/secretsmanager/get?secretId=dev/db", &[good, xff]);
    assert_eq!((r.status, r.text().as_str()), (400, "Forwarded"));
    assert_eq!(r.header("content-type"), None);
    // Bad or missing token: 403, even for unknown paths and other methods.
    for (method, path, headers) in [
        ("GET", "/secretsmanager/get?secretId=dev/db", vec![]),
        (
            "GET",
            "/secretsmanager/get?secretId=dev/db",
            vec![(TOKEN_HEADER, "nope")],
        ),
        ("GET", "/nowhere", vec![]),
        ("POST", "/secretsmanager/get?secretId=dev/db", vec![]),
    ] {
        let r = emu.request(method, path, &headers);
        assert_eq!(
            (r.status, r.text().as_str()),
            (403, "Bad Token"),
            "{method} {path}"
        );
    }
    // X-Vault-Token is accepted too.
    let r = emu.request(
        "GET",
        "/secretsmanager/get?secretId=dev/db",
        &[("X-Vault-Token", TOKEN)],
    );
    assert_eq!(r.status, 200);
    // Then the method.
    let r = emu.request("DELETE", "/secretsmanager/get?secretId=dev/db", &[good]);
    assert_eq!((r.status, r.text().as_str()), (405, "Not allowed"));
    // Then the route: the Agent has no parameters.
    for path in [
        "/nowhere",
        "/systemsmanager/parameters/get?name=/app/short",
        "/v1",
    ] {
        let r = emu.get(path);
        assert_eq!((r.status, r.text().as_str()), (404, "Not found"), "{path}");
    }
}

#[test]
fn query_validation() {
    let emu = agent();
    let cases = [
        ("secretId=dev/db&abc=1", "unknown parameter: abc"),
        ("abc=1&secretId=dev/db", "unknown parameter: abc"),
        (
            "secretId=dev/db&withDecryption=true",
            "unknown parameter: withDecryption",
        ),
        ("versionStage=AWSCURRENT", "missing parameter secretId"),
        ("secretId=", "missing parameter secretId"),
        ("", "missing parameter secretId"),
        ("secretId=dev/db&refreshNow=yes", "invalid refreshNow value"),
    ];
    for (query, message) in cases {
        let r = emu.get_secret(query);
        assert_eq!((r.status, r.text().as_str()), (400, message), "{query}");
        assert_eq!(r.header("content-type"), None);
    }
    for value in ["true", "TRUE", "1", "false", "False", "0"] {
        let r = emu.get_secret(&format!("secretId=dev/db&refreshNow={value}"));
        assert_eq!(r.status, 200, "{value}");
    }
}

#[test]
fn aws_errors_are_json_with_upstream_status() {
    let emu = agent();
    let cases = [
        ("secretId=nope", 400, "ResourceNotFoundException", "nope"),
        ("secretId=denied", 400, "AccessDeniedException", "denied"),
        ("secretId=broken", 500, "InternalServerError", "broken"),
        (
            "secretId=throttled",
            429,
            "ThrottlingException",
            "throttled",
        ),
        (
            "secretId=rotated&versionStage=AWSPENDING",
            400,
            "ResourceNotFoundException",
            "rotated",
        ),
        (
            "secretId=rotated&versionId=11111111-1111-1111-1111-111111111111&versionStage=AWSCURRENT",
            400,
            "InvalidRequestException",
            "rotated",
        ),
        (
            "secretId=rotated&versionId=99999999-1111-1111-1111-111111111111&versionStage=AWSCURRENT",
            400,
            "ResourceNotFoundException",
            "rotated",
        ),
    ];
    for (query, status, kind, name) in cases {
        let r = emu.get_secret(query);
        assert_eq!(r.status, status, "{query}: {}", r.text());
        let body = r.json();
        assert_eq!(body["__type"], kind, "{query}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(name), "{query}: {message}");
        assert_eq!(body.as_object().unwrap().len(), 2);
    }
    let r = emu.get_secret("secretId=raw");
    assert_eq!((r.status, r.text().as_str()), (503, "upstream sad"));
}

#[test]
fn refresh_now_bypasses_and_refills_the_cache() {
    let emu = agent();
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(emu.stats()["keys"]["secret:dev/db"]["upstream_calls"], 1);
    assert_eq!(
        emu.get_secret("secretId=dev/db&refreshNow=true").status,
        200
    );
    assert_eq!(emu.stats()["keys"]["secret:dev/db"]["upstream_calls"], 2);
    // Refilled: a plain read is a hit again.
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    let stats = emu.stats();
    assert_eq!(
        stats["keys"]["secret:dev/db"],
        json!({"requests": 4, "upstream_calls": 2, "refresh_now": 1, "stale_served": 0})
    );
    assert_eq!(stats["cache_hits"], 2);
    assert_eq!(stats["refresh_now"], 1);
    // refreshNow=false (any case, or 0) is a plain read.
    assert_eq!(
        emu.get_secret("secretId=dev/db&refreshNow=FALSE").status,
        200
    );
    assert_eq!(emu.get_secret("secretId=dev/db&refreshNow=0").status, 200);
    assert_eq!(emu.get_secret("secretId=dev/db&refreshNow=1").status, 200);
    let stats = emu.stats();
    assert_eq!(stats["refresh_now"], 2);
    assert_eq!(stats["keys"]["secret:dev/db"]["upstream_calls"], 3);
}

#[test]
fn ttl_cap_is_3600_in_agent_dialect() {
    let emu = Emulator::start_with(
        Opts::new(STORE)
            .arg("--dialect=agent")
            .env("SECRETS_MANAGER_TTL", "3600"),
    );
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert!(
        !emu.stderr().contains("exceeds max limit"),
        "{}",
        emu.stderr()
    );
    let emu = Emulator::start_with(
        Opts::new(STORE)
            .arg("--dialect=agent")
            .env("SECRETS_MANAGER_TTL", "4000"),
    );
    assert!(
        emu.stderr()
            .contains("SECRETS_MANAGER_TTL exceeds max limit")
    );
}

#[test]
fn not_ready_means_connections_are_reset() {
    let emu = Emulator::start_with(
        Opts::new(STORE)
            .arg("--dialect")
            .arg("agent")
            .arg("--not-ready-for")
            .arg("1500"),
    );
    let mut client = Client::connect(emu.port);
    let early = client.try_request("GET", "/ping", &[]);
    assert!(early.is_err(), "expected a reset, got {early:?}");
    assert!(common::eventually(Duration::from_secs(6), || {
        Client::connect(emu.port)
            .try_request("GET", "/ping", &[])
            .is_ok_and(|r| r.status == 200)
    }));
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
}
