//! The extension's wire protocol (DESIGN §2, reference/extension-protocol.md): request paths,
//! tolerant parsing of both dialects' bodies, and classification of every answer into an
//! [`ErrorCode`]. Pure functions: no I/O, so every rule here is unit-tested.

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value as Json;

use crate::config::{MAX_NAME_BYTES, ServerKind};
use crate::error::{Error, ErrorCode, Result, Retry};
use crate::types::{
    Parameter, ParameterRequest, ParameterType, Secret, SecretRequest, Selector, Sensitive,
    Timestamp, Value,
};
use crate::wire;

pub const PARAMETER_PATH: &str = "/systemsmanager/parameters/get";
pub const SECRET_PATH: &str = "/secretsmanager/get";

/// `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is escaped, so `+`,
/// `/`, `:`, `=`, `&`, `%` and spaces survive any server's query decoder.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

fn push_query(out: &mut String, key: &str, value: &str) {
    out.push(if out.contains('?') { '&' } else { '?' });
    out.push_str(key);
    out.push('=');
    out.extend(utf8_percent_encode(value, COMPONENT));
}

/// Path and query of a parameter read. Only the keys the caller asked for are sent: the
/// Agent rejects unknown keys, and `withDecryption` is omitted when false (its default).
pub fn parameter_path(req: &ParameterRequest<'_>) -> String {
    let mut out = String::with_capacity(PARAMETER_PATH.len() + req.name.len() * 3 + 32);
    out.push_str(PARAMETER_PATH);
    push_query(&mut out, "name", req.name);
    if req.decrypt {
        push_query(&mut out, "withDecryption", "true");
    }
    match req.selector {
        Selector::Latest => {}
        Selector::Version(v) => push_query(&mut out, "version", &v.to_string()),
        Selector::Label(l) => push_query(&mut out, "label", l),
    }
    out
}

/// Path and query of a secret read.
pub fn secret_path(req: &SecretRequest<'_>) -> String {
    let mut out = String::with_capacity(SECRET_PATH.len() + req.secret_id.len() * 3 + 32);
    out.push_str(SECRET_PATH);
    push_query(&mut out, "secretId", req.secret_id);
    if let Some(v) = req.version_id {
        push_query(&mut out, "versionId", v);
    }
    if let Some(s) = req.version_stage {
        push_query(&mut out, "versionStage", s);
    }
    out
}

/// Adds the Agent's `refreshNow=true` to a secret path: the Agent then skips its own cache.
/// Only for the Agent: the managed extension documents no such parameter.
pub fn push_refresh_now(path: &mut String) {
    push_query(path, "refreshNow", "true");
}

/// What an error answer says about the server, when it says something: the managed extension
/// answers a bad token with 401, the Agent with 403 `Bad Token`; only the Agent sends JSON
/// error bodies (`__type`) and plain `Not found` for a route it lacks.
pub(crate) fn server_of_error(status: u16, body: &[u8], err: &Error) -> Option<ServerKind> {
    match status {
        401 => Some(ServerKind::Extension),
        403 if body.starts_with(b"Bad Token") => Some(ServerKind::Agent),
        404 if body == b"Not found" => Some(ServerKind::Agent),
        _ if err.aws_type().is_some() && aws_error(body).is_some() => Some(ServerKind::Agent),
        _ => None,
    }
}

/// Checks a name, id, label or stage before any request: non-empty, at most 2048 bytes, no
/// control characters.
pub fn validate_name(what: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(format!("the {what} must not be empty")));
    }
    if value.len() > MAX_NAME_BYTES {
        return Err(Error::invalid(format!(
            "the {what} is {} bytes long; at most {MAX_NAME_BYTES} are allowed",
            value.len()
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "the {what} {value:?} contains control characters"
        )));
    }
    Ok(())
}

pub fn validate_parameter(req: &ParameterRequest<'_>) -> Result<()> {
    validate_name("parameter name", req.name)?;
    match req.selector {
        Selector::Label(l) => validate_name("parameter label", l)?,
        Selector::Version(0) => {
            return Err(Error::invalid(
                "parameter versions start at 1; version 0 does not exist",
            ));
        }
        _ => {}
    }
    Ok(())
}

