//! Property tests: the answer decoder and the error classifier never panic on any input, and
//! any name survives the URL encoder and the emulator's query decoder unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;

use paramsecrets::protocol::{classify, parse_parameter, parse_secret};
use paramsecrets::{Client, ErrorCode, ParameterRequest, ReadOptions, SecretRequest, blocking};
use proptest::prelude::*;
use support::{Emulator, TOKEN};

/// Bodies that look like answers often enough to reach deep into the decoder: a JSON skeleton
/// with arbitrary text and numbers in its fields, or plain arbitrary bytes.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let scalar = prop_oneof![
        Just("null".to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        ".{0,40}".prop_map(|s| serde_json::Value::String(s).to_string()),
        Just("[1,\"a\",null]".to_string()),
        Just("{\"hb\":[1,-1,300],\"offset\":2,\"limit\":1}".to_string()),
    ];
    let field = prop_oneof![
        Just("Value"),
        Just("Name"),
        Just("Version"),
        Just("LastModifiedDate"),
        Just("SourceResult"),
        Just("SecretString"),
        Just("SecretBinary"),
        Just("CreatedDate"),
        Just("VersionStages"),
        Just("ResultMetadata"),
        Just("__type"),
    ];
    let object = prop::collection::vec((field, scalar), 0..6).prop_map(|fields| {
        let inner: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", inner.join(","))
    });
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        object
            .clone()
            .prop_map(|o| format!("{{\"Parameter\":{o}}}").into_bytes()),
        object.prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn decoding_any_body_gives_a_value_or_a_protocol_error(body in bodies()) {
        match parse_parameter(&body, &ParameterRequest::new("/p")) {
            Ok(p) => prop_assert!(p.text().is_some() || p.value.bytes().is_some()),
            Err(e) => prop_assert_eq!(e.code(), ErrorCode::Protocol),
        }
        if let Err(e) = parse_secret(&body, &SecretRequest::new("s")) {
            prop_assert_eq!(e.code(), ErrorCode::Protocol);
        }
    }

    #[test]
    fn classifying_any_error_answer_gives_a_typed_error(
        status in 100u16..600,
        header in proptest::option::of(".{0,30}"),
        body in bodies(),
    ) {
        let e = classify(status, header.as_deref(), &body, "parameter \"/p\"");
        prop_assert_eq!(e.status(), Some(status));
        prop_assert!(ErrorCode::ALL.contains(&e.code()));
        prop_assert!(!e.message().is_empty());
    }
}

/// Names with any Unicode (no control characters: those are refused before any request),
/// and the characters query decoders treat specially.
fn names() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('+'),
        Just('/'),
        Just(':'),
        Just('='),
        Just('&'),
        Just('%'),
        Just(' '),
        Just('?'),
        Just('#'),
    ];
    let ch = prop_oneof![
        special,
        any::<char>().prop_filter("no control characters", |c| !c.is_control()),
    ];
    prop::collection::vec(ch, 1..40).prop_map(|cs| cs.into_iter().collect())
}

#[test]
fn any_name_round_trips_through_the_emulator() {
    let store = support::repo_root().join("conformance/stores/main.json");
    let emulator = Emulator::start(store.to_str().unwrap(), "extension", &[], &HashMap::new());
    let client = blocking::Client::new(
        Client::builder()
            .endpoint(emulator.endpoint())
            .token(TOKEN)
            .env(HashMap::new())
            .ttl(std::time::Duration::ZERO)
            .build()
            .unwrap(),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 150,
        ..ProptestConfig::default()
    });
    runner
        .run(&names(), |name| {
            // Unknown names: the extension's generic 400, which still shows the decoded name
            // in the emulator's per-key counters.
            let err = client
                .get_parameter(&ParameterRequest::new(&name), ReadOptions::default())
                .expect_err("not in the store");
            prop_assert_eq!(err.code(), ErrorCode::NotFoundOrDenied);
            let seen = rt.block_on(emulator.requests_for(&format!("parameter:{name}")));
            prop_assert!(seen >= 1, "the emulator saw another name than {:?}", name);
            let _ = client.get_secret(&SecretRequest::new(&name), ReadOptions::default());
            let seen = rt.block_on(emulator.requests_for(&format!("secret:{name}")));
            prop_assert!(
                seen >= 1,
                "the emulator saw another secret id than {:?}",
                name
            );
            Ok(())
        })
        .unwrap();
}
