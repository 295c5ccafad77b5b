//! The store: a validated, immutable snapshot of the store file, and the lookups that play
//! the part of SSM `GetParameter` and Secrets Manager `GetSecretValue`.
//!
//! `file.rs` reads and validates the JSON format (documented in `emulator/README.md`; keep the
//! two in step); `ids.rs` makes the deterministic ids and pseudo-ciphertexts.

mod file;
mod ids;
mod source_result;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::{HeaderName, HeaderValue};
use time::OffsetDateTime;

use crate::model::{
    ParameterRecord, ParameterRequest, SecretRecord, SecretRequest, Selector, UpstreamError,
};

/// The date every entry gets unless it says otherwise: 2024-01-01T00:00:00.000Z.
pub const DEFAULT_DATE_UNIX: i64 = 1_704_067_200;
/// Prefix under which SSM exposes Secrets Manager secrets as parameters.
pub const SECRET_REFERENCE_PREFIX: &str = "/aws/reference/secretsmanager/";

/// Per-entry test knobs. They apply in both dialects.
#[derive(Debug, Clone, Default)]
pub struct Knobs {
    /// `error`: the emulated upstream fails with this error for this name.
    pub error: Option<UpstreamError>,
    /// `respond`: a canned HTTP answer that replaces the normal one (after the token check).
    pub respond: Option<Arc<RawResponse>>,
    /// `delay_ms`: sleep before answering, on every request for this name.
    pub delay: Option<Duration>,
    /// `null_value`: answer with the value `null` (a parameter's `Value`; a secret's
    /// `SecretString` and `SecretBinary` both), a malformed answer a client must reject.
    pub null_value: bool,
    /// `byte_buffer_padding` (secrets): extra bytes after a binary value in the Java
    /// `ByteBuffer` of a `/aws/reference/secretsmanager/` answer (`hb` longer than `limit`).
    pub byte_buffer_padding: usize,
}

/// A canned response from a `respond` knob, validated at load time.
#[derive(Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub body: Bytes,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

#[derive(Debug)]
struct Parameter {
    name: String,
    kind: String,
    data_type: String,
    arn: String,
    /// Sorted by version number; never empty unless the entry is knobs only.
    versions: Vec<ParameterVersion>,
    knobs: Knobs,
}

#[derive(Debug)]
struct ParameterVersion {
    version: u64,
    value: String,
    labels: Vec<String>,
    last_modified: OffsetDateTime,
}

#[derive(Debug)]
struct Secret {
    name: String,
    arn: String,
    versions: Vec<SecretVersion>,
    knobs: Knobs,
}

#[derive(Debug)]
struct SecretVersion {
    version_id: String,
    stages: Vec<String>,
    payload: Payload,
    created: OffsetDateTime,
}

#[derive(Debug)]
enum Payload {
    String(String),
    Binary(Vec<u8>),
}

/// A loaded, validated store. Immutable: a reload builds a new one and swaps it in.
#[derive(Debug, Default)]
pub struct Store {
    parameters: HashMap<String, Parameter>,
    /// Parameter ARN → name.
    parameter_arns: HashMap<String, String>,
    secrets: HashMap<String, Secret>,
    /// Full ARN and partial ARN (without the random suffix) → name.
    secret_aliases: HashMap<String, String>,
}

/// Why a store file was rejected. The message names the entry, never a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

fn err<T>(msg: impl Into<String>) -> Result<T, StoreError> {
    Err(StoreError(msg.into()))
}

