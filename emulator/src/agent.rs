//! The aws-secretsmanager-agent dialect (reference: extension-protocol.md §6).
//!
//! Checks run in the Agent's order: X-Forwarded-For, token (both skipped for `/ping`), method,
//! route, then query validation. Text answers carry no content type (the Agent sets none);
//! AWS errors are `{"__type","message"}` JSON with the upstream status; successes omit absent
//! fields and give `CreatedDate` as a string of epoch seconds.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};
use serde::Serialize;

use crate::app::{App, Found, Resolved};
use crate::cache::CacheNote;
use crate::model::{Lookup, SecretRecord, SecretRequest, UpstreamError, epoch_fraction};
use crate::query;
use crate::server::{self, Outcome};

pub const SECRETS_PATH: &str = "/secretsmanager/get";
/// The Agent's default `path_prefix`.
pub const PATH_PREFIX: &str = "/v1/";
/// The Agent's default `ssrf_headers`.
const TOKEN_HEADERS: [&str; 2] = ["x-aws-parameters-secrets-token", "x-vault-token"];

#[derive(Serialize)]
struct SecretBody<'a> {
    #[serde(rename = "ARN")]
    arn: &'a str,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "VersionId")]
    version_id: &'a str,
    #[serde(rename = "SecretString", skip_serializing_if = "Option::is_none")]
    secret_string: Option<&'a str>,
    #[serde(rename = "SecretBinary", skip_serializing_if = "Option::is_none")]
    secret_binary: Option<String>,
    #[serde(rename = "VersionStages")]
    version_stages: &'a [String],
    #[serde(rename = "CreatedDate")]
    created_date: String,
}

pub fn render_secret(s: &SecretRecord) -> Bytes {
    server::to_json_bytes(&SecretBody {
        arn: &s.arn,
        name: &s.name,
        version_id: &s.version_id,
        secret_string: s.string.as_deref(),
        secret_binary: s.binary.as_ref().map(|b| BASE64.encode(b)),
        version_stages: &s.stages,
        created_date: epoch_fraction(s.created),
    })
}

fn render(found: Found) -> Bytes {
    match found {
        Found::Secret(s) => render_secret(&s),
        // The Agent has no parameters route, so this cannot be reached; render something
        // valid anyway rather than panic.
        Found::Parameter(p) => crate::extension::render_parameter(&p),
    }
}

/// `{"__type": …, "message": …}` with the upstream status. Built with a JSON serialiser, so
/// unlike the real Agent a quote in a message cannot break the document.
fn aws_error(e: &UpstreamError) -> server::Body {
    server::to_json_bytes(&serde_json::json!({"__type": e.kind, "message": e.message})).into()
}

fn plain(status: StatusCode, body: &str) -> Outcome {
    Outcome::text(status, body, false)
}

/// A query-string request: the Agent's `GSVQuery::try_from_query`.
fn query_request(raw_query: &str) -> Result<(SecretRequest, bool), String> {
    let mut req = SecretRequest {
        secret_id: String::new(),
        version_id: None,
        version_stage: None,
    };
    let refresh = apply_pairs(&mut req, raw_query, true)?;
    if req.secret_id.is_empty() {
        return Err("missing parameter secretId".to_string());
    }
    Ok((req, refresh))
}

/// A path-style request: the Agent's `try_from_path_query`. The id is the raw path after the
/// prefix (slashes kept, not percent-decoded, as the Agent takes it from `Url::path`).
fn path_request(path: &str, raw_query: &str) -> Result<(SecretRequest, bool), String> {
    let id = path.get(PATH_PREFIX.len()..).unwrap_or("");
    if id.is_empty() {
        return Err("missing secret ID".to_string());
    }
    let mut req = SecretRequest {
        secret_id: id.to_string(),
        version_id: None,
        version_stage: None,
    };
    let refresh = apply_pairs(&mut req, raw_query, false)?;
    Ok((req, refresh))
}

