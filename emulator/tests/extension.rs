//! The managed extension's dialect, end to end against the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{Emulator, Opts, STORE, TOKEN, TOKEN_HEADER};
use serde_json::json;

const GENERIC: &str = "an unexpected error occurred while executing request";

fn assert_generic_400(r: &common::Resp) {
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.text(), GENERIC);
    assert_eq!(r.header("content-type"), Some("text/plain"));
}

#[test]
fn startup_line_names_dialect() {
    let emu = Emulator::start(STORE);
    assert_eq!(
        emu.line,
        format!("listening on 127.0.0.1:{} dialect=extension", emu.port)
    );
}

#[test]
fn parameter_success_shape_has_explicit_nulls() {
    let emu = Emulator::start(STORE);
    let r = emu.get_param("name=%2Fapp%2Fshort");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({
            "Parameter": {
                "ARN": "arn:aws:ssm:us-east-1:123456789012:parameter/app/short",
                "DataType": "text",
                "LastModifiedDate": "2024-01-01T00:00:00.000Z",
                "Name": "/app/short",
                "Selector": null,
                "SourceResult": null,
                "Type": "String",
                "Value": "hello",
                "Version": 1
            },
            "ResultMetadata": {}
        })
    );
    // Explicit nulls, not omitted fields.
    assert!(r.text().contains("\"Selector\":null"), "{}", r.text());
    // Trailing-slash route and raw (unencoded) slashes work too.
    let r = emu.get("/systemsmanager/parameters/get/?name=/app/short");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["Parameter"]["Value"], "hello");
}

#[test]
fn parameter_versions_labels_and_selector() {
    let emu = Emulator::start(STORE);
    let latest = emu.get_param("name=/app/full&withDecryption=true").json();
    assert_eq!(latest["Parameter"]["Value"], "v2");
    assert_eq!(latest["Parameter"]["Version"], 2);
    assert_eq!(latest["Parameter"]["Type"], "SecureString");
    assert_eq!(latest["Parameter"]["Selector"], json!(null));

    let v1 = emu
        .get_param("name=/app/full&withDecryption=true&version=1")
        .json();
    assert_eq!(v1["Parameter"]["Value"], "v1");
    assert_eq!(v1["Parameter"]["Selector"], ":1");
    assert_eq!(
        v1["Parameter"]["LastModifiedDate"],
        "2024-01-02T03:04:05.678Z"
    );

    let dev = emu
        .get_param("name=/app/full&withDecryption=true&label=Dev")
        .json();
    assert_eq!(dev["Parameter"]["Value"], "v2");
    assert_eq!(dev["Parameter"]["Selector"], ":Dev");

    // Both given: only the first in query order counts.
    let first_label = emu
        .get_param("name=/app/full&withDecryption=true&label=old&version=2")
        .json();
    assert_eq!(first_label["Parameter"]["Value"], "v1");
    assert_eq!(first_label["Parameter"]["Selector"], ":old");
    let first_version = emu
        .get_param("name=/app/full&withDecryption=true&version=2&label=old")
        .json();
    assert_eq!(first_version["Parameter"]["Value"], "v2");
    assert_eq!(first_version["Parameter"]["Selector"], ":2");

    assert_generic_400(&emu.get_param("name=/app/full&withDecryption=true&version=9"));
    assert_generic_400(&emu.get_param("name=/app/full&withDecryption=true&label=Nope"));
    assert_generic_400(&emu.get_param("name=/app/full&withDecryption=true&version=abc"));
}