pub fn validate_secret(req: &SecretRequest<'_>) -> Result<()> {
    validate_name("secret id", req.secret_id)?;
    if let Some(v) = req.version_id {
        validate_name("secret version id", v)?;
    }
    if let Some(s) = req.version_stage {
        validate_name("secret version stage", s)?;
    }
    Ok(())
}

/// Decodes a JSON answer. serde's messages can quote the input, so only the position is
/// kept: the body may hold a secret.
fn decode<'a, T: serde::Deserialize<'a>>(body: &'a [u8], subject: &Subject<'_>) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "does not have the expected shape",
            _ => "is not valid JSON",
        };
        protocol(format!(
            "the answer for {subject} {what} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// What a request reads, as error and log messages name it: `parameter "/app/db"` or
/// `secret "db-creds"`. Formatted only when a message is actually built, so a successful read
/// pays no allocation for it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Subject<'a> {
    Parameter(&'a str),
    Secret(&'a str),
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Parameter(name) => write!(f, "parameter {name:?}"),
            Subject::Secret(id) => write!(f, "secret {id:?}"),
        }
    }
}

fn protocol(message: String) -> Error {
    Error::new(ErrorCode::Protocol, message)
}

/// Dates come as ISO-8601 strings (extension), strings of epoch seconds (Agent) or numbers
/// of epoch seconds (native API). Anything else reads as absent rather than failing the read.
pub fn parse_date(s: &str) -> Option<Timestamp> {
    wire::parse_date_str(s)
}

/// Parses a 200 answer to a parameter read.
///
/// A `null` or missing `Value` is a protocol error, never an empty value, except for a binary
/// secret read through `/aws/reference/secretsmanager/…`, whose bytes come in `SourceResult`.
pub fn parse_parameter(body: &[u8], req: &ParameterRequest<'_>) -> Result<Parameter> {
    let subject = Subject::Parameter(req.name);
    let answer: wire::ParameterAnswer = decode(body, &subject)?;
    let Some(mut p) = answer.parameter else {
        return Err(protocol(format!(
            "the answer for {subject} has no \"Parameter\" object"
        )));
    };
    let source_result = p.source_result.take().map(Sensitive::new);
    let value = match p.value.take() {
        Some(text) => Value::String(Sensitive::new(text)),
        None => match source_result
            .as_ref()
            .and_then(|s| referenced_binary(s.expose()))
        {
            Some(bytes) => Value::Binary(Sensitive::new(bytes)),
            None => {
                return Err(protocol(format!(
                    "the answer for {subject} has no Value (null or missing), and no binary secret in its SourceResult"
                )));
            }
        },
    };
    Ok(Parameter {
        name: p.name.take().unwrap_or_else(|| req.name.to_string()),
        value,
        parameter_type: p
            .kind
            .take()
            .map(|t| ParameterType::parse(&t))
            .unwrap_or(ParameterType::String),
        version: p.version.0.unwrap_or(0),
        arn: p.arn.take(),
        last_modified: p.last_modified.0,
        data_type: p.data_type.take(),
        selector: p.selector.take(),
        source_result,
    })
}

/// The bytes of a binary secret inside a reference's `SourceResult` JSON string.
fn referenced_binary(source_result: &str) -> Option<Vec<u8>> {
    let parsed: wire::SourceResult = serde_json::from_str(source_result).ok()?;
    parsed.secret_binary.as_ref()?.readable()
}

/// Parses a 200 answer to a secret read.
pub fn parse_secret(body: &[u8], req: &SecretRequest<'_>) -> Result<Secret> {
    parse_secret_answer(body, req).map(|(s, _)| s)
}

/// [`parse_secret`], and which server the answer's shape says sent it (the managed extension
/// adds `"ResultMetadata": {}`, the Agent does not).
pub(crate) fn parse_secret_answer(
    body: &[u8],
    req: &SecretRequest<'_>,
) -> Result<(Secret, ServerKind)> {
    let subject = Subject::Secret(req.secret_id);
    let mut s: wire::SecretAnswer = decode(body, &subject)?;
    let value = match (s.secret_string.take(), s.secret_binary.0.as_deref()) {
        (Some(string), _) => Value::String(Sensitive::new(string)),
        (None, Some(b64)) => match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
            Ok(bytes) => Value::Binary(Sensitive::new(bytes)),
            Err(_) => {
                return Err(protocol(format!(
                    "the SecretBinary of {subject} is not valid base64"
                )));
            }
        },
        (None, None) => {
            return Err(protocol(format!(
                "the answer for {subject} has neither SecretString nor SecretBinary"
            )));
        }
    };
    let server = match s.result_metadata {
        Some(_) => ServerKind::Extension,
        None => ServerKind::Agent,
    };
    let secret = Secret {
        name: s.name.take(),
        arn: s.arn.take(),
        version_id: s.version_id.take(),
        version_stages: std::mem::take(&mut s.version_stages.0),
        created_date: s.created_date.0,
        value,
    };
    Ok((secret, server))
}

