//! The values callers get back and the requests they make.
//!
//! Secret material lives only inside [`Sensitive`]: redacted in `Debug`, zeroized on drop.

use std::fmt;
use std::time::Duration;

use zeroize::Zeroize;

/// A value that must never be printed: `Debug` shows `[REDACTED]`, drop zeroizes the memory.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The plaintext. Callers decide where it goes; nothing in paramsecrets logs it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// A point in time as milliseconds since the Unix epoch (UTC). The extension speaks ISO-8601,
/// the Agent strings of epoch seconds, the native API numbers: all three land here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    pub epoch_millis: i64,
}

impl Timestamp {
    pub fn epoch_seconds(self) -> f64 {
        self.epoch_millis as f64 / 1000.0
    }

    /// RFC 3339 / ISO-8601 UTC with milliseconds, e.g. `2024-01-01T00:00:00.000Z`.
    pub fn to_rfc3339(self) -> String {
        let nanos = i128::from(self.epoch_millis) * 1_000_000;
        match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(t) => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            ),
            Err(_) => format!("{}ms", self.epoch_millis),
        }
    }
}

/// The SSM parameter type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    String,
    StringList,
    SecureString,
    /// A type this version does not know; kept as sent.
    Other(String),
}

impl ParameterType {
    pub fn as_str(&self) -> &str {
        match self {
            ParameterType::String => "String",
            ParameterType::StringList => "StringList",
            ParameterType::SecureString => "SecureString",
            ParameterType::Other(s) => s,
        }
    }

    pub(crate) fn parse(s: &str) -> ParameterType {
        match s {
            "String" => ParameterType::String,
            "StringList" => ParameterType::StringList,
            "SecureString" => ParameterType::SecureString,
            other => ParameterType::Other(other.to_string()),
        }
    }
}

/// A parameter with its metadata, as the extension returned it.
#[derive(Clone, Debug)]
pub struct Parameter {
    pub name: String,
    /// Text, except for a binary secret read through `/aws/reference/secretsmanager/…`:
    /// the extension sends `"Value": null` and the bytes inside `SourceResult`.
    pub value: Value,
    pub parameter_type: ParameterType,
    pub version: i64,
    pub arn: Option<String>,
    pub last_modified: Option<Timestamp>,
    pub data_type: Option<String>,
    /// `":<version>"` or `":<label>"` when a selector was used.
    pub selector: Option<String>,
    /// For `/aws/reference/secretsmanager/…` names: the secret as a JSON string.
    pub source_result: Option<Sensitive<String>>,
}

impl Parameter {
    /// The value as text; `None` when it is binary (see [`Parameter::value`]).
    pub fn text(&self) -> Option<&str> {
        self.value.text()
    }
}

/// A parameter's or a secret's value: exactly one of text or bytes.
#[derive(Clone, Debug)]
pub enum Value {
    String(Sensitive<String>),
    Binary(Sensitive<Vec<u8>>),
}

impl Value {
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.expose()),
            Value::Binary(_) => None,
        }
    }

    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Binary(b) => Some(b.expose()),
            Value::String(_) => None,
        }
    }

    pub fn is_binary(&self) -> bool {
        matches!(self, Value::Binary(_))
    }
}

/// A secret with its metadata.
#[derive(Clone, Debug)]
pub struct Secret {
    pub name: Option<String>,
    pub arn: Option<String>,
    pub version_id: Option<String>,
    pub version_stages: Vec<String>,
    pub created_date: Option<Timestamp>,
    pub value: Value,
}

impl Secret {
    pub fn secret_string(&self) -> Option<&str> {
        self.value.text()
    }

    pub fn secret_binary(&self) -> Option<&[u8]> {
        self.value.bytes()
    }
}

/// Which version of a parameter to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selector<'a> {
    Latest,
    Version(u64),
    Label(&'a str),
}

impl<'a> Selector<'a> {
    /// From the optional `version` / `label` options every binding takes. Both at once is an
    /// error: the extension would silently use whichever comes first in the URL.
    pub fn from_options(
        version: Option<u64>,
        label: Option<&'a str>,
    ) -> crate::Result<Selector<'a>> {
        match (version, label) {
            (Some(_), Some(_)) => Err(crate::Error::new(
                crate::ErrorCode::InvalidArgument,
                "give a parameter version or a label, not both",
            )),
            (Some(v), None) => Ok(Selector::Version(v)),
            (None, Some(l)) => Ok(Selector::Label(l)),
            (None, None) => Ok(Selector::Latest),
        }
    }
}

