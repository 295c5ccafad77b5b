//! The JSON shapes of the extension's (and the Agent's) answers, decoded in one pass into
//! typed structs whose fields are *lenient*: `null`, missing and unexpected types all read
//! as absent, so a dialect's quirks (explicit nulls, omitted fields, dates as strings or
//! numbers, versions as strings) never fail a read.
//!
//! Every string is zeroized when dropped: the value fields hold secrets.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use zeroize::Zeroize;

use crate::types::Timestamp;

/// Seconds since the epoch (fractions allowed) to milliseconds.
fn seconds(secs: f64) -> Option<Timestamp> {
    secs.is_finite().then(|| Timestamp {
        epoch_millis: (secs * 1000.0).round() as i64,
    })
}

/// A date string: epoch seconds (the Agent) or ISO-8601 (the extension).
pub(crate) fn parse_date_str(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<f64>() {
        return seconds(secs);
    }
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
        .ok()
        .map(|epoch_millis| Timestamp { epoch_millis })
}

/// Skips whatever the visitor was handed.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements a lenient visitor: `on_str`, `on_f64`, `on_i64` decide; everything else is
/// absent (the default).
macro_rules! lenient {
    ($ty:ident, $what:literal, |$s:ident| $on_str:expr, |$f:ident| $on_f64:expr, |$i:ident| $on_i64:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: de::Error>(self, $s: &str) -> Result<$ty, E> {
                        Ok($on_str)
                    }
                    fn visit_f64<E: de::Error>(self, $f: f64) -> Result<$ty, E> {
                        Ok($on_f64)
                    }
                    fn visit_i64<E: de::Error>(self, $i: i64) -> Result<$ty, E> {
                        Ok($on_i64)
                    }
                    fn visit_u64<E: de::Error>(self, u: u64) -> Result<$ty, E> {
                        match i64::try_from(u) {
                            Ok($i) => Ok($on_i64),
                            Err(_) => Ok($ty::default()),
                        }
                    }
                    fn visit_bool<E: de::Error>(self, _: bool) -> Result<$ty, E> {
                        Ok($ty::default())
                    }
                    fn visit_unit<E: de::Error>(self) -> Result<$ty, E> {
                        Ok($ty::default())
                    }
                    fn visit_none<E: de::Error>(self) -> Result<$ty, E> {
                        Ok($ty::default())
                    }
                    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<$ty, D2::Error> {
                        $ty::deserialize(d)
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<$ty, A::Error> {
                        skip_seq(seq)?;
                        Ok($ty::default())
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        skip_map(map)?;
                        Ok($ty::default())
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

/// A string field; anything but a string is absent. Zeroized on drop.
#[derive(Default)]
pub(crate) struct Text(pub(crate) Option<String>);

impl Text {
    pub(crate) fn take(&mut self) -> Option<String> {
        self.0.take()
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        if let Some(s) = self.0.as_mut() {
            s.zeroize();
        }
    }
}

lenient!(
    Text,
    "a string",
    |s| Text(Some(s.to_owned())),
    |_f| Text(None),
    |_i| Text(None)
);

/// A date: a number or a string of epoch seconds, or an ISO-8601 string.
#[derive(Default)]
pub(crate) struct Date(pub(crate) Option<Timestamp>);

lenient!(
    Date,
    "a date",
    |s| Date(parse_date_str(s)),
    |f| Date(seconds(f)),
    |i| Date(seconds(i as f64))
);

/// An integer, possibly sent as a string.
#[derive(Default)]
pub(crate) struct Int(pub(crate) Option<i64>);

lenient!(
    Int,
    "an integer",
    |s| Int(s.trim().parse().ok()),
    |_f| Int(None),
    |i| Int(Some(i))
);

/// A list of strings; non-strings inside are dropped, anything else is an empty list.
#[derive(Default)]
pub(crate) struct Texts(pub(crate) Vec<String>);

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Texts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Texts, A::Error> {
                let mut out = Vec::new();
                while let Some(mut t) = seq.next_element::<Text>()? {
                    if let Some(s) = t.take() {
                        out.push(s);
                    }
                }
                Ok(Texts(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Texts, A::Error> {
                skip_map(map)?;
                Ok(Texts::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Texts, E> {
                Ok(Texts::default())
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Texts, D2::Error> {
                Texts::deserialize(d)
            }
        }
        d.deserialize_any(V)
    }
}

/// `{"Parameter": {...}, "ResultMetadata": {}}`
#[derive(Deserialize)]
pub(crate) struct ParameterAnswer {
    #[serde(rename = "Parameter", default)]
    pub(crate) parameter: Option<ParameterFields>,
}

#[derive(Deserialize)]
pub(crate) struct ParameterFields {
    #[serde(rename = "Name", default)]
    pub(crate) name: Text,
    #[serde(rename = "Value", default)]
    pub(crate) value: Text,
    #[serde(rename = "Type", default)]
    pub(crate) kind: Text,
    #[serde(rename = "Version", default)]
    pub(crate) version: Int,
    #[serde(rename = "ARN", default)]
    pub(crate) arn: Text,
    #[serde(rename = "LastModifiedDate", default)]
    pub(crate) last_modified: Date,
    #[serde(rename = "DataType", default)]
    pub(crate) data_type: Text,
    #[serde(rename = "Selector", default)]
    pub(crate) selector: Text,
    #[serde(rename = "SourceResult", default)]
    pub(crate) source_result: Text,
}

/// The secret's fields sit at the top level.
#[derive(Deserialize)]
pub(crate) struct SecretAnswer {
    #[serde(rename = "Name", default)]
    pub(crate) name: Text,
    #[serde(rename = "ARN", default)]
    pub(crate) arn: Text,
    #[serde(rename = "VersionId", default)]
    pub(crate) version_id: Text,
    #[serde(rename = "VersionStages", default)]
    pub(crate) version_stages: Texts,
    #[serde(rename = "CreatedDate", default)]
    pub(crate) created_date: Date,
    #[serde(rename = "SecretString", default)]
    pub(crate) secret_string: Text,
    #[serde(rename = "SecretBinary", default)]
    pub(crate) secret_binary: Text,
    /// `{}` from the managed extension, absent from the Agent: tells the servers apart.
    #[serde(rename = "ResultMetadata", default)]
    pub(crate) result_metadata: Option<IgnoredAny>,
}

/// The `SourceResult` of a Parameter Store reference to a secret
/// (`/aws/reference/secretsmanager/NAME`): the secret as Secrets Manager's Java SDK serialized
/// it. Only a binary secret's bytes are read from it, from the serialized `ByteBuffer`.
#[derive(Deserialize)]
pub(crate) struct SourceResult {
    #[serde(rename = "secretBinary", default)]
    pub(crate) secret_binary: Option<ByteBuffer>,
}

/// A serialized `java.nio.ByteBuffer`: the readable bytes are
/// `hb[offset + position .. offset + limit]`. Java bytes are signed, so `hb` holds -128..=127
/// (0..=255 is accepted too).
#[derive(Deserialize)]
pub(crate) struct ByteBuffer {
    #[serde(default)]
    pub(crate) hb: Vec<i16>,
    #[serde(default)]
    pub(crate) offset: usize,
    #[serde(default)]
    pub(crate) position: usize,
    #[serde(default)]
    pub(crate) limit: Option<usize>,
}

impl ByteBuffer {
    /// The readable bytes, or `None` when the fields do not describe bytes inside `hb`.
    pub(crate) fn readable(&self) -> Option<Vec<u8>> {
        let start = self.offset.checked_add(self.position)?;
        let end = match self.limit {
            Some(limit) => self.offset.checked_add(limit)?,
            None => self.hb.len(),
        };
        let window = self.hb.get(start..end)?;
        window
            .iter()
            .map(|&b| match b {
                -128..=-1 => Some((b + 256) as u8),
                0..=255 => Some(b as u8),
                _ => None,
            })
            .collect()
    }
}

impl Drop for ByteBuffer {
    fn drop(&mut self) {
        self.hb.zeroize();
    }
}
