//! `SourceResult` of a `/aws/reference/secretsmanager/<id>` parameter: SSM's own
//! serialisation of the secret, which is a Java one (Gson over the SDK's `GetSecretValueResult`).
//!
//! Captured shape (fedonev/lambda-params-secrets `data/test-responses.json`): camelCase keys in
//! the order ARN, name, versionId, secretString | secretBinary, versionStages, createdDate;
//! absent fields omitted; `createdDate` in Gson's default en-US format
//! (`"Nov 16, 2022, 8:24:07 AM"`, UTC); and a binary value as the field dump of a
//! `java.nio.HeapByteBuffer`, whose `hb` holds Java's *signed* bytes.

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::model::SecretRecord;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Gson's default `java.util.Date` format (`MMM d, yyyy, h:mm:ss a`, en-US, UTC).
pub(super) fn gson_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let month = MONTHS[usize::from(u8::from(t.month())).saturating_sub(1) % 12];
    let hour12 = match t.hour() % 12 {
        0 => 12,
        h => h,
    };
    let meridiem = if t.hour() < 12 { "AM" } else { "PM" };
    format!(
        "{month} {}, {}, {hour12}:{:02}:{:02} {meridiem}",
        t.day(),
        t.year(),
        t.minute(),
        t.second()
    )
}

/// A heap `ByteBuffer` as Gson dumps it. `padding` extra zero bytes after the value make `hb`
/// longer than `limit` (a test knob: the bytes are `hb[position..limit]`, not all of `hb`).
fn byte_buffer(bytes: &[u8], padding: usize) -> Value {
    let mut hb: Vec<i8> = bytes.iter().map(|b| i8::from_ne_bytes([*b])).collect();
    hb.resize(bytes.len() + padding, 0);
    json!({
        "hb": hb,
        "offset": 0,
        "isReadOnly": false,
        "bigEndian": true,
        "nativeByteOrder": false,
        "mark": -1,
        "position": 0,
        "limit": bytes.len(),
        "capacity": hb.len(),
        // The captured value: the array base offset of a 64-bit JVM.
        "address": 16
    })
}

pub(super) fn render(secret: &SecretRecord, padding: usize) -> String {
    let mut doc = serde_json::Map::new();
    doc.insert("ARN".into(), json!(secret.arn));
    doc.insert("name".into(), json!(secret.name));
    doc.insert("versionId".into(), json!(secret.version_id));
    if let Some(s) = &secret.string {
        doc.insert("secretString".into(), json!(s));
    }
    if let Some(b) = &secret.binary {
        doc.insert("secretBinary".into(), byte_buffer(b, padding));
    }
    doc.insert("versionStages".into(), json!(secret.stages));
    doc.insert("createdDate".into(), json!(gson_date(secret.created)));
    Value::Object(doc).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(string: Option<&str>, binary: Option<&[u8]>) -> SecretRecord {
        SecretRecord {
            arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:dummy-binary-secret-yTDWrV"
                .into(),
            // 2022-11-16T08:24:07.032Z, the captured secret's CreatedDate.
            created: OffsetDateTime::from_unix_timestamp_nanos(1_668_587_047_032_000_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            name: "dummy-binary-secret".into(),
            binary: binary.map(<[u8]>::to_vec),
            string: string.map(str::to_string),
            version_id: "fdfc9fe2-e172-498e-b306-ad660c887b7a".into(),
            stages: vec!["AWSPREVIOUS".into()],
        }
    }

    #[test]
    fn matches_the_captured_binary_answer() {
        let value = b"a string secret value to be saved as binary";
        // Verbatim from the capture.
        let captured = r#"{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dummy-binary-secret-yTDWrV","name":"dummy-binary-secret","versionId":"fdfc9fe2-e172-498e-b306-ad660c887b7a","secretBinary":{"hb":[97,32,115,116,114,105,110,103,32,115,101,99,114,101,116,32,118,97,108,117,101,32,116,111,32,98,101,32,115,97,118,101,100,32,97,115,32,98,105,110,97,114,121],"offset":0,"isReadOnly":false,"bigEndian":true,"nativeByteOrder":false,"mark":-1,"position":0,"limit":43,"capacity":43,"address":16},"versionStages":["AWSPREVIOUS"],"createdDate":"Nov 16, 2022, 8:24:07 AM"}"#;
        assert_eq!(render(&record(None, Some(value)), 0), captured);
    }

    #[test]
    fn string_signed_bytes_padding_and_dates() {
        let s = render(&record(Some("v"), None), 0);
        assert!(s.contains(r#""versionId":"fdfc9fe2-e172-498e-b306-ad660c887b7a","secretString":"v","versionStages""#), "{s}");
        assert!(!s.contains("secretBinary"), "{s}");
        let v: Value = serde_json::from_str(&render(&record(None, Some(&[0, 1, 255, 128])), 3))
            .unwrap_or(Value::Null);
        let bb = &v["secretBinary"];
        assert_eq!(bb["hb"], json!([0, 1, -1, -128, 0, 0, 0]));
        assert_eq!(
            (bb["limit"].as_u64(), bb["capacity"].as_u64()),
            (Some(4), Some(7))
        );
        let t = |unix| {
            gson_date(
                OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH),
            )
        };
        assert_eq!(t(0), "Jan 1, 1970, 12:00:00 AM");
        assert_eq!(t(1_704_067_200 + 13 * 3600 + 5), "Jan 1, 2024, 1:00:05 PM");
        assert_eq!(t(1_704_067_200 + 12 * 3600), "Jan 1, 2024, 12:00:00 PM");
    }
}