#[test]
fn secure_string_needs_with_decryption() {
    let emu = Emulator::start(STORE);
    for query in [
        "name=/app/full",
        "name=/app/full&withDecryption=false",
        "name=/app/full&withDecryption=yes",
    ] {
        let r = emu.get_param(query);
        assert_eq!(r.status, 200);
        let value = r.json()["Parameter"]["Value"].as_str().unwrap().to_string();
        assert_ne!(value, "v2");
        assert!(value.starts_with("AQICAH"), "{value}");
        assert!(value.len() > 100, "{value}");
    }
    let r = emu.get_param("name=/app/full&withDecryption=TRUE");
    assert_eq!(r.json()["Parameter"]["Value"], "v2");
    let list = emu.get_param("name=/app/list").json();
    assert_eq!(list["Parameter"]["Type"], "StringList");
    assert_eq!(list["Parameter"]["Value"], "a,b,c");
}

#[test]
fn secret_success_shapes() {
    let emu = Emulator::start(STORE);
    let r = emu.get_secret("secretId=dev%2Fdb");
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let version_id = body["VersionId"].as_str().unwrap().to_string();
    assert_eq!(version_id.len(), 36);
    assert_eq!(
        body,
        json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-AbCdEf",
            "CreatedDate": "2024-01-01T00:00:00.000Z",
            "Name": "dev/db",
            "SecretBinary": null,
            "SecretString": "{\"username\":\"u\"}",
            "VersionId": version_id,
            "VersionStages": ["AWSCURRENT"],
            "ResultMetadata": {}
        })
    );
    // Deterministic across restarts.
    let again = Emulator::start(STORE);
    assert_eq!(
        again.get_secret("secretId=dev/db").json()["VersionId"],
        json!(version_id)
    );

    let bin = emu.get_secret("secretId=bin").json();
    assert_eq!(bin["SecretBinary"], "AAEC/w==");
    assert_eq!(bin["SecretString"], json!(null));

    let cur = emu.get_secret("secretId=rotated").json();
    assert_eq!(cur["SecretString"], "new");
    assert_eq!(cur["CreatedDate"], "2024-02-03T04:05:06.789Z");
    let prev = emu
        .get_secret("secretId=rotated&versionStage=AWSPREVIOUS")
        .json();
    assert_eq!(prev["SecretString"], "old");
    assert_eq!(prev["VersionStages"], json!(["AWSPREVIOUS"]));
    let by_id = emu
        .get_secret("secretId=rotated&versionId=11111111-1111-1111-1111-111111111111")
        .json();
    assert_eq!(by_id["SecretString"], "old");
    let both = emu
        .get_secret("secretId=rotated&versionId=22222222-2222-2222-2222-222222222222&versionStage=AWSCURRENT")
        .json();
    assert_eq!(both["SecretString"], "new");
    let by_arn = emu
        .get_secret("secretId=arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A123456789012%3Asecret%3Arotated-AbCdEf")
        .json();
    assert_eq!(by_arn["Name"], "rotated");

    assert_generic_400(&emu.get_secret(
        "secretId=rotated&versionId=11111111-1111-1111-1111-111111111111&versionStage=AWSCURRENT",
    ));
    assert_generic_400(&emu.get_secret("secretId=rotated&versionStage=AWSPENDING"));
    assert_generic_400(&emu.get_secret("secretId=rotated&versionId=nope"));
}

