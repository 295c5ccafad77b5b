//! What crosses the boundary: read options arrive as primitive arguments (no Java object is
//! inspected field by field), records leave as facade objects built by `NativeBridge`'s
//! factories, JSON leaves as one compact byte encoding that `Json.decode` reads.
//!
//! Values are plain strings and bytes in Java (it has no zeroizing string); the facade's
//! records redact them in `toString`.

use std::time::Duration;

use jni::JNIEnv;
use jni::objects::JObject;
use jni::sys::jvalue;
use paramsecrets::{ErrorCode, Parameter, ReadOptions, Secret, Value};

use crate::error::Fail;
use crate::jvm::{bytes, jvm, obj, opt_string, string};

/// A duration argument in nanoseconds; negative means "not set" (the facade refuses negative
/// durations before calling).
pub(crate) fn duration(nanos: i64) -> Option<Duration> {
    u64::try_from(nanos).ok().map(Duration::from_nanos)
}

/// Per-read options of a parameter (owned, so an async read can move them to the runtime).
#[derive(Clone, Debug)]
pub(crate) struct ParameterOptions {
    pub(crate) decrypt: bool,
    pub(crate) version: Option<i64>,
    pub(crate) label: Option<String>,
    pub(crate) read: ReadOptions,
}

impl ParameterOptions {
    pub(crate) fn request<'a>(
        &'a self,
        name: &'a str,
    ) -> paramsecrets::Result<paramsecrets::ParameterRequest<'a>> {
        let mut r = paramsecrets::ParameterRequest::new(name).decrypt(self.decrypt);
        if let Some(v) = self.version {
            let v = u64::try_from(v).map_err(|_| {
                paramsecrets::Error::new(
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
#[derive(Clone, Debug)]
pub(crate) struct SecretOptions {
    pub(crate) version_id: Option<String>,
    pub(crate) version_stage: Option<String>,
    pub(crate) read: ReadOptions,
}

impl SecretOptions {
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

pub(crate) fn read_options(max_age_nanos: i64, force_fetch: bool) -> ReadOptions {
    ReadOptions {
        max_age: duration(max_age_nanos),
        force_fetch,
    }
}

/// What a parameter read returns to Java (`NativeBridge.PARAM_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum ParameterKind {
    Value,
    Record,
    Json,
    /// The cached record or nothing; never a request.
    Peek,
    /// The bytes of a binary secret read through SSM, or the text's UTF-8 bytes.
    Binary,
}

impl ParameterKind {
    pub(crate) fn from_java(kind: i32) -> Result<Self, Fail> {
        match kind {
            0 => Ok(ParameterKind::Value),
            1 => Ok(ParameterKind::Record),
            2 => Ok(ParameterKind::Json),
            3 => Ok(ParameterKind::Peek),
            4 => Ok(ParameterKind::Binary),
            _ => Err(Fail::internal(format!(
                "unknown parameter read kind {kind}"
            ))),
        }
    }
}

/// What a secret read returns to Java (`NativeBridge.SECRET_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum SecretKind {
    String,
    Binary,
    Record,
    Json,
    /// The cached record or nothing; never a request.
    Peek,
}

impl SecretKind {
    pub(crate) fn from_java(kind: i32) -> Result<Self, Fail> {
        match kind {
            0 => Ok(SecretKind::String),
            1 => Ok(SecretKind::Binary),
            2 => Ok(SecretKind::Record),
            3 => Ok(SecretKind::Json),
            4 => Ok(SecretKind::Peek),
            _ => Err(Fail::internal(format!("unknown secret read kind {kind}"))),
        }
    }
}

/// `dev.paramsecrets.Parameter` for a core parameter.
pub(crate) fn parameter<'l>(env: &mut JNIEnv<'l>, p: &Parameter) -> Result<JObject<'l>, Fail> {
    let jvm = jvm()?;
    let name = string(env, &p.name)?;
    let value = opt_string(env, p.text())?;
    let binary = match p.value.bytes() {
        Some(b) => bytes(env, b)?,
        None => JObject::null(),
    };
    let kind = string(env, p.parameter_type.as_str())?;
    let arn = opt_string(env, p.arn.as_deref())?;
    let data_type = opt_string(env, p.data_type.as_deref())?;
    let selector = opt_string(env, p.selector.as_deref())?;
    let modified = p.last_modified.map(|t| t.epoch_millis);
    let args = [
        obj(&name),
        obj(&value),
        obj(&kind),
        jvalue { j: p.version },
        obj(&arn),
        jvalue {
            j: modified.unwrap_or(0),
        },
        jvalue {
            z: u8::from(modified.is_some()),
        },
        obj(&data_type),
        obj(&selector),
        obj(&binary),
    ];
    // SAFETY: the arguments match NativeBridge.parameter's signature (see jvm.rs).
    unsafe { jvm.call(env, jvm.parameter, &args) }
}

/// `dev.paramsecrets.Secret` for a core secret.
pub(crate) fn secret<'l>(env: &mut JNIEnv<'l>, s: &Secret) -> Result<JObject<'l>, Fail> {
    let jvm = jvm()?;
    let name = opt_string(env, s.name.as_deref())?;
    let arn = opt_string(env, s.arn.as_deref())?;
    let version_id = opt_string(env, s.version_id.as_deref())?;
    let stages = jvm.strings(env, &s.version_stages)?;
    let created = s.created_date.map(|t| t.epoch_millis);
    let (text, binary) = match &s.value {
        Value::String(v) => (string(env, v.expose())?, JObject::null()),
        Value::Binary(b) => (JObject::null(), bytes(env, b.expose())?),
    };
    let args = [
        obj(&name),
        obj(&arn),
        obj(&version_id),
        obj(&stages),
        jvalue {
            j: created.unwrap_or(0),
        },
        jvalue {
            z: u8::from(created.is_some()),
        },
        obj(&text),
        obj(&binary),
    ];
    // SAFETY: the arguments match NativeBridge.secret's signature (see jvm.rs).
    unsafe { jvm.call(env, jvm.secret, &args) }
}

