//! The store file's JSON format (serde) and its validation into the model of `mod.rs`.
//!
//! Unknown fields are rejected so that a misspelt fault knob fails loudly instead of silently
//! doing nothing. Error messages name the entry, never a value.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::{HeaderName, HeaderValue};
use serde::Deserialize;
use serde::de::IgnoredAny;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ids::generated_version_id;
use super::{
    Knobs, Parameter, ParameterVersion, Payload, RawResponse, SECRET_REFERENCE_PREFIX, Secret,
    SecretVersion, StoreError, default_date, err,
};
use crate::model::UpstreamError;

/// Account and region used in generated ARNs.
const ARN_REGION_ACCOUNT: &str = "us-east-1:123456789012";
/// The suffix Secrets Manager appends to secret ARNs (random there, fixed here).
const SECRET_ARN_SUFFIX: &str = "-AbCdEf";

const PARAMETER_TYPES: [&str; 3] = ["String", "StringList", "SecureString"];

// Field names are snake_case in the file.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreFile {
    #[serde(default)]
    parameters: Vec<ParameterEntry>,
    #[serde(default)]
    secrets: Vec<SecretEntry>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterEntry {
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    data_type: Option<String>,
    arn: Option<String>,
    value: Option<String>,
    labels: Option<Vec<String>>,
    last_modified: Option<String>,
    versions: Option<Vec<ParameterVersionEntry>>,
    // Fault knobs (duplicated in SecretEntry because serde's `flatten` and
    // `deny_unknown_fields` do not mix).
    error: Option<String>,
    error_status: Option<u16>,
    error_message: Option<String>,
    respond: Option<RespondEntry>,
    delay_ms: Option<u64>,
    null_value: Option<bool>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterVersionEntry {
    version: Option<u64>,
    value: String,
    #[serde(default)]
    labels: Vec<String>,
    last_modified: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretEntry {
    name: String,
    arn: Option<String>,
    string: Option<String>,
    binary_base64: Option<String>,
    version_id: Option<String>,
    stages: Option<Vec<String>>,
    created: Option<String>,
    versions: Option<Vec<SecretVersionEntry>>,
    error: Option<String>,
    error_status: Option<u16>,
    error_message: Option<String>,
    respond: Option<RespondEntry>,
    delay_ms: Option<u64>,
    null_value: Option<bool>,
    byte_buffer_padding: Option<usize>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretVersionEntry {
    version_id: Option<String>,
    #[serde(default)]
    stages: Vec<String>,
    string: Option<String>,
    binary_base64: Option<String>,
    created: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RespondEntry {
    status: u16,
    #[serde(default)]
    body: String,
    content_type: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

/// Parses the JSON text and builds every entry (duplicates are checked by the caller).
pub(super) fn read(text: &[u8]) -> Result<(Vec<Parameter>, Vec<Secret>), StoreError> {
    // serde would also accept a JSON array for a struct; the format is an object.
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return err("invalid store JSON: the top level must be an object");
    }
    let file: StoreFile = serde_json::from_slice(text)
        // serde_json's messages quote the offending token for type errors at most (a field
        // name or a short fragment), with line and column: useful, and not a value dump.
        .map_err(|e| StoreError(format!("invalid store JSON: {e}")))?;
    let parameters = file
        .parameters
        .into_iter()
        .map(build_parameter)
        .collect::<Result<Vec<_>, _>>()?;
    let secrets = file
        .secrets
        .into_iter()
        .map(build_secret)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((parameters, secrets))
}

/// The status an `error` knob answers with unless `error_status` says otherwise.
fn default_error_status(kind: &str) -> u16 {
    match kind {
        "InternalServerError" | "InternalFailure" | "ServiceUnavailable" => 500,
        _ => 400,
    }
}

fn build_knobs(
    what: &str,
    name: &str,
    error: Option<String>,
    error_status: Option<u16>,
    error_message: Option<String>,
    respond: Option<RespondEntry>,
    delay_ms: Option<u64>,
) -> Result<Knobs, StoreError> {
    let error = match error {
        None => {
            if error_status.is_some() || error_message.is_some() {
                return err(format!(
                    "{what} {name:?}: error_status/error_message need an \"error\" type"
                ));
            }
            None
        }
        Some(kind) => {
            if kind.is_empty() {
                return err(format!("{what} {name:?}: \"error\" must not be empty"));
            }
            let status = error_status.unwrap_or_else(|| default_error_status(&kind));
            if !(100..=599).contains(&status) {
                return err(format!(
                    "{what} {name:?}: error_status {status} is not an HTTP status"
                ));
            }
            let message = error_message.unwrap_or_else(|| {
                format!("{kind}: emulated failure for {what} {name} (paramsecrets-emulator)")
            });
            Some(UpstreamError {
                kind,
                status,
                message,
            })
        }
    };
    let respond = match respond {
        None => None,
        Some(r) => Some(Arc::new(build_raw_response(what, name, r)?)),
    };
    Ok(Knobs {
        error,
        respond,
        delay: delay_ms.map(Duration::from_millis),
        ..Knobs::default()
    })
}

fn build_raw_response(what: &str, name: &str, r: RespondEntry) -> Result<RawResponse, StoreError> {
    let status = match StatusCode::from_u16(r.status) {
        Ok(s) => s,
        Err(_) => {
            return err(format!(
                "{what} {name:?}: respond.status {} is not an HTTP status",
                r.status
            ));
        }
    };
    let mut headers = Vec::new();
    if let Some(ct) = r.content_type {
        headers.push(("content-type".to_string(), ct));
    }
    headers.extend(r.headers);
    let headers = headers
        .into_iter()
        .map(|(k, v)| {
            let key = HeaderName::from_bytes(k.as_bytes()).map_err(|_| {
                StoreError(format!("{what} {name:?}: bad header name {k:?} in respond"))
            })?;
            let value = HeaderValue::from_str(&v).map_err(|_| {
                StoreError(format!(
                    "{what} {name:?}: bad value for header {k:?} in respond"
                ))
            })?;
            Ok((key, value))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(RawResponse {
        status,
        body: Bytes::from(r.body),
        headers,
    })
}

fn parse_date(what: &str, name: &str, text: Option<&str>) -> Result<OffsetDateTime, StoreError> {
    match text {
        None => Ok(default_date()),
        Some(t) => OffsetDateTime::parse(t, &Rfc3339).map_err(|e| {
            StoreError(format!(
                "{what} {name:?}: date {t:?} is not RFC 3339 (e.g. 2024-01-02T03:04:05.678Z): {e}"
            ))
        }),
    }
}

fn build_parameter(e: ParameterEntry) -> Result<Parameter, StoreError> {
    let name = e.name;
    if name.is_empty() {
        return err("a parameter has an empty name");
    }
    if name.starts_with(SECRET_REFERENCE_PREFIX) {
        return err(format!(
            "parameter {name:?}: names under {SECRET_REFERENCE_PREFIX} are served from \"secrets\""
        ));
    }
    let kind = e.kind.unwrap_or_else(|| "String".to_string());
    if !PARAMETER_TYPES.contains(&kind.as_str()) {
        return err(format!(
            "parameter {name:?}: type {kind:?} is not one of String, StringList, SecureString"
        ));
    }
    let versions = match (e.value, e.versions) {
        (Some(_), Some(_)) => {
            return err(format!(
                "parameter {name:?}: give either \"value\" or \"versions\", not both"
            ));
        }
        (Some(value), None) => vec![ParameterVersion {
            version: 1,
            value,
            labels: e.labels.unwrap_or_default(),
            last_modified: parse_date("parameter", &name, e.last_modified.as_deref())?,
        }],
        (None, Some(list)) => {
            if e.labels.is_some() || e.last_modified.is_some() {
                return err(format!(
                    "parameter {name:?}: with \"versions\", put labels and last_modified inside each version"
                ));
            }
            if list.is_empty() {
                return err(format!("parameter {name:?}: \"versions\" is empty"));
            }
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                let number = v.version.unwrap_or(i as u64 + 1);
                if number == 0 {
                    return err(format!("parameter {name:?}: versions start at 1"));
                }
                out.push(ParameterVersion {
                    version: number,
                    value: v.value,
                    labels: v.labels,
                    last_modified: parse_date("parameter", &name, v.last_modified.as_deref())?,
                });
            }
            out.sort_by_key(|v| v.version);
            for pair in out.windows(2) {
                if pair[0].version == pair[1].version {
                    return err(format!(
                        "parameter {name:?}: version {} appears twice",
                        pair[0].version
                    ));
                }
            }
            let mut seen = std::collections::HashSet::new();
            for label in out.iter().flat_map(|v| v.labels.iter()) {
                if !seen.insert(label.as_str()) {
                    return err(format!(
                        "parameter {name:?}: label {label:?} is on more than one version"
                    ));
                }
            }
            out
        }
        (None, None) if e.null_value == Some(true) => vec![ParameterVersion {
            // Never shown: the answer's Value is null.
            version: 1,
            value: String::new(),
            labels: e.labels.unwrap_or_default(),
            last_modified: parse_date("parameter", &name, e.last_modified.as_deref())?,
        }],
        (None, None) => {
            if e.error.is_none() && e.respond.is_none() {
                return err(format!(
                    "parameter {name:?}: needs \"value\", \"versions\", \"error\", \"respond\" or \"null_value\""
                ));
            }
            Vec::new()
        }
    };
    let mut knobs = build_knobs(
        "parameter",
        &name,
        e.error,
        e.error_status,
        e.error_message,
        e.respond,
        e.delay_ms,
    )?;
    knobs.null_value = e.null_value.unwrap_or(false);
    let arn = e.arn.unwrap_or_else(|| {
        format!(
            "arn:aws:ssm:{ARN_REGION_ACCOUNT}:parameter/{}",
            name.strip_prefix('/').unwrap_or(&name)
        )
    });
    Ok(Parameter {
        name,
        kind,
        data_type: e.data_type.unwrap_or_else(|| "text".to_string()),
        arn,
        versions,
        knobs,
    })
}

fn payload(
    name: &str,
    string: Option<String>,
    binary_base64: Option<String>,
) -> Result<Option<Payload>, StoreError> {
    match (string, binary_base64) {
        (Some(_), Some(_)) => err(format!(
            "secret {name:?}: give either \"string\" or \"binary_base64\", not both"
        )),
        (Some(s), None) => Ok(Some(Payload::String(s))),
        (None, Some(b)) => match BASE64.decode(b.trim()) {
            Ok(bytes) => Ok(Some(Payload::Binary(bytes))),
            Err(_) => err(format!(
                "secret {name:?}: binary_base64 is not standard base64"
            )),
        },
        (None, None) => Ok(None),
    }
}

fn build_secret(e: SecretEntry) -> Result<Secret, StoreError> {
    let name = e.name;
    if name.is_empty() {
        return err("a secret has an empty name");
    }
    let short = payload(&name, e.string, e.binary_base64)?;
    let versions = match (short, e.versions) {
        (Some(_), Some(_)) => {
            return err(format!(
                "secret {name:?}: give either \"string\"/\"binary_base64\" or \"versions\", not both"
            ));
        }
        (Some(p), None) => vec![SecretVersion {
            version_id: e
                .version_id
                .unwrap_or_else(|| generated_version_id(&name, 0)),
            stages: e.stages.unwrap_or_else(|| vec!["AWSCURRENT".to_string()]),
            payload: p,
            created: parse_date("secret", &name, e.created.as_deref())?,
        }],
        (None, Some(list)) => {
            if e.version_id.is_some() || e.stages.is_some() || e.created.is_some() {
                return err(format!(
                    "secret {name:?}: with \"versions\", put version_id, stages and created inside each version"
                ));
            }
            if list.is_empty() {
                return err(format!("secret {name:?}: \"versions\" is empty"));
            }
            let mut out: Vec<SecretVersion> = Vec::with_capacity(list.len());
            for (i, v) in list.into_iter().enumerate() {
                let Some(p) = payload(&name, v.string, v.binary_base64)? else {
                    return err(format!(
                        "secret {name:?}: version {} needs \"string\" or \"binary_base64\"",
                        i + 1
                    ));
                };
                let version_id = v
                    .version_id
                    .unwrap_or_else(|| generated_version_id(&name, i));
                if out.iter().any(|o| o.version_id == version_id) {
                    return err(format!(
                        "secret {name:?}: version_id {version_id} appears twice"
                    ));
                }
                for stage in &v.stages {
                    if out.iter().any(|o| o.stages.contains(stage)) {
                        return err(format!(
                            "secret {name:?}: stage {stage:?} is on more than one version"
                        ));
                    }
                }
                out.push(SecretVersion {
                    version_id,
                    stages: v.stages,
                    payload: p,
                    created: parse_date("secret", &name, v.created.as_deref())?,
                });
            }
            out
        }
        (None, None) => {
            if e.version_id.is_some() || e.stages.is_some() {
                return err(format!(
                    "secret {name:?}: version_id/stages need \"string\" or \"binary_base64\""
                ));
            }
            if e.error.is_none() && e.respond.is_none() {
                return err(format!(
                    "secret {name:?}: needs \"string\", \"binary_base64\", \"versions\", \"error\" or \"respond\""
                ));
            }
            Vec::new()
        }
    };
    let mut knobs = build_knobs(
        "secret",
        &name,
        e.error,
        e.error_status,
        e.error_message,
        e.respond,
        e.delay_ms,
    )?;
    knobs.null_value = e.null_value.unwrap_or(false);
    knobs.byte_buffer_padding = e.byte_buffer_padding.unwrap_or(0);
    if knobs.byte_buffer_padding > 1 << 20 {
        return err(format!(
            "secret {name:?}: byte_buffer_padding above 1048576 bytes"
        ));
    }
    let arn = e.arn.unwrap_or_else(|| {
        format!("arn:aws:secretsmanager:{ARN_REGION_ACCOUNT}:secret:{name}{SECRET_ARN_SUFFIX}")
    });
    Ok(Secret {
        name,
        arn,
        versions,
        knobs,
    })
}

/// A secret ARN without its `-XXXXXX` suffix, which Secrets Manager also accepts as an id.
pub(super) fn partial_secret_arn(arn: &str) -> Option<&str> {
    if !arn.starts_with("arn:") {
        return None;
    }
    let (head, suffix) = arn.rsplit_once('-')?;
    (suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric())).then_some(head)
}

#[cfg(test)]
mod tests {
    use super::super::Store;

    #[test]
    fn rejects_mistakes() {
        for bad in [
            r#"{"parameters":[{"name":"/a","vaule":"x"}]}"#,
            r#"{"parameters":[{"name":"/a","value":"x"},{"name":"/a","value":"y"}]}"#,
            r#"{"parameters":[{"name":"/a","type":"Strin","value":"x"}]}"#,
            r#"{"parameters":[{"name":"/a"}]}"#,
            r#"{"parameters":[{"name":"/a","value":"x","versions":[{"value":"y"}]}]}"#,
            r#"{"parameters":[{"name":"/a","versions":[{"version":1,"value":"x"},{"version":1,"value":"y"}]}]}"#,
            r#"{"parameters":[{"name":"/a","value":"x","last_modified":"yesterday"}]}"#,
            r#"{"secrets":[{"name":"s","binary_base64":"***"}]}"#,
            r#"{"secrets":[{"name":"s","string":"a","binary_base64":"AA=="}]}"#,
            r#"{"secrets":[{"name":"s","versions":[{"stages":["AWSCURRENT"],"string":"a"},{"stages":["AWSCURRENT"],"string":"b"}]}]}"#,
            r#"{"secrets":[{"name":"s","respond":{"status":1000}}]}"#,
            r#"{"secrets":[{"name":"s","respond":{"status":200,"headers":{"bad header":"x"}}}]}"#,
            r#"[]"#,
            r#"{"#,
        ] {
            assert!(Store::parse(bad.as_bytes()).is_err(), "accepted: {bad}");
        }
    }

    #[test]
    fn errors_do_not_leak_values() {
        let e = Store::parse(br#"{"parameters":[{"name":"/a","value":"s3cr3t","type":"Nope"}]}"#)
            .unwrap_err();
        assert!(!e.0.contains("s3cr3t"), "{e}");
    }
}
