//! Dialect-neutral requests, records and errors.
//!
//! The store answers these; the two dialect modules turn them into the exact bytes each real
//! server would send. Keeping the middle neutral is what lets one store and one cache serve
//! both dialects.

use std::fmt::Write as _;

use time::OffsetDateTime;

/// `GET /systemsmanager/parameters/get`, after the dialect has decoded and normalised it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParameterRequest {
    /// The name as requested (a path, an ARN or `/aws/reference/secretsmanager/<id>`).
    pub name: String,
    /// `withDecryption=true`.
    pub decrypt: bool,
    /// `version` or `label`, whichever came first in the query.
    pub selector: Option<Selector>,
}

/// A parameter version selector, kept as the raw text so the response can echo it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    Version(String),
    Label(String),
}

impl Selector {
    /// The `Selector` field of the extension's answer: `":<version>"` or `":<label>"`.
    pub fn echo(&self) -> String {
        match self {
            Selector::Version(v) | Selector::Label(v) => format!(":{v}"),
        }
    }
}

/// `GET /secretsmanager/get` (or the Agent's `/v1/<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretRequest {
    pub secret_id: String,
    pub version_id: Option<String>,
    pub version_stage: Option<String>,
}

/// What one request is about; also the emulator's cache key (the full request, like the
/// Agent's `(secretId, versionId, versionStage)` tuple).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookup {
    Parameter(ParameterRequest),
    Secret(SecretRequest),
}

impl Lookup {
    /// The key under which `/_emulator/stats` counts this request, e.g. `parameter:/app/x`.
    pub fn stats_key(&self) -> String {
        match self {
            Lookup::Parameter(p) => format!("parameter:{}", p.name),
            Lookup::Secret(s) => format!("secret:{}", s.secret_id),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Lookup::Parameter(_) => Kind::Parameter,
            Lookup::Secret(_) => Kind::Secret,
        }
    }
}

/// Which service a request targets; TTLs are per kind, as in the real extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Parameter,
    Secret,
}

/// A parameter as SSM `GetParameter` would describe it.
#[derive(Debug, Clone)]
pub struct ParameterRecord {
    pub arn: String,
    pub data_type: Option<String>,
    pub last_modified: OffsetDateTime,
    pub name: String,
    pub selector: Option<String>,
    pub source_result: Option<String>,
    pub kind: String,
    pub value: Option<String>,
    pub version: u64,
}

/// A secret version as Secrets Manager `GetSecretValue` would describe it.
#[derive(Debug, Clone)]
pub struct SecretRecord {
    pub arn: String,
    pub created: OffsetDateTime,
    pub name: String,
    pub binary: Option<Vec<u8>>,
    pub string: Option<String>,
    pub version_id: String,
    pub stages: Vec<String>,
}

/// An error as the emulated AWS service would return it. The extension dialect hides all of
/// this behind one generic 400; the Agent dialect forwards type, status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError {
    /// The AWS error code, e.g. `ResourceNotFoundException`.
    pub kind: String,
    /// The HTTP status the AWS service answers with.
    pub status: u16,
    /// The AWS-style message. Names the parameter or secret, never a value.
    pub message: String,
}

impl UpstreamError {
    pub fn new(kind: &str, status: u16, message: impl Into<String>) -> Self {
        Self {
            kind: kind.to_string(),
            status,
            message: message.into(),
        }
    }

    /// The upstream service could not be reached (the "upstream down" knob). Worded as the
    /// Agent words an I/O dispatch failure (`cache_manager.rs`: 502 ConnectionError "Read Error").
    pub fn unreachable() -> Self {
        Self::new("ConnectionError", 502, "Read Error")
    }

    pub fn is_not_found(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "ResourceNotFoundException" | "ParameterNotFound"
        )
    }
}

/// ISO-8601 UTC with exactly three fraction digits (`2024-01-01T00:00:00.000Z`): the managed
/// extension's format for `LastModifiedDate` and `CreatedDate`.
pub fn iso_millis(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let mut out = String::with_capacity(24);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    );
    out
}

/// Epoch seconds with a three-digit fraction, as a string (`"1704067200.000"`): the Agent's
/// `CreatedDate` format.
pub fn epoch_fraction(t: OffsetDateTime) -> String {
    let millis = t.unix_timestamp_nanos().div_euclid(1_000_000);
    let secs = millis.div_euclid(1000);
    let frac = millis.rem_euclid(1000);
    format!("{secs}.{frac:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_704_067_200_123_456_789)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        assert_eq!(iso_millis(t), "2024-01-01T00:00:00.123Z");
        assert_eq!(epoch_fraction(t), "1704067200.123");
        assert_eq!(
            iso_millis(OffsetDateTime::UNIX_EPOCH),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(epoch_fraction(OffsetDateTime::UNIX_EPOCH), "0.000");
    }
}
