//! Runs every scenario of conformance/scenarios.json against the real emulator process
//! (the same files the Python, Node and Java suites run).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use base64::Engine as _;
use paramsecrets::{Client, Parameter, ParameterRequest, ReadOptions, Secret, SecretRequest};
use serde_json::{Value, json};
use support::{Emulator, TOKEN, closed_port, repo_root};

fn parameter_fields(p: &Parameter) -> Value {
    json!({
        "name": p.name,
        "type": p.parameter_type.as_str(),
        "version": p.version,
        "arn": p.arn,
        "selector": p.selector,
        "data_type": p.data_type,
        "last_modified_ms": p.last_modified.map(|t| t.epoch_millis),
    })
}

fn secret_fields(s: &Secret) -> Value {
    json!({
        "name": s.name,
        "arn": s.arn,
        "version_id": s.version_id,
        "version_stages": s.version_stages,
        "created_ms": s.created_date.map(|t| t.epoch_millis),
    })
}

fn build_client(scenario: &Value, port: u16) -> Result<Client, paramsecrets::Error> {
    let c = &scenario["client"];
    let port = if c["endpoint"] == "closed" {
        closed_port()
    } else {
        port
    };
    let mut b = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .token(c["token"].as_str().unwrap_or(TOKEN))
        .env(HashMap::new());
    if let Some(ms) = c["timeout_ms"].as_u64() {
        b = b.timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = c["ready_timeout_ms"].as_u64() {
        b = b.ready_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = c["deadline_ms"].as_u64() {
        b = b.deadline(Duration::from_millis(ms));
    }
    if let Some(server) = c["server"].as_str() {
        b = b.server(paramsecrets::ServerKind::parse(server)?);
    }
    b.build()
}

fn read_options(req: &Value) -> ReadOptions {
    ReadOptions::default().force_fetch(req["force_fetch"].as_bool().unwrap_or(false))
}

/// What a successful read returned: the string value, the binary value, the record fields.
type Outcome = (Option<String>, Option<Vec<u8>>, Value);

/// Runs one scenario; returns a description of the mismatch, if any.
async fn run(scenario: &Value, emulator: &Emulator) -> Option<String> {
    let port = emulator.port;
    let req = &scenario["request"];
    let expect = &scenario["expect"];
    let outcome: Result<Outcome, paramsecrets::Error> = async {
        let client = build_client(scenario, port)?;
        match req["op"].as_str() {
            Some("get_parameter") => {
                let mut r = ParameterRequest::new(req["name"].as_str().unwrap_or_default())
                    .decrypt(req["decrypt"].as_bool().unwrap_or(true));
                if let Some(v) = req["version"].as_u64() {
                    r = r.version(v);
                }
                if let Some(l) = req["label"].as_str() {
                    r = r.label(l);
                }
                let p = client.get_parameter(&r, read_options(req)).await?;
                Ok((
                    p.text().map(str::to_string),
                    p.value.bytes().map(<[u8]>::to_vec),
                    parameter_fields(&p),
                ))
            }
            Some("get_secret") => {
                let mut r = SecretRequest::new(req["secret_id"].as_str().unwrap_or_default());
                if let Some(v) = req["version_id"].as_str() {
                    r = r.version_id(v);
                }
                if let Some(s) = req["version_stage"].as_str() {
                    r = r.version_stage(s);
                }
                let s = client.get_secret(&r, read_options(req)).await?;
                Ok((
                    s.secret_string().map(str::to_string),
                    s.secret_binary().map(<[u8]>::to_vec),
                    secret_fields(&s),
                ))
            }
            other => panic!("unknown op {other:?}"),
        }
    }
    .await;
    match (outcome, expect["error"].as_str()) {
        (Ok(_), Some(code)) => Some(format!("expected error {code}, got a value")),
        (Err(e), None) => Some(format!("expected a value, got {e:?}")),
        (Err(e), Some(code)) => {
            if e.code().as_str() != code {
                return Some(format!("expected error {code}, got {e:?}"));
            }
            if let Some(status) = expect["status"].as_u64() {
                if e.status().map(u64::from) != Some(status) {
                    return Some(format!("expected status {status}, got {e:?}"));
                }
            }
            None
        }
        (Ok((string, binary, fields)), None) => {
            if let Some(v) = expect.get("value") {
                if v.as_str() != string.as_deref() {
                    return Some(format!("expected value {v}, got {string:?}"));
                }
            }
            if let Some(b64) = expect["binary_base64"].as_str() {
                let want = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap();
                if binary.as_deref() != Some(&want[..]) {
                    return Some(format!("expected binary {b64}, got {binary:?}"));
                }
            }
            if let Some(want) = expect["refresh_now_sent"].as_bool() {
                let key = format!("secret:{}", req["secret_id"].as_str().unwrap_or_default());
                let sent = emulator.stats().await["keys"][&key]["refresh_now"]
                    .as_u64()
                    .unwrap_or(0);
                if (sent > 0) != want {
                    return Some(format!("refreshNow sent {sent} times, expected {want}"));
                }
            }
            if let Some(want) = expect["fields"].as_object() {
                for (k, v) in want {
                    if &fields[k] != v {
                        return Some(format!("field {k}: expected {v}, got {}", fields[k]));
                    }
                }
            }
            None
        }
    }
}

#[test]
fn every_conformance_scenario_passes() {
    let dir = repo_root().join("conformance");
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("scenarios.json")).expect("scenarios.json"),
    )
    .expect("valid json");
    let scenarios = file["scenarios"].as_array().expect("scenarios");
    assert!(scenarios.len() >= 40, "at least 40 scenarios");

    // One emulator per (dialect, store, args, env), started right before its scenarios.
    let mut groups: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for s in scenarios {
        let key = json!([
            s["dialect"],
            s["store"],
            s["emulator_args"],
            s["emulator_env"]
        ])
        .to_string();
        groups.entry(key).or_default().push(s);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for members in groups.values() {
        let first = members[0];
        let store = dir.join(
            file["stores"][first["store"].as_str().unwrap()]
                .as_str()
                .unwrap(),
        );
        let args: Vec<String> = first["emulator_args"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        let env: HashMap<String, String> = first["emulator_env"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let emulator = Emulator::start(
            store.to_str().unwrap(),
            first["dialect"].as_str().unwrap(),
            &args,
            &env,
        );
        for s in members {
            ran += 1;
            if let Some(why) = rt.block_on(run(s, &emulator)) {
                failures.push(format!("{}: {why}", s["name"].as_str().unwrap_or("?")));
            }
        }
    }
    assert_eq!(ran, scenarios.len());
    assert!(
        failures.is_empty(),
        "{} of {ran} scenarios failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