/// The secret's string; a binary secret is an `invalid_argument` (read it as bytes).
pub(crate) fn secret_text<'s>(s: &'s Secret, secret_id: &str) -> paramsecrets::Result<&'s str> {
    s.value.text().ok_or_else(|| {
        paramsecrets::Error::new(
            ErrorCode::InvalidArgument,
            format!("secret {secret_id:?} is binary: read it with getSecretBinary"),
        )
    })
}

/// The parameter's text; a binary secret read through `/aws/reference/secretsmanager/…` is an
/// `invalid_argument` (read it as bytes).
pub(crate) fn parameter_text(p: &Parameter) -> paramsecrets::Result<&str> {
    p.text().ok_or_else(|| {
        paramsecrets::Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "parameter {:?} is a binary secret: read it with getParameterBinary",
                p.name
            ),
        )
    })
}

/// The binary value, or the text's UTF-8 bytes.
pub(crate) fn value_bytes(v: &Value) -> &[u8] {
    match v {
        Value::String(v) => v.expose().as_bytes(),
        Value::Binary(b) => b.expose(),
    }
}

/// Tags of the JSON encoding `Json.decode` reads (big-endian lengths and numbers).
mod tag {
    pub(super) const NULL: u8 = 0;
    pub(super) const FALSE: u8 = 1;
    pub(super) const TRUE: u8 = 2;
    pub(super) const INT: u8 = 3;
    pub(super) const UINT: u8 = 4;
    pub(super) const FLOAT: u8 = 5;
    pub(super) const TEXT: u8 = 6;
    pub(super) const ARRAY: u8 = 7;
    pub(super) const OBJECT: u8 = 8;
}

/// Encodes a JSON value as parsed by core (`transform::json`) for `Json.decode`. Object members
/// keep the document's order (the workspace builds serde_json with `preserve_order`).
pub(crate) fn encode_json(v: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match v {
        Value::Null => out.push(tag::NULL),
        Value::Bool(false) => out.push(tag::FALSE),
        Value::Bool(true) => out.push(tag::TRUE),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push(tag::INT);
                out.extend_from_slice(&i.to_be_bytes());
            } else if let Some(u) = n.as_u64() {
                out.push(tag::UINT);
                out.extend_from_slice(&u.to_be_bytes());
            } else {
                out.push(tag::FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_be_bytes());
            }
        }
        Value::String(s) => {
            out.push(tag::TEXT);
            encode_text(s, out);
        }
        Value::Array(items) => {
            out.push(tag::ARRAY);
            encode_len(items.len(), out);
            for item in items {
                encode_json(item, out);
            }
        }
        Value::Object(map) => {
            out.push(tag::OBJECT);
            encode_len(map.len(), out);
            for (k, v) in map {
                encode_text(k, out);
                encode_json(v, out);
            }
        }
    }
}

fn encode_len(n: usize, out: &mut Vec<u8>) {
    // Core refuses answers over 1 MiB, so every length fits.
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes());
}

fn encode_text(s: &str, out: &mut Vec<u8>) {
    encode_len(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_encoding_keeps_document_order_and_big_integers() {
        let v = paramsecrets::transform::json(
            r#"{"b":1,"a":[true,null,1.5,"x",18446744073709551615]}"#,
            "t",
        )
        .map_err(|e| e.code());
        let Ok(v) = v else {
            unreachable!("not JSON: {v:?}")
        };
        let mut out = Vec::new();
        encode_json(&v, &mut out);
        let mut want = vec![tag::OBJECT, 0, 0, 0, 2];
        want.extend_from_slice(&[0, 0, 0, 1, b'b', tag::INT]);
        want.extend_from_slice(&1i64.to_be_bytes());
        want.extend_from_slice(&[0, 0, 0, 1, b'a', tag::ARRAY, 0, 0, 0, 5]);
        want.extend_from_slice(&[tag::TRUE, tag::NULL, tag::FLOAT]);
        want.extend_from_slice(&1.5f64.to_be_bytes());
        want.extend_from_slice(&[tag::TEXT, 0, 0, 0, 1, b'x', tag::UINT]);
        want.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(out, want);
    }

    #[test]
    fn negative_durations_are_unset() {
        assert_eq!(duration(-1), None);
        assert_eq!(duration(1_500_000_000), Some(Duration::from_millis(1500)));
    }
}
