//! Records and stats as JavaScript objects. The JS layer wraps records in its `Parameter` /
//! `Secret` classes, whose `toString`, `toJSON` and `util.inspect` redact the value.
//!
//! Timestamps travel as epoch milliseconds (the JS layer makes `Date`s of them).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use paramsecrets::{Parameter, Secret, Value};

#[napi(object)]
pub struct ParameterRecord {
    pub name: String,
    /// A `Buffer` only for a binary secret read through `/aws/reference/secretsmanager/…`.
    pub value: Either<String, Buffer>,
    #[napi(js_name = "type")]
    pub parameter_type: String,
    pub version: i64,
    pub arn: Option<String>,
    pub last_modified_ms: Option<i64>,
    pub data_type: Option<String>,
    pub selector: Option<String>,
    pub source_result: Option<String>,
}

impl From<&Parameter> for ParameterRecord {
    fn from(p: &Parameter) -> Self {
        ParameterRecord {
            name: p.name.clone(),
            value: match &p.value {
                Value::String(v) => Either::A(v.expose().clone()),
                Value::Binary(b) => Either::B(Buffer::from(b.expose().clone())),
            },
            parameter_type: p.parameter_type.as_str().to_owned(),
            version: p.version,
            arn: p.arn.clone(),
            last_modified_ms: p.last_modified.map(|t| t.epoch_millis),
            data_type: p.data_type.clone(),
            selector: p.selector.clone(),
            source_result: p.source_result.as_ref().map(|s| s.expose().clone()),
        }
    }
}

#[napi(object)]
pub struct SecretRecord {
    pub name: Option<String>,
    pub arn: Option<String>,
    pub version_id: Option<String>,
    pub version_stages: Vec<String>,
    pub created_ms: Option<i64>,
    pub secret_string: Option<String>,
    pub secret_binary: Option<Buffer>,
}

impl From<&Secret> for SecretRecord {
    fn from(s: &Secret) -> Self {
        let (secret_string, secret_binary) = match &s.value {
            Value::String(v) => (Some(v.expose().clone()), None),
            Value::Binary(b) => (None, Some(Buffer::from(b.expose().clone()))),
        };
        SecretRecord {
            name: s.name.clone(),
            arn: s.arn.clone(),
            version_id: s.version_id.clone(),
            version_stages: s.version_stages.clone(),
            created_ms: s.created_date.map(|t| t.epoch_millis),
            secret_string,
            secret_binary,
        }
    }
}

/// Counters since the client was built (`clearCache` keeps them).
#[napi(object)]
pub struct Stats {
    pub hits: i64,
    pub misses: i64,
    pub stale_served: i64,
    pub coalesced: i64,
    pub requests: i64,
    pub retries: i64,
    pub errors: i64,
    pub evictions: i64,
}

impl From<paramsecrets::Stats> for Stats {
    fn from(s: paramsecrets::Stats) -> Self {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Stats {
            hits: n(s.hits),
            misses: n(s.misses),
            stale_served: n(s.stale_served),
            coalesced: n(s.coalesced),
            requests: n(s.requests),
            retries: n(s.retries),
            errors: n(s.errors),
            evictions: n(s.evictions),
        }
    }
}

/// Any `ToNapiValue` as an `Unknown` of this environment.
pub fn to_unknown<'e, T: ToNapiValue>(env: &'e Env, value: T) -> Result<Unknown<'e>> {
    // SAFETY: `env` is the live environment of this call, and the value was made in it.
    unsafe {
        let raw = T::to_napi_value(env.raw(), value)?;
        Ok(Unknown::from_raw_unchecked(env.raw(), raw))
    }
}
