//! The managed Lambda extension's dialect (reference: extension-protocol.md §1–§5).
//!
//! Its traits, all reproduced here: 401 text for a bad token; 400 "not ready" during INIT;
//! one opaque 400 for every upstream failure; success bodies with explicit `null`s, ISO-8601
//! dates with milliseconds and `ResultMetadata: {}`; unknown query keys ignored.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{Method, Request, StatusCode};
use serde::Serialize;

use crate::app::{App, Found, Resolved};
use crate::model::{
    Lookup, ParameterRecord, ParameterRequest, SecretRecord, SecretRequest, Selector, iso_millis,
};
use crate::query;
use crate::server::{self, Outcome};

pub const PARAMETERS_PATH: &str = "/systemsmanager/parameters/get";
pub const PARAMETERS_PATH_SLASH: &str = "/systemsmanager/parameters/get/";
pub const SECRETS_PATH: &str = "/secretsmanager/get";

pub const TOKEN_HEADER: &str = "x-aws-parameters-secrets-token";
/// The real body is 31 bytes of this (captured in aws-sdk-rust#905).
pub const BAD_TOKEN_BODY: &str = "bad session token or header key";
pub const NOT_READY_BODY: &str = "not ready to serve traffic, please wait";
/// The one answer for every upstream failure: the real extension is this opaque.
pub const GENERIC_ERROR_BODY: &str = "an unexpected error occurred while executing request";

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct ParameterBody<'a> {
    #[serde(rename = "Parameter")]
    parameter: ParameterFields<'a>,
    #[serde(rename = "ResultMetadata")]
    result_metadata: Empty,
}

/// Field order and `null`s as in the captured responses (Go's alphabetical struct order).
#[derive(Serialize)]
struct ParameterFields<'a> {
    #[serde(rename = "ARN")]
    arn: &'a str,
    #[serde(rename = "DataType")]
    data_type: Option<&'a str>,
    #[serde(rename = "LastModifiedDate")]
    last_modified_date: String,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Selector")]
    selector: Option<&'a str>,
    #[serde(rename = "SourceResult")]
    source_result: Option<&'a str>,
    #[serde(rename = "Type")]
    kind: &'a str,
    #[serde(rename = "Value")]
    value: Option<&'a str>,
    #[serde(rename = "Version")]
    version: u64,
}

#[derive(Serialize)]
struct SecretBody<'a> {
    #[serde(rename = "ARN")]
    arn: &'a str,
    #[serde(rename = "CreatedDate")]
    created_date: String,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "SecretBinary")]
    secret_binary: Option<String>,
    #[serde(rename = "SecretString")]
    secret_string: Option<&'a str>,
    #[serde(rename = "VersionId")]
    version_id: &'a str,
    #[serde(rename = "VersionStages")]
    version_stages: &'a [String],
    #[serde(rename = "ResultMetadata")]
    result_metadata: Empty,
}

pub fn render_parameter(p: &ParameterRecord) -> Bytes {
    server::to_json_bytes(&ParameterBody {
        parameter: ParameterFields {
            arn: &p.arn,
            data_type: p.data_type.as_deref(),
            last_modified_date: iso_millis(p.last_modified),
            name: &p.name,
            selector: p.selector.as_deref(),
            source_result: p.source_result.as_deref(),
            kind: &p.kind,
            value: p.value.as_deref(),
            version: p.version,
        },
        result_metadata: Empty {},
    })
}

pub fn render_secret(s: &SecretRecord) -> Bytes {
    server::to_json_bytes(&SecretBody {
        arn: &s.arn,
        created_date: iso_millis(s.created),
        name: &s.name,
        secret_binary: s.binary.as_ref().map(|b| BASE64.encode(b)),
        secret_string: s.string.as_deref(),
        version_id: &s.version_id,
        version_stages: &s.stages,
        result_metadata: Empty {},
    })
}

fn render(found: Found) -> Bytes {
    match found {
        Found::Parameter(p) => render_parameter(&p),
        Found::Secret(s) => render_secret(&s),
    }
}

fn generic_error() -> Outcome {
    Outcome::text(StatusCode::BAD_REQUEST, GENERIC_ERROR_BODY, true)
}