/// Walks the query in order, like the Agent: the last occurrence of a key wins, and the first
/// unknown key or bad `refreshNow` ends the request.
fn apply_pairs(
    req: &mut SecretRequest,
    raw_query: &str,
    allow_secret_id: bool,
) -> Result<bool, String> {
    let mut refresh = false;
    for (k, v) in query::parse_pairs(raw_query) {
        match k.as_str() {
            "secretId" if allow_secret_id => req.secret_id = v,
            "versionId" => req.version_id = Some(v),
            "versionStage" => req.version_stage = Some(v),
            "refreshNow" => {
                refresh = match v.to_lowercase().as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err("invalid refreshNow value".to_string()),
                }
            }
            other => return Err(format!("unknown parameter: {other}")),
        }
    }
    Ok(refresh)
}

pub async fn handle(app: &App, req: &Request<Incoming>) -> Outcome {
    let path = req.uri().path();
    if path != "/ping" {
        if req.headers().contains_key("x-forwarded-for") {
            return plain(StatusCode::BAD_REQUEST, "Forwarded");
        }
        let token_ok = TOKEN_HEADERS.iter().any(|h| {
            req.headers()
                .get(*h)
                .is_some_and(|v| app.token_matches(v.as_bytes()))
        });
        if !token_ok {
            return plain(StatusCode::FORBIDDEN, "Bad Token");
        }
    }
    if req.method() != Method::GET {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "Not allowed");
    }
    let raw_query = req.uri().query().unwrap_or("");
    let parsed = if path == "/ping" {
        return plain(StatusCode::OK, "healthy");
    } else if path == SECRETS_PATH {
        query_request(raw_query)
    } else if path.starts_with(PATH_PREFIX) {
        path_request(path, raw_query)
    } else {
        return plain(StatusCode::NOT_FOUND, "Not found");
    };
    let (secret, refresh) = match parsed {
        Ok(p) => p,
        Err(message) => return plain(StatusCode::BAD_REQUEST, &message),
    };
    let lookup = Lookup::Secret(secret);
    if refresh {
        app.stats.refresh_now(&lookup.stats_key());
    }
    match app.resolve(lookup, refresh, render).await {
        Resolved::Body(body, note) => Outcome::new(server::json(StatusCode::OK, body, false), note),
        Resolved::Failed(e, note) => {
            // AWS answers not-found with 400; the knob lets it look like a local fake's 404.
            // An entry's explicit `error_status` other than 400 is left alone.
            let status = if e.is_not_found() && e.status == 400 {
                app.knobs.get().not_found_status
            } else {
                e.status
            };
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = hyper::Response::new(aws_error(&e));
            *response.status_mut() = status;
            Outcome::new(response, note)
        }
        Resolved::Raw(raw) => Outcome::new(server::raw(&raw), CacheNote::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_validation_in_agent_order() {
        assert_eq!(
            query_request("secretId=a&abc=1").unwrap_err(),
            "unknown parameter: abc"
        );
        assert_eq!(
            query_request("abc=1").unwrap_err(),
            "unknown parameter: abc"
        );
        assert_eq!(
            query_request("versionId=x").unwrap_err(),
            "missing parameter secretId"
        );
        assert_eq!(
            query_request("secretId=").unwrap_err(),
            "missing parameter secretId"
        );
        assert_eq!(
            query_request("secretId=a&refreshNow=yes").unwrap_err(),
            "invalid refreshNow value"
        );
        let (r, refresh) = query_request("secretId=a&secretId=b&refreshNow=TRUE").unwrap();
        assert_eq!(r.secret_id, "b");
        assert!(refresh);
        let (_, refresh) = query_request("secretId=a&refreshNow=0").unwrap();
        assert!(!refresh);
    }

    #[test]
    fn path_style() {
        let (r, _) = path_request("/v1/My/Test", "versionStage=AWSPREVIOUS").unwrap();
        assert_eq!(r.secret_id, "My/Test");
        assert_eq!(r.version_stage.as_deref(), Some("AWSPREVIOUS"));
        assert_eq!(path_request("/v1/", "").unwrap_err(), "missing secret ID");
        assert_eq!(
            path_request("/v1/a", "secretId=b").unwrap_err(),
            "unknown parameter: secretId"
        );
    }
}
