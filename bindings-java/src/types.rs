//! The records that cross the boundary, and their conversions from core's types.
//!
//! Values are plain strings and bytes here (Java has no zeroizing string); the Java facade's
//! records redact them in `toString`.

use std::time::Duration;

use paramsecrets::{ErrorCode, Parameter, ReadOptions, Secret, ServerKind, Stats, Value};

use crate::error::{ErrorInfo, NativeError};

/// Client settings; every `None` falls back to the environment, then to core's default.
/// The token is not here: it is a separate argument, so no generated `toString` can show it.
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct ClientOptions {
    pub endpoint: Option<String>,
    pub port: Option<u16>,
    pub ttl: Option<Duration>,
    pub parameter_ttl: Option<Duration>,
    pub secret_ttl: Option<Duration>,
    pub cache_size: Option<u64>,
    pub timeout: Option<Duration>,
    pub deadline: Option<Duration>,
    pub ready_timeout: Option<Duration>,
    pub stale_if_error: Option<Duration>,
    /// `auto`, `extension` or `agent`.
    pub server: Option<String>,
    pub allow_non_loopback: bool,
}

impl ClientOptions {
    pub(crate) fn builder(
        &self,
        token: Option<String>,
    ) -> Result<paramsecrets::ClientBuilder, NativeError> {
        let mut b = paramsecrets::Client::builder();
        if let Some(v) = &self.endpoint {
            b = b.endpoint(v.clone());
        }
        if let Some(v) = self.port {
            b = b.port(v);
        }
        if let Some(v) = token {
            b = b.token(v);
        }
        if let Some(v) = self.ttl {
            b = b.ttl(v);
        }
        if let Some(v) = self.parameter_ttl {
            b = b.parameter_ttl(v);
        }
        if let Some(v) = self.secret_ttl {
            b = b.secret_ttl(v);
        }
        if let Some(v) = self.cache_size {
            b = b.cache_size(usize::try_from(v).unwrap_or(usize::MAX));
        }
        if let Some(v) = self.timeout {
            b = b.timeout(v);
        }
        if let Some(v) = self.deadline {
            b = b.deadline(v);
        }
        if let Some(v) = self.ready_timeout {
            b = b.ready_timeout(v);
        }
        if let Some(v) = self.stale_if_error {
            b = b.stale_if_error(v);
        }
        if let Some(v) = &self.server {
            b = b.server(ServerKind::parse(v)?);
        }
        Ok(b.allow_non_loopback(self.allow_non_loopback))
    }
}

/// Per-read options of a parameter.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ParameterOptions {
    pub decrypt: bool,
    /// A Java `long`: negative values are refused as `invalid_argument`.
    pub version: Option<i64>,
    pub label: Option<String>,
    pub max_age: Option<Duration>,
    pub force_fetch: bool,
}

impl Default for ParameterOptions {
    fn default() -> Self {
        ParameterOptions {
            decrypt: true,
            version: None,
            label: None,
            max_age: None,
            force_fetch: false,
        }
    }
}

impl ParameterOptions {
    pub(crate) fn read(&self) -> ReadOptions {
        ReadOptions {
            max_age: self.max_age,
            force_fetch: self.force_fetch,
        }
    }

    pub(crate) fn request<'a>(
        &'a self,
        name: &'a str,
    ) -> Result<paramsecrets::ParameterRequest<'a>, NativeError> {
        let mut r = paramsecrets::ParameterRequest::new(name).decrypt(self.decrypt);
        if let Some(v) = self.version {
            let v = u64::try_from(v).map_err(|_| {
                NativeError::new(
                    ErrorCode::InvalidArgument,
                    format!("the version of parameter {name:?} must not be negative"),
                )
            })?;
            r = r.version(v);
        }
        if let Some(l) = &self.label {
            r = r.label(l);
        }
        Ok(r)
    }
}

/// Per-read options of a secret.
#[derive(Clone, Debug, Default, uniffi::Record)]
pub struct SecretOptions {
    pub version_id: Option<String>,
    pub version_stage: Option<String>,
    pub max_age: Option<Duration>,
    pub force_fetch: bool,
}

impl SecretOptions {
    pub(crate) fn read(&self) -> ReadOptions {
        ReadOptions {
            max_age: self.max_age,
            force_fetch: self.force_fetch,
        }
    }

    pub(crate) fn request<'a>(&'a self, secret_id: &'a str) -> paramsecrets::SecretRequest<'a> {
        let mut r = paramsecrets::SecretRequest::new(secret_id);
        if let Some(v) = &self.version_id {
            r = r.version_id(v);
        }
        if let Some(s) = &self.version_stage {
            r = r.version_stage(s);
        }
        r
    }
}

/// A parameter with its metadata (Java facade: `dev.paramsecrets.Parameter`).
#[derive(Clone, uniffi::Record)]
pub struct NativeParameter {
    pub name: String,
    /// The text; `None` when the value is binary (see `binary`).
    pub value: Option<String>,
    /// Set only for a binary secret read through `/aws/reference/secretsmanager/…`.
    pub binary: Option<Vec<u8>>,
    pub parameter_type: String,
    pub version: i64,
    pub arn: Option<String>,
    pub last_modified_ms: Option<i64>,
    pub data_type: Option<String>,
    pub selector: Option<String>,
    pub source_result: Option<String>,
}