impl Store {
    /// Parses and validates the JSON text of a store file.
    pub fn parse(text: &[u8]) -> Result<Store, StoreError> {
        let (parameters, secrets) = file::read(text)?;
        let mut store = Store::default();
        for parameter in parameters {
            if store.parameters.contains_key(&parameter.name) {
                return err(format!("duplicate parameter name {:?}", parameter.name));
            }
            store
                .parameter_arns
                .insert(parameter.arn.clone(), parameter.name.clone());
            store.parameters.insert(parameter.name.clone(), parameter);
        }
        for secret in secrets {
            if store.secrets.contains_key(&secret.name) {
                return err(format!("duplicate secret name {:?}", secret.name));
            }
            store
                .secret_aliases
                .insert(secret.arn.clone(), secret.name.clone());
            if let Some(partial) = file::partial_secret_arn(&secret.arn) {
                store
                    .secret_aliases
                    .entry(partial.to_string())
                    .or_insert_with(|| secret.name.clone());
            }
            store.secrets.insert(secret.name.clone(), secret);
        }
        Ok(store)
    }

    pub fn parameter_count(&self) -> usize {
        self.parameters.len()
    }

    pub fn secret_count(&self) -> usize {
        self.secrets.len()
    }

    fn find_parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.get(name).or_else(|| {
            self.parameter_arns
                .get(name)
                .and_then(|n| self.parameters.get(n))
        })
    }

    fn find_secret(&self, id: &str) -> Option<&Secret> {
        self.secrets.get(id).or_else(|| {
            self.secret_aliases
                .get(id)
                .and_then(|n| self.secrets.get(n))
        })
    }

    /// The knobs that apply to a parameter request (a `/aws/reference/secretsmanager/` name
    /// uses the secret's knobs). Cheap: one or two hash lookups, no counting.
    pub fn parameter_knobs(&self, name: &str) -> Option<&Knobs> {
        match name.strip_prefix(SECRET_REFERENCE_PREFIX) {
            Some(id) => self.find_secret(id).map(|s| &s.knobs),
            None => self.find_parameter(name).map(|p| &p.knobs),
        }
    }

    pub fn secret_knobs(&self, id: &str) -> Option<&Knobs> {
        self.find_secret(id).map(|s| &s.knobs)
    }

    /// SSM `GetParameter`.
    pub fn get_parameter(&self, req: &ParameterRequest) -> Result<ParameterRecord, UpstreamError> {
        if let Some(id) = req.name.strip_prefix(SECRET_REFERENCE_PREFIX) {
            return self.get_secret_reference(req, id);
        }
        let Some(parameter) = self.find_parameter(&req.name) else {
            return Err(parameter_not_found(&req.name));
        };
        if let Some(e) = &parameter.knobs.error {
            return Err(e.clone());
        }
        let version = match &req.selector {
            None => parameter.versions.last(),
            Some(Selector::Version(v)) => v
                .parse::<u64>()
                .ok()
                .and_then(|n| parameter.versions.iter().find(|pv| pv.version == n)),
            Some(Selector::Label(l)) => parameter
                .versions
                .iter()
                .find(|pv| pv.labels.iter().any(|x| x == l)),
        };
        let Some(version) = version else {
            return Err(match &req.selector {
                Some(Selector::Version(v)) => UpstreamError::new(
                    "ParameterVersionNotFound",
                    400,
                    format!(
                        "Systems Manager could not find version {v} of {}. Verify the version and try again.",
                        req.name
                    ),
                ),
                Some(Selector::Label(l)) => UpstreamError::new(
                    "ParameterVersionNotFound",
                    400,
                    format!(
                        "Systems Manager could not find label {l} of {}. Verify the label and try again.",
                        req.name
                    ),
                ),
                // A knobs-only entry (e.g. only `respond`) has no versions.
                None => parameter_not_found(&req.name),
            });
        };
        let value = if parameter.kind == "SecureString" && !req.decrypt {
            ids::pseudo_ciphertext(&parameter.name, version.version, &version.value)
        } else {
            version.value.clone()
        };
        Ok(ParameterRecord {
            arn: parameter.arn.clone(),
            data_type: Some(parameter.data_type.clone()),
            last_modified: version.last_modified,
            name: req.name.clone(),
            selector: req.selector.as_ref().map(Selector::echo),
            source_result: None,
            kind: parameter.kind.clone(),
            value: (!parameter.knobs.null_value).then_some(value),
            version: version.version,
        })
    }

    /// `GetParameter` on `/aws/reference/secretsmanager/<id>`: SSM fetches the secret and
    /// wraps it (Type SecureString, Version 0, DataType null, SourceResult = the secret JSON).
    fn get_secret_reference(
        &self,
        req: &ParameterRequest,
        id: &str,
    ) -> Result<ParameterRecord, UpstreamError> {
        if !req.decrypt {
            return Err(UpstreamError::new(
                "ValidationException",
                400,
                format!(
                    "WithDecryption flag must be True for retrieving a Secret Manager secret ({}).",
                    req.name
                ),
            ));
        }
        let (version_id, stage) = match &req.selector {
            None => (None, None),
            Some(Selector::Version(v)) => (Some(v.clone()), None),
            Some(Selector::Label(l)) => (None, Some(l.clone())),
        };
        let secret = self
            .get_secret(&SecretRequest {
                secret_id: id.to_string(),
                version_id,
                version_stage: stage,
            })
            .map_err(|e| {
                if e.kind == "ResourceNotFoundException" {
                    parameter_not_found(&req.name)
                } else {
                    e
                }
            })?;
        let padding = self
            .find_secret(id)
            .map_or(0, |s| s.knobs.byte_buffer_padding);
        let source = source_result::render(&secret, padding);
        Ok(ParameterRecord {
            arn: secret.arn.clone(),
            data_type: None,
            last_modified: secret.created,
            name: req.name.clone(),
            selector: req.selector.as_ref().map(Selector::echo),
            source_result: Some(source),
            kind: "SecureString".to_string(),
            value: secret.string.clone(),
            version: 0,
        })
    }

    /// Secrets Manager `GetSecretValue`.
    pub fn get_secret(&self, req: &SecretRequest) -> Result<SecretRecord, UpstreamError> {
        let Some(secret) = self.find_secret(&req.secret_id) else {
            return Err(secret_not_found(&req.secret_id));
        };
        if let Some(e) = &secret.knobs.error {
            return Err(e.clone());
        }
        for (field, value) in [
            ("versionId", &req.version_id),
            ("versionStage", &req.version_stage),
        ] {
            if value.as_deref() == Some("") {
                return Err(UpstreamError::new(
                    "ValidationException",
                    400,
                    format!(
                        "1 validation error detected: Value at '{field}' failed to satisfy constraint: Member must have length greater than or equal to 1 (secret {})",
                        req.secret_id
                    ),
                ));
            }
        }
        let has_stage = |v: &SecretVersion, stage: &str| v.stages.iter().any(|s| s == stage);
        let found = match (&req.version_id, &req.version_stage) {
            (Some(id), Some(stage)) => {
                let version = secret.versions.iter().find(|v| &v.version_id == id);
                if version.is_some_and(|v| !has_stage(v, stage)) {
                    // Both given but naming different versions: Secrets Manager's check.
                    return Err(UpstreamError::new(
                        "InvalidRequestException",
                        400,
                        format!(
                            "You provided a VersionStage that is not associated to the provided VersionId (secret {}).",
                            req.secret_id
                        ),
                    ));
                }
                version
            }
            (Some(id), None) => secret.versions.iter().find(|v| &v.version_id == id),
            (None, stage) => {
                let stage = stage.as_deref().unwrap_or("AWSCURRENT");
                secret.versions.iter().find(|v| has_stage(v, stage))
            }
        };
        let Some(version) = found else {
            let what = match (&req.version_id, &req.version_stage) {
                (Some(id), Some(stage)) => {
                    format!("VersionId {id} with staging label {stage}")
                }
                (Some(id), None) => format!("VersionId: {id}"),
                (None, stage) => format!(
                    "staging label: {}",
                    stage.as_deref().unwrap_or("AWSCURRENT")
                ),
            };
            return Err(UpstreamError::new(
                "ResourceNotFoundException",
                400,
                format!(
                    "Secrets Manager can't find the specified secret value for {what} (secret {}).",
                    req.secret_id
                ),
            ));
        };
        let (string, binary) = match &version.payload {
            _ if secret.knobs.null_value => (None, None),
            Payload::String(s) => (Some(s.clone()), None),
            Payload::Binary(b) => (None, Some(b.clone())),
        };
        Ok(SecretRecord {
            arn: secret.arn.clone(),
            created: version.created,
            name: secret.name.clone(),
            binary,
            string,
            version_id: version.version_id.clone(),
            stages: version.stages.clone(),
        })
    }
}

