//! Value transforms shared by every binding (Powertools' `transform=`): `json` parses the
//! value, `binary` base64-decodes it, `auto` picks by the name's suffix (`.json`, `.binary`).
//!
//! Errors are `protocol` errors that name the parameter or secret but never quote the value.

use base64::Engine as _;

use crate::error::{Error, ErrorCode, Result};

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
