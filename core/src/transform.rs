//! Value transforms shared by every binding (Powertools' `transform=`): `json` parses the
//! value, `binary` base64-decodes it, `auto` picks by the name's suffix (`.json`, `.binary`).
//!
//! Errors are `protocol` errors that name the parameter or secret but never quote the value.

use std::borrow::Cow;

use base64::Engine as _;

use crate::error::{Error, ErrorCode, Result};
use crate::types::{Parameter, Secret, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transform {
    Json,
    Binary,
    Auto,
}

impl Transform {
    /// Parses the spelling every binding accepts: `json`, `binary`, `auto`.
    pub fn parse(s: &str) -> Result<Transform> {
        match s {
            "json" => Ok(Transform::Json),
            "binary" => Ok(Transform::Binary),
            "auto" => Ok(Transform::Auto),
            other => Err(Error::invalid(format!(
                "unknown transform {other:?}: expected \"json\", \"binary\" or \"auto\""
            ))),
        }
    }

    /// What to do for `name`: `Auto` becomes `Json` for names ending in `.json`, `Binary` for
    /// `.binary`, and nothing otherwise.
    pub fn resolve(self, name: &str) -> Option<Transform> {
        match self {
            Transform::Auto => {
                let lower = name.to_ascii_lowercase();
                if lower.ends_with(".json") {
                    Some(Transform::Json)
                } else if lower.ends_with(".binary") {
                    Some(Transform::Binary)
                } else {
                    None
                }
            }
            t => Some(t),
        }
    }
}

/// Parses `value` as JSON. `subject` names the parameter or secret in the error.
pub fn json(value: &str, subject: &str) -> Result<serde_json::Value> {
    serde_json::from_str(value).map_err(|e| {
        Error::new(
            ErrorCode::Protocol,
            format!(
                "the value of {subject} is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Decodes `value` as standard base64.
pub fn binary(value: &str, subject: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|_| {
            Error::new(
                ErrorCode::Protocol,
                format!("the value of {subject} is not valid base64"),
            )
        })
}

/// A value once the caller's transform is applied: each binding turns these three shapes into
/// its own types (`str`/`bytes`/`dict`, `string`/`Buffer`/object, `String`/`byte[]`/`Map`).
#[derive(Debug, PartialEq)]
pub enum Output<'a> {
    Text(&'a str),
    Bytes(Cow<'a, [u8]>),
    Json(serde_json::Value),
}

/// Applies `t` (resolved against `name`, the name the caller asked for) to a parameter's
/// value. No transform: the value as text (or bytes, for a binary secret read through a
/// Parameter Store reference).
pub fn apply_to_parameter<'a>(
    p: &'a Parameter,
    name: &str,
    t: Option<Transform>,
) -> Result<Output<'a>> {
    apply_to_value(&p.value, t.and_then(|t| t.resolve(name)), || {
        format!("parameter {name:?}")
    })
}

/// Applies `t` to a secret's value (see [`apply_to_value`]).
pub fn apply_to_secret<'a>(
    s: &'a Secret,
    secret_id: &str,
    t: Option<Transform>,
) -> Result<Output<'a>> {
    apply_to_value(&s.value, t.and_then(|t| t.resolve(secret_id)), || {
        format!("secret {secret_id:?}")
    })
}

/// A binary value is already bytes: `binary` hands them over as they are and `json` reads them
/// as UTF-8 JSON. No transform: the text, or the bytes.
fn apply_to_value<'a>(
    value: &'a Value,
    resolved: Option<Transform>,
    subject: impl Fn() -> String,
) -> Result<Output<'a>> {
    match (value, resolved) {
        (Value::String(v), t) => apply_to_text(v.expose(), t, subject),
        (Value::Binary(b), None | Some(Transform::Binary)) => {
            Ok(Output::Bytes(Cow::Borrowed(b.expose())))
        }
        (Value::Binary(b), Some(_)) => match std::str::from_utf8(b.expose()) {
            Ok(text) => json(text, &subject()).map(Output::Json),
            Err(_) => Err(Error::new(
                ErrorCode::Protocol,
                format!(
                    "the value of {} is binary and not UTF-8 text, so not JSON",
                    subject()
                ),
            )),
        },
    }
}