/// A parameter read. Borrowed, so the cache-hit path never allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParameterRequest<'a> {
    pub name: &'a str,
    /// Ask the extension to decrypt SecureString values (default true).
    pub decrypt: bool,
    pub selector: Selector<'a>,
}

impl<'a> ParameterRequest<'a> {
    pub fn new(name: &'a str) -> Self {
        ParameterRequest {
            name,
            decrypt: true,
            selector: Selector::Latest,
        }
    }

    pub fn decrypt(mut self, decrypt: bool) -> Self {
        self.decrypt = decrypt;
        self
    }

    pub fn version(mut self, version: u64) -> Self {
        self.selector = Selector::Version(version);
        self
    }

    pub fn label(mut self, label: &'a str) -> Self {
        self.selector = Selector::Label(label);
        self
    }
}

/// A secret read. Borrowed, so the cache-hit path never allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SecretRequest<'a> {
    pub secret_id: &'a str,
    pub version_id: Option<&'a str>,
    pub version_stage: Option<&'a str>,
}

impl<'a> SecretRequest<'a> {
    pub fn new(secret_id: &'a str) -> Self {
        SecretRequest {
            secret_id,
            version_id: None,
            version_stage: None,
        }
    }

    pub fn version_id(mut self, version_id: &'a str) -> Self {
        self.version_id = Some(version_id);
        self
    }

    pub fn version_stage(mut self, version_stage: &'a str) -> Self {
        self.version_stage = Some(version_stage);
        self
    }
}

/// Per-call cache control.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Accept a cached value at most this old (overrides the client's TTL for this read).
    pub max_age: Option<Duration>,
    /// Skip the in-process cache and refill it with a fresh value.
    pub force_fetch: bool,
}

impl ReadOptions {
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    pub fn force_fetch(mut self, force_fetch: bool) -> Self {
        self.force_fetch = force_fetch;
        self
    }
}

/// Counters since the client was built (or since the last `clear_cache`, which keeps them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Reads served from the in-process cache.
    pub hits: u64,
    /// Reads that needed the extension (including coalesced ones).
    pub misses: u64,
    /// Reads served an expired value because the refresh failed transiently.
    pub stale_served: u64,
    /// Misses that joined a request already in flight instead of sending their own.
    pub coalesced: u64,
    /// HTTP requests sent to the extension (every attempt).
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Reads that ended in an error.
    pub errors: u64,
    /// Entries dropped because the cache was full.
    pub evictions: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_is_redacted_in_debug() {
        let p = Parameter {
            name: "/app/db".into(),
            value: Value::String(Sensitive::new("hunter2".into())),
            parameter_type: ParameterType::SecureString,
            version: 1,
            arn: None,
            last_modified: None,
            data_type: None,
            selector: None,
            source_result: Some(Sensitive::new("{\"pw\":\"hunter2\"}".into())),
        };
        let s = format!("{p:?} {p:#?}");
        assert!(!s.contains("hunter2"), "{s}");
        assert!(s.contains("/app/db"));
        let secret = Secret {
            name: Some("db".into()),
            arn: None,
            version_id: None,
            version_stages: vec![],
            created_date: None,
            value: Value::Binary(Sensitive::new(b"hunter2".to_vec())),
        };
        let s = format!("{secret:?}");
        assert!(!s.contains("hunter2") && !s.contains("104, 117"), "{s}");
    }

    #[test]
    fn selector_options_exclude_each_other() {
        assert_eq!(
            Selector::from_options(None, None).ok(),
            Some(Selector::Latest)
        );
        assert_eq!(
            Selector::from_options(Some(3), None).ok(),
            Some(Selector::Version(3))
        );
        assert_eq!(
            Selector::from_options(None, Some("L")).ok(),
            Some(Selector::Label("L"))
        );
        let e = Selector::from_options(Some(3), Some("L")).expect_err("both");
        assert_eq!(e.code(), crate::ErrorCode::InvalidArgument);
    }

    #[test]
    fn timestamp_formats_as_rfc3339_millis() {
        let t = Timestamp {
            epoch_millis: 1_668_586_960_362,
        };
        assert_eq!(t.to_rfc3339(), "2022-11-16T08:22:40.362Z");
        assert_eq!(t.epoch_seconds(), 1_668_586_960.362);
    }
}