#[test]
fn secret_reference_through_parameter_route() {
    let emu = Emulator::start(STORE);
    let r =
        emu.get_param("name=%2Faws%2Freference%2Fsecretsmanager%2Fdev%2Fdb&withDecryption=true");
    assert_eq!(r.status, 200, "{}", r.text());
    let p = &r.json()["Parameter"];
    assert_eq!(p["Type"], "SecureString");
    assert_eq!(p["Version"], 0);
    assert_eq!(p["DataType"], json!(null));
    assert_eq!(p["Value"], "{\"username\":\"u\"}");
    assert_eq!(
        p["ARN"],
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-AbCdEf"
    );
    let source: serde_json::Value =
        serde_json::from_str(p["SourceResult"].as_str().unwrap()).unwrap();
    // SSM's Java serialisation of the secret (as captured): camelCase, Gson's date format.
    assert_eq!(
        source,
        json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-AbCdEf",
            "name": "dev/db",
            "versionId": source["versionId"].as_str().unwrap(),
            "secretString": "{\"username\":\"u\"}",
            "versionStages": ["AWSCURRENT"],
            "createdDate": "Jan 1, 2024, 12:00:00 AM"
        })
    );
    assert_generic_400(&emu.get_param("name=/aws/reference/secretsmanager/dev/db"));

    // A binary secret: Value null, the bytes in a Java ByteBuffer dump (signed bytes).
    let r = emu.get_param("name=/aws/reference/secretsmanager/bin&withDecryption=true");
    assert_eq!(r.status, 200, "{}", r.text());
    let p = &r.json()["Parameter"];
    assert_eq!(p["Value"], json!(null));
    assert!(r.text().contains("\"Value\":null"), "{}", r.text());
    let source: serde_json::Value =
        serde_json::from_str(p["SourceResult"].as_str().unwrap()).unwrap();
    assert_eq!(source.get("secretString"), None);
    assert_eq!(
        source["secretBinary"],
        json!({"hb": [0, 1, 2, -1], "offset": 0, "isReadOnly": false, "bigEndian": true,
               "nativeByteOrder": false, "mark": -1, "position": 0, "limit": 4,
               "capacity": 4, "address": 16})
    );
}

#[test]
fn every_upstream_error_is_one_generic_400() {
    let emu = Emulator::start(STORE);
    assert_generic_400(&emu.get_param("name=/nope"));
    assert_generic_400(&emu.get_param("name=/app/denied&withDecryption=true"));
    assert_generic_400(&emu.get_secret("secretId=nope"));
    assert_generic_400(&emu.get_secret("secretId=denied"));
    assert_generic_400(&emu.get_secret("secretId=broken"));
    assert_generic_400(&emu.get_secret("secretId=throttled"));
    // Missing or empty required keys.
    assert_generic_400(&emu.get_param(""));
    assert_generic_400(&emu.get_param("name="));
    assert_generic_400(&emu.get_param("withDecryption=true"));
    assert_generic_400(&emu.get_secret("versionStage=AWSCURRENT"));
    assert_generic_400(&emu.get("/secretsmanager/get"));
    // Unknown keys are ignored.
    let r = emu.get_param("name=/app/short&cacheBuster=1&refreshNow=true");
    assert_eq!(r.status, 200);
}

#[test]
fn routes_and_methods() {
    let emu = Emulator::start(STORE);
    for path in [
        "/",
        "/ping",
        "/v1/dev/db",
        "/secretsmanager/get/",
        "/systemsmanager/parameters",
    ] {
        let r = emu.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.text(), "Not found");
    }
    for method in ["POST", "PUT", "DELETE"] {
        let r = emu.request(
            method,
            "/secretsmanager/get?secretId=dev/db",
            &[(TOKEN_HEADER, TOKEN)],
        );
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.text(), "Not allowed");
    }
}

#[test]
fn token_is_checked_exactly() {
    let emu = Emulator::start(STORE);
    let target = "/systemsmanager/parameters/get?name=/app/short";
    let cases: [&[(&str, &str)]; 5] = [
        &[],
        &[(TOKEN_HEADER, "wrong")],
        &[(TOKEN_HEADER, &TOKEN[..TOKEN.len() - 1])],
        &[(TOKEN_HEADER, "test-token-0123456789x")],
        &[("X-Vault-Token", TOKEN)],
    ];
    for headers in cases {
        let r = emu.request("GET", target, headers);
        assert_eq!(r.status, 401, "{headers:?}");
        assert_eq!(r.text(), "bad session token or header key");
        assert_eq!(r.header("content-type"), Some("text/plain"));
        assert_eq!(r.header("x-amzn-errortype"), Some("AccessDeniedException"));
    }
    // Header names are case-insensitive.
    for name in [
        "x-aws-parameters-secrets-token",
        "X-AWS-PARAMETERS-SECRETS-TOKEN",
    ] {
        let r = emu.request("GET", target, &[(name, TOKEN)]);
        assert_eq!(r.status, 200, "{name}");
    }
    // Secrets route too; and the token is checked before lookups (no knob can bypass it).
    let r = emu.request("GET", "/secretsmanager/get?secretId=dev/db", &[]);
    assert_eq!(r.status, 401);
    let r = emu.request("GET", "/systemsmanager/parameters/get?name=/app/raw", &[]);
    assert_eq!(r.status, 401);
}