fn parameter_not_found(name: &str) -> UpstreamError {
    UpstreamError::new(
        "ParameterNotFound",
        400,
        format!("Parameter {name} not found."),
    )
}

fn secret_not_found(id: &str) -> UpstreamError {
    UpstreamError::new(
        "ResourceNotFoundException",
        400,
        format!("Secrets Manager can't find the specified secret: {id}"),
    )
}

pub fn default_date() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(DEFAULT_DATE_UNIX).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;

    use super::*;

    const EXAMPLE: &str = r#"{
      "parameters": [
        {"name": "/app/short", "value": "hello"},
        {"name": "/app/full", "type": "SecureString", "data_type": "text",
         "versions": [
           {"version": 1, "value": "v1", "labels": ["old"], "last_modified": "2024-01-02T03:04:05.678Z"},
           {"version": 2, "value": "v2", "labels": ["Dev", "Prod"]}
         ]},
        {"name": "/app/list", "type": "StringList", "value": "a,b,c"},
        {"name": "/app/denied", "error": "AccessDeniedException"},
        {"name": "/app/raw", "respond": {"status": 200, "body": "this is not json", "content_type": "text/plain"}},
        {"name": "/app/slow", "value": "x", "delay_ms": 1500}
      ],
      "secrets": [
        {"name": "dev/db", "string": "{\"username\":\"u\"}"},
        {"name": "bin", "binary_base64": "AAEC/w=="},
        {"name": "rotated", "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rotated-AbCdEf",
         "versions": [
           {"version_id": "11111111-1111-1111-1111-111111111111", "stages": ["AWSPREVIOUS"], "string": "old", "created": "2024-01-01T00:00:00Z"},
           {"version_id": "22222222-2222-2222-2222-222222222222", "stages": ["AWSCURRENT"], "string": "new"}
         ]}
      ]
    }"#;

    fn store() -> Store {
        Store::parse(EXAMPLE.as_bytes()).unwrap()
    }

    fn preq(name: &str, decrypt: bool, selector: Option<Selector>) -> ParameterRequest {
        ParameterRequest {
            name: name.to_string(),
            decrypt,
            selector,
        }
    }

    fn sreq(id: &str, version_id: Option<&str>, stage: Option<&str>) -> SecretRequest {
        SecretRequest {
            secret_id: id.to_string(),
            version_id: version_id.map(str::to_string),
            version_stage: stage.map(str::to_string),
        }
    }

    #[test]
    fn parses_the_documented_example() {
        let s = store();
        assert_eq!(s.parameter_count(), 6);
        assert_eq!(s.secret_count(), 3);
    }

    #[test]
    fn parameter_defaults() {
        let r = store()
            .get_parameter(&preq("/app/short", false, None))
            .unwrap();
        assert_eq!(
            r.arn,
            "arn:aws:ssm:us-east-1:123456789012:parameter/app/short"
        );
        assert_eq!(r.kind, "String");
        assert_eq!(r.data_type.as_deref(), Some("text"));
        assert_eq!(r.version, 1);
        assert_eq!(r.value.as_deref(), Some("hello"));
        assert_eq!(r.last_modified, default_date());
        assert_eq!(r.selector, None);
    }

    #[test]
    fn parameter_by_arn_keeps_requested_name() {
        let arn = "arn:aws:ssm:us-east-1:123456789012:parameter/app/short";
        let r = store().get_parameter(&preq(arn, false, None)).unwrap();
        assert_eq!(r.name, arn);
        assert_eq!(r.value.as_deref(), Some("hello"));
    }

    #[test]
    fn versions_and_labels() {
        let s = store();
        let latest = s.get_parameter(&preq("/app/full", true, None)).unwrap();
        assert_eq!((latest.version, latest.value.as_deref()), (2, Some("v2")));
        let v1 = s
            .get_parameter(&preq(
                "/app/full",
                true,
                Some(Selector::Version("1".into())),
            ))
            .unwrap();
        assert_eq!(v1.value.as_deref(), Some("v1"));
        assert_eq!(v1.selector.as_deref(), Some(":1"));
        assert_eq!(
            crate::model::iso_millis(v1.last_modified),
            "2024-01-02T03:04:05.678Z"
        );
        let old = s
            .get_parameter(&preq(
                "/app/full",
                true,
                Some(Selector::Label("old".into())),
            ))
            .unwrap();
        assert_eq!(old.version, 1);
        let missing = s
            .get_parameter(&preq(
                "/app/full",
                true,
                Some(Selector::Version("9".into())),
            ))
            .unwrap_err();
        assert_eq!(missing.kind, "ParameterVersionNotFound");
        let missing = s
            .get_parameter(&preq(
                "/app/full",
                true,
                Some(Selector::Label("nope".into())),
            ))
            .unwrap_err();
        assert_eq!(missing.kind, "ParameterVersionNotFound");
    }

    #[test]
    fn secure_string_without_decryption_is_opaque() {
        let r = store()
            .get_parameter(&preq("/app/full", false, None))
            .unwrap();
        let v = r.value.unwrap();
        assert!(v.starts_with("AQICAH"), "{v}");
        assert_ne!(v, "v2");
        let decoded = BASE64.decode(&v).unwrap();
        assert!(!decoded.windows(2).any(|w| w == b"v2"));
    }

    #[test]
    fn error_knob_and_not_found() {
        let s = store();
        let e = s
            .get_parameter(&preq("/app/denied", true, None))
            .unwrap_err();
        assert_eq!((e.kind.as_str(), e.status), ("AccessDeniedException", 400));
        assert!(e.message.contains("/app/denied"));
        let e = s.get_parameter(&preq("/nope", true, None)).unwrap_err();
        assert_eq!(e.kind, "ParameterNotFound");
        let e = s.get_secret(&sreq("nope", None, None)).unwrap_err();
        assert_eq!(e.kind, "ResourceNotFoundException");
        assert!(e.message.contains("nope"));
    }

    #[test]
    fn secret_stages_and_ids() {
        let s = store();
        let cur = s.get_secret(&sreq("rotated", None, None)).unwrap();
        assert_eq!(cur.string.as_deref(), Some("new"));
        assert_eq!(cur.stages, vec!["AWSCURRENT"]);
        let prev = s
            .get_secret(&sreq("rotated", None, Some("AWSPREVIOUS")))
            .unwrap();
        assert_eq!(prev.string.as_deref(), Some("old"));
        let by_id = s
            .get_secret(&sreq(
                "rotated",
                Some("11111111-1111-1111-1111-111111111111"),
                None,
            ))
            .unwrap();
        assert_eq!(by_id.string.as_deref(), Some("old"));
        let mismatch = s
            .get_secret(&sreq(
                "rotated",
                Some("11111111-1111-1111-1111-111111111111"),
                Some("AWSCURRENT"),
            ))
            .unwrap_err();
        assert_eq!(mismatch.kind, "InvalidRequestException");
        assert_eq!(mismatch.status, 400);
        let unknown_id = s
            .get_secret(&sreq("rotated", Some("nope"), Some("AWSCURRENT")))
            .unwrap_err();
        assert_eq!(unknown_id.kind, "ResourceNotFoundException");
        let by_arn = s
            .get_secret(&sreq(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:rotated-AbCdEf",
                None,
                None,
            ))
            .unwrap();
        assert_eq!(by_arn.name, "rotated");
        let by_partial = s
            .get_secret(&sreq(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:rotated",
                None,
                None,
            ))
            .unwrap();
        assert_eq!(by_partial.name, "rotated");
    }

    #[test]
    fn short_secret_defaults_are_deterministic() {
        let a = store().get_secret(&sreq("dev/db", None, None)).unwrap();
        let b = store().get_secret(&sreq("dev/db", None, None)).unwrap();
        assert_eq!(a.version_id, b.version_id);
        assert_eq!(a.version_id.len(), 36);
        assert_eq!(
            a.arn,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/db-AbCdEf"
        );
        assert_eq!(a.stages, vec!["AWSCURRENT"]);
        let bin = store().get_secret(&sreq("bin", None, None)).unwrap();
        assert_eq!(bin.binary.as_deref(), Some(&[0u8, 1, 2, 255][..]));
        assert_eq!(bin.string, None);
    }

    #[test]
    fn secret_reference_through_parameters() {
        let s = store();
        let r = s
            .get_parameter(&preq("/aws/reference/secretsmanager/dev/db", true, None))
            .unwrap();
        assert_eq!(r.kind, "SecureString");
        assert_eq!(r.version, 0);
        assert_eq!(r.data_type, None);
        assert_eq!(r.value.as_deref(), Some("{\"username\":\"u\"}"));
        let source: serde_json::Value =
            serde_json::from_str(r.source_result.as_deref().unwrap()).unwrap();
        assert_eq!(source["name"], "dev/db");
        assert_eq!(source["secretString"], "{\"username\":\"u\"}");
        assert_eq!(source["createdDate"], "Jan 1, 2024, 12:00:00 AM");
        let bin = s
            .get_parameter(&preq("/aws/reference/secretsmanager/bin", true, None))
            .unwrap();
        assert_eq!(bin.value, None);
        let source: serde_json::Value =
            serde_json::from_str(bin.source_result.as_deref().unwrap()).unwrap();
        assert_eq!(
            source["secretBinary"]["hb"],
            serde_json::json!([0, 1, 2, -1])
        );
        assert_eq!(source["secretBinary"]["limit"], 4);
        let e = s
            .get_parameter(&preq("/aws/reference/secretsmanager/dev/db", false, None))
            .unwrap_err();
        assert_eq!(e.kind, "ValidationException");
        let prev = s
            .get_parameter(&preq(
                "/aws/reference/secretsmanager/rotated",
                true,
                Some(Selector::Label("AWSPREVIOUS".into())),
            ))
            .unwrap();
        assert_eq!(prev.value.as_deref(), Some("old"));
        assert_eq!(prev.selector.as_deref(), Some(":AWSPREVIOUS"));
    }

    #[test]
    fn knobs_are_found_and_statuses_default() {
        let s = Store::parse(
            br#"{"secrets":[{"name":"a","error":"InternalServerError"},
                            {"name":"b","error":"ThrottlingException","error_status":429}]}"#,
        )
        .unwrap();
        assert_eq!(
            s.secret_knobs("a").unwrap().error.as_ref().unwrap().status,
            500
        );
        assert_eq!(
            s.secret_knobs("b").unwrap().error.as_ref().unwrap().status,
            429
        );
        let st = store();
        let raw = st
            .parameter_knobs("/app/raw")
            .unwrap()
            .respond
            .clone()
            .unwrap();
        assert_eq!(raw.status, StatusCode::OK);
        assert_eq!(
            st.parameter_knobs("/app/slow").unwrap().delay,
            Some(Duration::from_millis(1500))
        );
    }
}