impl From<&Parameter> for NativeParameter {
    fn from(p: &Parameter) -> Self {
        NativeParameter {
            name: p.name.clone(),
            value: p.text().map(str::to_string),
            binary: p.value.bytes().map(<[u8]>::to_vec),
            parameter_type: p.parameter_type.as_str().to_string(),
            version: p.version,
            arn: p.arn.clone(),
            last_modified_ms: p.last_modified.map(|t| t.epoch_millis),
            data_type: p.data_type.clone(),
            selector: p.selector.clone(),
            source_result: p.source_result.as_ref().map(|v| v.expose().clone()),
        }
    }
}

/// A secret with its metadata: exactly one of `string` / `binary` is set.
#[derive(Clone, uniffi::Record)]
pub struct NativeSecret {
    pub name: Option<String>,
    pub arn: Option<String>,
    pub version_id: Option<String>,
    pub version_stages: Vec<String>,
    pub created_ms: Option<i64>,
    pub string: Option<String>,
    pub binary: Option<Vec<u8>>,
}

impl From<&Secret> for NativeSecret {
    fn from(s: &Secret) -> Self {
        let (string, binary) = match &s.value {
            Value::String(v) => (Some(v.expose().clone()), None),
            Value::Binary(b) => (None, Some(b.expose().clone())),
        };
        NativeSecret {
            name: s.name.clone(),
            arn: s.arn.clone(),
            version_id: s.version_id.clone(),
            version_stages: s.version_stages.clone(),
            created_ms: s.created_date.map(|t| t.epoch_millis),
            string,
            binary,
        }
    }
}

/// One result of a batch read: `parameter` or `error`.
#[derive(Clone, uniffi::Record)]
pub struct ParameterOutcome {
    pub name: String,
    pub parameter: Option<NativeParameter>,
    pub error: Option<ErrorInfo>,
}

/// One result of a batch read: `secret` or `error`.
#[derive(Clone, uniffi::Record)]
pub struct SecretOutcome {
    pub secret_id: String,
    pub secret: Option<NativeSecret>,
    pub error: Option<ErrorInfo>,
}

/// A JSON value as core's `transform::json` parsed it. Object members keep the document's
/// order (the workspace builds serde_json with `preserve_order`).
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum JsonValue {
    NullValue,
    BoolValue {
        value: bool,
    },
    /// An integer that fits a Java `long`.
    IntValue {
        value: i64,
    },
    /// An integer above `Long.MAX_VALUE` (Java: unsigned, converted to `BigInteger`).
    UintValue {
        value: u64,
    },
    FloatValue {
        value: f64,
    },
    TextValue {
        value: String,
    },
    ArrayValue {
        items: Vec<JsonValue>,
    },
    ObjectValue {
        members: Vec<JsonMember>,
    },
}

#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct JsonMember {
    pub key: String,
    pub value: JsonValue,
}

impl From<serde_json::Value> for JsonValue {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value;
        match v {
            Value::Null => JsonValue::NullValue,
            Value::Bool(b) => JsonValue::BoolValue { value: b },
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    JsonValue::IntValue { value: i }
                } else if let Some(u) = n.as_u64() {
                    JsonValue::UintValue { value: u }
                } else {
                    JsonValue::FloatValue {
                        value: n.as_f64().unwrap_or(f64::NAN),
                    }
                }
            }
            Value::String(s) => JsonValue::TextValue { value: s },
            Value::Array(items) => JsonValue::ArrayValue {
                items: items.into_iter().map(JsonValue::from).collect(),
            },
            Value::Object(map) => JsonValue::ObjectValue {
                members: map
                    .into_iter()
                    .map(|(key, value)| JsonMember {
                        key,
                        value: JsonValue::from(value),
                    })
                    .collect(),
            },
        }
    }
}

/// The client's counters (core's `Stats`).
#[derive(Clone, Debug, uniffi::Record)]
pub struct NativeStats {
    pub hits: u64,
    pub misses: u64,
    pub stale_served: u64,
    pub coalesced: u64,
    pub requests: u64,
    pub retries: u64,
    pub errors: u64,
    pub evictions: u64,
}

impl From<Stats> for NativeStats {
    fn from(s: Stats) -> Self {
        NativeStats {
            hits: s.hits,
            misses: s.misses,
            stale_served: s.stale_served,
            coalesced: s.coalesced,
            requests: s.requests,
            retries: s.retries,
            errors: s.errors,
            evictions: s.evictions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_converts_every_kind_and_big_integers() {
        let v = paramsecrets::transform::json(
            r#"{"b":1,"a":[true,null,1.5,"x",18446744073709551615]}"#,
            "t",
        )
        .map(JsonValue::from)
        .map_err(|e| e.code());
        let Ok(JsonValue::ObjectValue { members }) = v else {
            unreachable!("not an object: {v:?}")
        };
        // Members keep the document's order (serde_json `preserve_order`).
        assert_eq!(members[0].key, "b");
        assert_eq!(members[1].key, "a");
        assert_eq!(members[0].value, JsonValue::IntValue { value: 1 });
        assert_eq!(
            members[1].value,
            JsonValue::ArrayValue {
                items: vec![
                    JsonValue::BoolValue { value: true },
                    JsonValue::NullValue,
                    JsonValue::FloatValue { value: 1.5 },
                    JsonValue::TextValue { value: "x".into() },
                    JsonValue::UintValue { value: u64::MAX },
                ]
            }
        );
    }
}