#[test]
fn respond_and_delay_knobs() {
    let emu = Emulator::start(STORE);
    let r = emu.get_param("name=/app/raw");
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "this is not json");
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(r.header("x-test"), Some("1"));
    let r = emu.get_secret("secretId=raw");
    assert_eq!(r.status, 503);
    assert_eq!(r.text(), "upstream sad");

    // The delay applies on every request, cached or not.
    for _ in 0..2 {
        let started = Instant::now();
        let r = emu.get_param("name=/app/slow");
        assert_eq!(r.status, 200);
        assert!(
            started.elapsed() >= Duration::from_millis(290),
            "{:?}",
            started.elapsed()
        );
    }
}

#[test]
fn names_decode_like_a_form() {
    let emu = Emulator::start(STORE);
    // A raw `+` is a space; `%2B` is a plus; `%20` is a space.
    assert_eq!(
        emu.get_param("name=/app/a+b").json()["Parameter"]["Value"],
        "space"
    );
    assert_eq!(
        emu.get_param("name=/app/a%2Bb").json()["Parameter"]["Value"],
        "plus"
    );
    let r = emu.get_param("name=%2Fapp%2Fa%20b");
    assert_eq!(r.json()["Parameter"]["Value"], "space");
    assert_eq!(r.json()["Parameter"]["Name"], "/app/a b");
    // Non-ASCII UTF-8 round-trips.
    let r = emu.get_param("name=%2Fapp%2F%C3%A9t%C3%A9%2F%C3%BC");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["Parameter"]["Name"], "/app/été/ü");
    assert_eq!(r.json()["Parameter"]["Value"], "unicode");
    let r = emu.get_secret("secretId=with%20space%2Fx%2By");
    assert_eq!(r.json()["SecretString"], "spaced");
    let r = emu.get_secret("secretId=with+space/x%2By");
    assert_eq!(r.json()["SecretString"], "spaced");
}

#[test]
fn not_ready_window_then_ready() {
    let emu = Emulator::start_with(Opts::new(STORE).arg("--not-ready-for").arg("1500"));
    let r = emu.get_param("name=/app/short");
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "not ready to serve traffic, please wait");
    let r = emu.get_secret("secretId=dev/db");
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "not ready to serve traffic, please wait");
    // The stats endpoint answers meanwhile, and counts the refused requests.
    assert_eq!(emu.stats()["requests"], 2);
    assert_eq!(emu.stats()["not_ready"], 2);
    assert!(common::eventually(Duration::from_secs(6), || {
        emu.get_param("name=/app/short").status == 200
    }));
    let not_ready = emu.stats()["not_ready"].clone();
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);
    assert_eq!(
        emu.stats()["not_ready"],
        not_ready,
        "a served request is not counted"
    );
}

#[test]
fn keep_alive_serves_many_requests_per_connection() {
    let emu = Emulator::start(STORE);
    let mut client = emu.client();
    for i in 0..50 {
        let target = if i % 2 == 0 {
            "/systemsmanager/parameters/get?name=/app/short"
        } else {
            "/secretsmanager/get?secretId=nope"
        };
        let r = client.request("GET", target, &[(TOKEN_HEADER, TOKEN)]);
        assert_eq!(r.status, if i % 2 == 0 { 200 } else { 400 });
    }
}