/// A short, printable excerpt of an error body. Quoted only for 4xx answers, whose bodies are
/// the extension's own fixed texts; 5xx and unknown answers are never quoted.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let clean: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    clean
}

/// The Agent's `{"__type": "...", "message": "..."}` error body. Its JSON is built by string
/// formatting upstream, so a failure to parse just means "no type".
fn aws_error(body: &[u8]) -> Option<(String, Option<String>)> {
    let map = match serde_json::from_slice::<Json>(body).ok()? {
        Json::Object(m) => m,
        _ => return None,
    };
    let t = map.get("__type")?.as_str()?;
    // Types may come as `prefix#Type`.
    let t = t.rsplit('#').next().unwrap_or(t).to_string();
    let message = map
        .get("message")
        .or_else(|| map.get("Message"))
        .and_then(Json::as_str)
        .map(|m| m.chars().take(300).collect());
    Some((t, message))
}

/// Turns a non-200 answer into the error a caller sees.
///
/// `subject` is e.g. `parameter "/app/db"`; `errortype` the `x-amzn-errortype` header.
///
/// Order matters: an AWS error type in a JSON body (the Agent passes the upstream status
/// through, so a not-found may come as 400 from AWS or 404 from a local fake) decides the code
/// at any status. Only then do statuses speak: 401/403, the extension's plain-text 400s, 429,
/// and an *untyped* 404/405, which means the server does not serve that route.
pub fn classify(status: u16, errortype: Option<&str>, body: &[u8], subject: &str) -> Error {
    let text = excerpt(body);
    let body_type = aws_error(body);
    let header_type = || {
        errortype
            .map(|t| t.split(':').next().unwrap_or(t).trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let (err, aws_type) = match body_type {
        Some((t, message)) => (
            classify_aws_type(status, &t, message.as_deref(), subject),
            Some(t),
        ),
        None => {
            let header = header_type();
            let err = match (status, &header) {
                (401 | 403, _) => Error::new(
                    ErrorCode::Unauthorized,
                    format!(
                        "the extension rejected the token for {subject} (HTTP {status}); the token must be the function's current AWS_SESSION_TOKEN (or the Agent's configured token)"
                    ),
                ),
                (400, _) if text.to_ascii_lowercase().contains("not ready") => Error::new(
                    ErrorCode::NotReady,
                    format!(
                        "the extension is not ready to serve traffic yet (reading {subject}); it is still starting, or the read happened during the function's INIT phase"
                    ),
                )
                .with_retry(Retry::StartUp),
                (429, _) => Error::new(
                    ErrorCode::Throttled,
                    format!("the extension throttled the read of {subject} (HTTP 429)"),
                )
                .with_retry(Retry::Transient),
                (_, Some(t)) => classify_aws_type(status, t, None, subject),
                (404 | 405, None) => Error::new(
                    ErrorCode::Protocol,
                    format!(
                        "the server does not serve this request for {subject} (HTTP {status}: {text:?}); the Secrets Manager Agent serves secrets only, not parameters"
                    ),
                ),
                (400, None) if is_agent_validation(&text) => Error::new(
                    ErrorCode::InvalidArgument,
                    format!("the server refused the request for {subject}: {text}"),
                ),
                (400, None) => Error::new(
                    ErrorCode::NotFoundOrDenied,
                    format!(
                        "{subject} was not found, or the function may not read it: the extension answers HTTP 400 {text:?} for both. Its CloudWatch logs name the cause; check the name and region, and the execution role's permissions (ssm:GetParameter / secretsmanager:GetSecretValue, and kms:Decrypt)"
                    ),
                ),
                // A gateway timeout comes after the server's own upstream attempts.
                (504, None) => Error::new(
                    ErrorCode::Timeout,
                    format!("the extension timed out reading {subject} (HTTP 504)"),
                )
                .with_retry(Retry::ServerRetried),
                (500..=599, None) => Error::new(
                    ErrorCode::Upstream,
                    format!("the extension failed reading {subject} (HTTP {status})"),
                )
                .with_retry(Retry::Transient),
                _ => Error::new(
                    ErrorCode::Protocol,
                    format!("unexpected HTTP status {status} reading {subject}"),
                ),
            };
            (err, header)
        }
    };
    let err = err.with_status(status);
    match aws_type {
        Some(t) => err.with_aws_type(t),
        None => err,
    }
}

fn is_agent_validation(text: &str) -> bool {
    [
        "unknown parameter",
        "missing parameter",
        "missing secret",
        "invalid refreshnow",
        "forwarded",
    ]
    .iter()
    .any(|p| text.to_ascii_lowercase().starts_with(p))
}

fn classify_aws_type(status: u16, t: &str, message: Option<&str>, subject: &str) -> Error {
    let detail = match message {
        Some(m) => format!("{t}: {}", excerpt(m.as_bytes())),
        None => t.to_string(),
    };
    let (code, retry, what) = if t.contains("NotFound") {
        (ErrorCode::NotFound, Retry::Never, "was not found")
    } else if t.contains("AccessDenied") {
        (
            ErrorCode::AccessDenied,
            Retry::Never,
            "may not be read by this function",
        )
    } else if t.contains("InvalidRequest")
        || t.contains("Validation")
        || t.contains("InvalidParameter")
    {
        // e.g. a versionId and a versionStage that do not belong together.
        (
            ErrorCode::InvalidArgument,
            Retry::Never,
            "was asked for with arguments the server refused",
        )
    } else if t.contains("Throttl")
        || t.contains("TooManyRequests")
        || t.contains("RequestLimitExceeded")
    {
        (
            ErrorCode::Throttled,
            Retry::Transient,
            "was throttled upstream",
        )
    } else if t.contains("Timeout") {
        // The Agent's 504 `TimeoutError`: its SDK already retried.
        (
            ErrorCode::Timeout,
            Retry::ServerRetried,
            "timed out upstream",
        )
    } else if t.contains("ConnectionError") {
        // The Agent's 502 after its SDK's own retries against an unreachable AWS.
        (
            ErrorCode::Upstream,
            Retry::ServerRetried,
            "could not be fetched: the server could not reach AWS",
        )
    } else if status >= 500
        || t.contains("InternalFailure")
        || t.contains("InternalServer")
        || t.contains("ServiceUnavailable")
    {
        (ErrorCode::Upstream, Retry::Transient, "failed upstream")
    } else {
        (ErrorCode::Upstream, Retry::Never, "was refused upstream")
    };
    Error::new(code, format!("{subject} {what} (HTTP {status}, {detail})")).with_retry(retry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_read_as_before_they_were_formatted_lazily() {
        assert_eq!(
            Subject::Parameter("/app/db").to_string(),
            format!("parameter {:?}", "/app/db")
        );
        assert_eq!(
            Subject::Secret("a\"b\n").to_string(),
            "secret \"a\\\"b\\n\""
        );
        let err = parse_parameter(b"{", &ParameterRequest::new("/app/db")).unwrap_err();
        assert!(
            err.to_string()
                .contains("the answer for parameter \"/app/db\" is not valid JSON"),
            "{err}"
        );
        let err = parse_secret(b"{}", &SecretRequest::new("db")).unwrap_err();
        assert!(
            err.to_string()
                .contains("the answer for secret \"db\" has neither SecretString nor SecretBinary"),
            "{err}"
        );
    }

    #[test]
    fn names_are_percent_encoded_like_encode_uri_component() {
        let req = ParameterRequest::new("/a b/c+d:e=f&g%h/é");
        assert_eq!(
            parameter_path(&req),
            "/systemsmanager/parameters/get?name=%2Fa%20b%2Fc%2Bd%3Ae%3Df%26g%25h%2F%C3%A9&withDecryption=true"
        );
        let req = ParameterRequest::new("x").decrypt(false).label("Prod 1");
        assert_eq!(
            parameter_path(&req),
            "/systemsmanager/parameters/get?name=x&label=Prod%201"
        );
        let req = ParameterRequest::new("x").version(3);
        assert_eq!(
            parameter_path(&req),
            "/systemsmanager/parameters/get?name=x&withDecryption=true&version=3"
        );
        let req = SecretRequest::new("a/b+c")
            .version_id("v-1")
            .version_stage("AWSPREVIOUS");
        assert_eq!(
            secret_path(&req),
            "/secretsmanager/get?secretId=a%2Fb%2Bc&versionId=v-1&versionStage=AWSPREVIOUS"
        );
        assert_eq!(
            secret_path(&SecretRequest::new("plain-_.!~*'()")),
            "/secretsmanager/get?secretId=plain-_.!~*'()"
        );
    }

    #[test]
    fn names_are_validated() {
        assert!(validate_name("name", "/ok").is_ok());
        assert!(validate_name("name", &"x".repeat(2048)).is_ok());
        for bad in ["", "a\nb", "a\u{0}b", "tab\there"] {
            let e = validate_name("name", bad).expect_err(bad);
            assert_eq!(e.code(), ErrorCode::InvalidArgument);
        }
        let e = validate_name("name", &"x".repeat(2049)).expect_err("long");
        assert!(e.message().contains("2049"));
        assert!(validate_parameter(&ParameterRequest::new("ok").label("")).is_err());
        assert!(validate_secret(&SecretRequest::new("ok").version_stage("a\rb")).is_err());
    }

    #[test]
    fn parses_the_extension_parameter_shape_with_nulls() {
        let body = br#"{"Parameter":{"ARN":"arn:aws:ssm:us-east-1:1:parameter/p","DataType":"text","LastModifiedDate":"2022-11-16T08:22:40.362Z","Name":"/p","Selector":":1","SourceResult":null,"Type":"StringList","Value":"a,b,c","Version":1},"ResultMetadata":{}}"#;
        let p = parse_parameter(body, &ParameterRequest::new("/p")).expect("parse");
        assert_eq!(p.name, "/p");
        assert_eq!(p.text(), Some("a,b,c"));
        assert_eq!(p.parameter_type, ParameterType::StringList);
        assert_eq!(p.version, 1);
        assert_eq!(p.selector.as_deref(), Some(":1"));
        assert_eq!(
            p.last_modified.map(|t| t.epoch_millis),
            Some(1_668_586_960_362)
        );
        assert!(p.source_result.is_none());
    }

    #[test]
    fn parses_missing_fields_like_nulls() {
        let p = parse_parameter(
            br#"{"Parameter":{"Value":"v"}}"#,
            &ParameterRequest::new("/n"),
        )
        .expect("parse");
        assert_eq!(p.name, "/n");
        assert_eq!(p.parameter_type, ParameterType::String);
        assert_eq!(p.version, 0);
        assert!(p.arn.is_none() && p.last_modified.is_none() && p.selector.is_none());
        let p = parse_parameter(
            br#"{"Parameter":{"Value":"","Version":"7"}}"#,
            &ParameterRequest::new("/n"),
        )
        .expect("parse");
        assert_eq!(p.text(), Some(""));
        assert_eq!(p.version, 7);
        for body in [
            &br#"{"Parameter":{"Value":null,"Version":"7"}}"#[..],
            br#"{"Parameter":{"Name":"/n"}}"#,
            br#"{"Parameter":{"Value":null,"SourceResult":"{\"secretString\":\"x\"}"}}"#,
        ] {
            let e = parse_parameter(body, &ParameterRequest::new("/n")).expect_err("null");
            assert_eq!(e.code(), ErrorCode::Protocol);
            assert!(e.message().contains("no Value"), "{e}");
        }
    }

    #[test]
    fn reads_a_binary_secret_through_a_parameter_store_reference() {
        // As the managed extension answers /aws/reference/secretsmanager/NAME for a binary
        // secret: a serialized Java ByteBuffer, with signed bytes.
        let source = r#"{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:bin-AbC","name":"bin","versionId":"v1","secretBinary":{"hb":[0,97,32,-1,-128,127,9],"offset":1,"isReadOnly":false,"bigEndian":true,"nativeByteOrder":false,"mark":-1,"position":0,"limit":5,"capacity":7,"address":0},"versionStages":["AWSCURRENT"],"createdDate":"Nov 16, 2022, 8:24:07 AM"}"#;
        let body = serde_json::json!({
            "Parameter": {"Name": "/aws/reference/secretsmanager/bin", "Type": "SecureString",
                          "Value": null, "Version": 0, "SourceResult": source}
        })
        .to_string();
        let req = ParameterRequest::new("/aws/reference/secretsmanager/bin");
        let p = parse_parameter(body.as_bytes(), &req).expect("parse");
        assert_eq!(p.value.bytes(), Some(&[97u8, 32, 255, 128, 127][..]));
        assert!(p.text().is_none());
        // A window outside hb is not bytes.
        let bad = source.replace(r#""limit":5"#, r#""limit":50"#);
        let body =
            serde_json::json!({"Parameter": {"Value": null, "SourceResult": bad}}).to_string();
        let e = parse_parameter(body.as_bytes(), &req).expect_err("bad window");
        assert_eq!(e.code(), ErrorCode::Protocol);
    }

    #[test]
    fn parses_every_date_format() {
        let want = Some(Timestamp {
            epoch_millis: 1_569_534_789_046,
        });
        assert_eq!(parse_date("1569534789.046"), want);
        assert_eq!(parse_date("2019-09-26T21:53:09.046Z"), want);
        assert_eq!(parse_date("2019-09-26T23:53:09.046+02:00"), want);
        assert_eq!(parse_date("yesterday"), None);
        // Numbers, strings and nulls inside real answers.
        let req = ParameterRequest::new("/p");
        for (date, want) in [
            ("1569534789.046", want),
            ("\"1569534789.046\"", want),
            ("\"2019-09-26T21:53:09.046Z\"", want),
            (
                "1569534789",
                Some(Timestamp {
                    epoch_millis: 1_569_534_789_000,
                }),
            ),
            ("null", None),
            ("\"yesterday\"", None),
            ("{\"a\": [1]}", None),
        ] {
            let body = format!(r#"{{"Parameter":{{"Value":"v","LastModifiedDate":{date}}}}}"#);
            let p = parse_parameter(body.as_bytes(), &req).expect("parse");
            assert_eq!(p.last_modified, want, "{date}");
        }
    }

    #[test]
    fn parses_both_secret_dialects() {
        let ext = br#"{"ARN":"arn:s","CreatedDate":"2022-11-16T08:22:40.499Z","Name":"s","SecretBinary":null,"SecretString":"{\"a\":1}","VersionId":"v1","VersionStages":["AWSCURRENT"],"ResultMetadata":{}}"#;
        let s = parse_secret(ext, &SecretRequest::new("s")).expect("parse");
        assert_eq!(s.secret_string(), Some("{\"a\":1}"));
        assert_eq!(s.version_stages, vec!["AWSCURRENT"]);
        assert_eq!(
            s.created_date.map(|t| t.epoch_millis),
            Some(1_668_586_960_499)
        );
        let agent = br#"{"ARN":null,"Name":"b","VersionId":"v2","SecretBinary":"AAEC/w==","CreatedDate":"1569534789.046"}"#;
        let s = parse_secret(agent, &SecretRequest::new("b")).expect("parse");
        assert_eq!(s.secret_binary(), Some(&[0u8, 1, 2, 255][..]));
        assert!(s.arn.is_none());
        assert!(s.version_stages.is_empty());
    }

    #[test]
    fn bad_bodies_are_protocol_errors_that_quote_nothing() {
        let req = SecretRequest::new("s");
        for body in [
            &b"not json hunter2"[..],
            br#"["hunter2"]"#,
            br#"{"SecretString":null}"#,
            br#"{"SecretBinary":"hunter2!!"}"#,
            br#"{"SecretString":"hunter2""#,
        ] {
            let e = parse_secret(body, &req).expect_err("bad");
            assert_eq!(e.code(), ErrorCode::Protocol);
            assert!(!format!("{e} {e:?}").contains("hunter2"), "{e:?}");
        }
        let e = parse_parameter(br#"{"Value":"hunter2"}"#, &ParameterRequest::new("p"))
            .expect_err("no Parameter");
        assert_eq!(e.code(), ErrorCode::Protocol);
        assert!(!format!("{e:?}").contains("hunter2"));
    }

    fn code(status: u16, errortype: Option<&str>, body: &str) -> (ErrorCode, Retry) {
        let e = classify(status, errortype, body.as_bytes(), "parameter \"/p\"");
        assert_eq!(e.status(), Some(status));
        (e.code(), e.retry())
    }

    #[test]
    fn classifies_the_managed_extension() {
        use ErrorCode::*;
        assert_eq!(
            code(
                400,
                None,
                "an unexpected error occurred while executing request"
            ),
            (NotFoundOrDenied, Retry::Never)
        );
        assert_eq!(
            code(400, None, "not ready to serve traffic, please wait"),
            (NotReady, Retry::StartUp)
        );
        assert_eq!(
            code(
                401,
                Some("AccessDeniedException"),
                "bad session token or header key"
            ),
            (Unauthorized, Retry::Never)
        );
        assert_eq!(code(429, None, ""), (Throttled, Retry::Transient));
        for s in [500, 502, 503] {
            assert_eq!(code(s, None, "oops"), (Upstream, Retry::Transient));
        }
        assert_eq!(code(504, None, ""), (Timeout, Retry::ServerRetried));
        assert_eq!(code(418, None, ""), (Protocol, Retry::Never));
        let e = classify(
            400,
            None,
            b"an unexpected error occurred while executing request",
            "parameter \"/p\"",
        );
        assert!(e.message().contains("CloudWatch") && e.message().contains("/p"));
    }

    #[test]
    fn classifies_the_agent() {
        use ErrorCode::*;
        assert_eq!(code(403, None, "Bad Token"), (Unauthorized, Retry::Never));
        assert_eq!(
            code(
                400,
                None,
                r#"{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}"#
            ),
            (NotFound, Retry::Never)
        );
        assert_eq!(
            code(
                400,
                None,
                r#"{"__type":"AccessDeniedException","message":"no"}"#
            ),
            (AccessDenied, Retry::Never)
        );
        assert_eq!(
            code(
                400,
                None,
                r#"{"__type":"ThrottlingException","message":"slow down"}"#
            ),
            (Throttled, Retry::Transient)
        );
        assert_eq!(
            code(
                504,
                None,
                r#"{"__type":"TimeoutError","message":"Timeout"}"#
            ),
            (Timeout, Retry::ServerRetried)
        );
        assert_eq!(
            code(
                502,
                None,
                r#"{"__type":"ConnectionError","message":"Read Error"}"#
            ),
            (Upstream, Retry::ServerRetried)
        );
        assert_eq!(
            code(500, None, r#"{"__type":"InternalFailure"}"#),
            (Upstream, Retry::Transient)
        );
        assert_eq!(
            code(
                400,
                None,
                r#"{"__type":"com.amazon#ValidationException","message":"bad"}"#
            ),
            (InvalidArgument, Retry::Never)
        );
        assert_eq!(
            code(
                400,
                None,
                r#"{"__type":"InvalidRequestException","message":"You can't specify both a version ID and a version stage that don't match."}"#
            ),
            (InvalidArgument, Retry::Never)
        );
        assert_eq!(
            code(
                400,
                None,
                r#"{"__type":"InvalidSignatureException","message":"m"}"#
            ),
            (Upstream, Retry::Never)
        );
        assert_eq!(
            code(400, None, "unknown parameter: foo"),
            (InvalidArgument, Retry::Never)
        );
        assert_eq!(
            code(400, None, "missing parameter secretId"),
            (InvalidArgument, Retry::Never)
        );
        assert_eq!(code(404, None, "Not found"), (Protocol, Retry::Never));
        assert_eq!(code(405, None, "Not allowed"), (Protocol, Retry::Never));
        // A typed body decides at any status: a local fake of AWS answers 404, AWS 400.
        for status in [400, 404] {
            assert_eq!(
                code(
                    status,
                    None,
                    r#"{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}"#
                ),
                (NotFound, Retry::Never),
                "{status}"
            );
        }
        assert_eq!(
            code(
                404,
                None,
                r#"{"__type":"InvalidRequestException","message":"m"}"#
            ),
            (InvalidArgument, Retry::Never)
        );
        assert_eq!(
            code(
                403,
                None,
                r#"{"__type":"AccessDeniedException","message":"m"}"#
            ),
            (AccessDenied, Retry::Never)
        );
        // An unescaped quote upstream makes the JSON invalid: still an error, never a panic.
        assert_eq!(
            code(400, None, r#"{"__type":"X","message":"say "hi""}"#),
            (NotFoundOrDenied, Retry::Never)
        );
        let e = classify(
            400,
            None,
            br#"{"__type":"ResourceNotFoundException","message":"m"}"#,
            "secret \"s\"",
        );
        assert_eq!(e.aws_type(), Some("ResourceNotFoundException"));
    }
}