/// The first non-empty value of `key` (Go's `Query().Get` plus an emptiness check).
fn non_empty<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query::first(pairs, key).filter(|v| !v.is_empty())
}

fn parameter_request(pairs: &[(String, String)]) -> Option<ParameterRequest> {
    let name = non_empty(pairs, "name")?;
    let decrypt =
        query::first(pairs, "withDecryption").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    // "If both are given, only the first of these that is placed after the question mark is
    // used" (SSM user guide).
    let selector = pairs.iter().find_map(|(k, v)| match k.as_str() {
        "version" if !v.is_empty() => Some(Selector::Version(v.clone())),
        "label" if !v.is_empty() => Some(Selector::Label(v.clone())),
        _ => None,
    });
    Some(ParameterRequest {
        name: name.to_string(),
        decrypt,
        selector,
    })
}

fn secret_request(pairs: &[(String, String)]) -> Option<SecretRequest> {
    Some(SecretRequest {
        secret_id: non_empty(pairs, "secretId")?.to_string(),
        version_id: non_empty(pairs, "versionId").map(str::to_string),
        version_stage: non_empty(pairs, "versionStage").map(str::to_string),
    })
}

pub async fn handle(app: &App, req: &Request<Incoming>) -> Outcome {
    let is_parameter = match req.uri().path() {
        PARAMETERS_PATH | PARAMETERS_PATH_SLASH => true,
        SECRETS_PATH => false,
        _ => return Outcome::text(StatusCode::NOT_FOUND, "Not found", true),
    };
    if req.method() != Method::GET {
        return Outcome::text(StatusCode::METHOD_NOT_ALLOWED, "Not allowed", true);
    }
    if !app.readiness.ready_or_hold().await {
        app.stats.not_ready();
        return Outcome::text(StatusCode::BAD_REQUEST, NOT_READY_BODY, true);
    }
    let token_ok = req
        .headers()
        .get(TOKEN_HEADER)
        .is_some_and(|v| app.token_matches(v.as_bytes()));
    if !token_ok {
        let mut o = Outcome::text(StatusCode::UNAUTHORIZED, BAD_TOKEN_BODY, true);
        o.response.headers_mut().insert(
            "x-amzn-errortype",
            HeaderValue::from_static("AccessDeniedException"),
        );
        return o;
    }
    let pairs = query::parse_pairs(req.uri().query().unwrap_or(""));
    let lookup = if is_parameter {
        parameter_request(&pairs).map(Lookup::Parameter)
    } else {
        secret_request(&pairs).map(Lookup::Secret)
    };
    let Some(lookup) = lookup else {
        return generic_error();
    };
    // The managed extension does not know `refreshNow` (an Agent addition) and is assumed to
    // ignore it like any unknown key; counted anyway so a test can see a client sent it.
    if query::first(&pairs, "refreshNow")
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    {
        app.stats.refresh_now(&lookup.stats_key());
    }
    match app.resolve(lookup, false, render).await {
        Resolved::Body(body, note) => Outcome::new(server::json(StatusCode::OK, body, true), note),
        Resolved::Failed(e, note) => {
            // The detail goes to the log (the real one writes it to CloudWatch); the client
            // only ever sees the generic text. Debug level: a harness that pipes stderr without
            // reading it must not fill the pipe and stall the emulator.
            log::debug!("upstream error {}: {}", e.kind, e.message);
            let mut o = generic_error();
            o.cache = note;
            o
        }
        Resolved::Raw(raw) => Outcome::new(server::raw(&raw), crate::cache::CacheNote::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_selector_wins() {
        let p = parameter_request(&query::parse_pairs("label=Dev&name=/a&version=1")).unwrap();
        assert_eq!(p.selector, Some(Selector::Label("Dev".into())));
        let p = parameter_request(&query::parse_pairs("version=1&label=Dev&name=/a")).unwrap();
        assert_eq!(p.selector, Some(Selector::Version("1".into())));
        assert!(!p.decrypt);
        let p = parameter_request(&query::parse_pairs("name=/a&withDecryption=true")).unwrap();
        assert!(p.decrypt);
        assert!(parameter_request(&query::parse_pairs("name=")).is_none());
        assert!(secret_request(&query::parse_pairs("versionId=x")).is_none());
    }
}