fn apply_to_text<'a>(
    text: &'a str,
    resolved: Option<Transform>,
    subject: impl Fn() -> String,
) -> Result<Output<'a>> {
    match resolved {
        None => Ok(Output::Text(text)),
        Some(Transform::Binary) => binary(text, &subject()).map(|b| Output::Bytes(Cow::Owned(b))),
        // `Auto` never survives `resolve`.
        Some(Transform::Json | Transform::Auto) => json(text, &subject()).map(Output::Json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_picks_by_suffix() {
        assert_eq!(Transform::Auto.resolve("/a/b.json"), Some(Transform::Json));
        assert_eq!(Transform::Auto.resolve("/a/b.JSON"), Some(Transform::Json));
        assert_eq!(
            Transform::Auto.resolve("cert.binary"),
            Some(Transform::Binary)
        );
        assert_eq!(Transform::Auto.resolve("/a/b"), None);
        assert_eq!(Transform::Json.resolve("/a/b"), Some(Transform::Json));
        assert_eq!(Transform::parse("auto").ok(), Some(Transform::Auto));
        assert_eq!(
            Transform::parse("yaml").map_err(|e| e.code()),
            Err(ErrorCode::InvalidArgument)
        );
    }

    fn secret(value: Value) -> Secret {
        Secret {
            name: None,
            arn: None,
            version_id: None,
            version_stages: vec![],
            created_date: None,
            value,
        }
    }

    #[test]
    fn secrets_apply_every_transform_to_both_kinds_of_value() {
        use crate::types::Sensitive;
        let text = secret(Value::String(Sensitive::new(r#"{"k": [1]}"#.into())));
        let b64 = secret(Value::String(Sensitive::new("AAE=".into())));
        let bin = secret(Value::Binary(Sensitive::new(br#"{"k": 2}"#.to_vec())));
        let raw = secret(Value::Binary(Sensitive::new(vec![0xff, 0])));
        fn out<'a>(
            s: &'a Secret,
            id: &str,
            t: Option<Transform>,
        ) -> std::result::Result<Output<'a>, ErrorCode> {
            apply_to_secret(s, id, t).map_err(|e| e.code())
        }
        assert_eq!(out(&text, "s", None), Ok(Output::Text(r#"{"k": [1]}"#)));
        assert_eq!(
            out(&text, "s", Some(Transform::Json)),
            Ok(Output::Json(serde_json::json!({"k": [1]})))
        );
        assert_eq!(
            out(&b64, "s", Some(Transform::Binary)),
            Ok(Output::Bytes(Cow::Owned(vec![0, 1])))
        );
        assert_eq!(
            out(&bin, "s", None),
            Ok(Output::Bytes(Cow::Borrowed(&br#"{"k": 2}"#[..])))
        );
        assert_eq!(
            out(&bin, "s.json", Some(Transform::Auto)),
            Ok(Output::Json(serde_json::json!({"k": 2})))
        );
        assert_eq!(
            out(&raw, "s", Some(Transform::Binary)),
            Ok(Output::Bytes(Cow::Borrowed(&[0xff, 0][..])))
        );
        assert_eq!(
            out(&raw, "s", Some(Transform::Json)),
            Err(ErrorCode::Protocol)
        );
        assert_eq!(
            out(&text, "s", Some(Transform::Auto)),
            Ok(Output::Text(r#"{"k": [1]}"#))
        );
    }

    #[test]
    fn failures_never_quote_the_value() {
        let e = json("{\"pw\": hunter2}", "secret \"db\"").expect_err("bad json");
        assert_eq!(e.code(), ErrorCode::Protocol);
        assert!(!format!("{e:?}").contains("hunter2"));
        let e = binary("hunter2!", "parameter \"/c\"").expect_err("bad base64");
        assert!(!format!("{e:?}").contains("hunter2"));
        assert_eq!(binary("AAEC/w==", "p").ok(), Some(vec![0, 1, 2, 255]));
        assert_eq!(json("[1]", "p").ok(), Some(serde_json::json!([1])));
        // Keys keep the document's order, as json.loads / JSON.parse do.
        let v = json(r#"{"b": 1, "a": 2, "c": 3}"#, "p").expect("json");
        let keys: Vec<&str> = v
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }
}
