//! Values as JavaScript values, with core's transforms (`json`, `binary`, `auto`) applied:
//! a string, a `Buffer`, or whatever the JSON holds.
//!
//! Transforms work on strings. A binary secret is already bytes: `binary` hands them over as
//! they are and `json` reads them as UTF-8 JSON.

use napi::bindgen_prelude::*;
use paramsecrets::transform::{self, Transform};
use paramsecrets::{Error as CoreError, ErrorCode, Parameter, Secret, SecretValue};

use crate::error::to_napi;
use crate::types::to_unknown;

pub fn parse(t: Option<&str>) -> std::result::Result<Option<Transform>, CoreError> {
    t.map(Transform::parse).transpose()
}

pub fn parameter_value<'e>(
    env: &'e Env,
    p: &Parameter,
    name: &str,
    t: Option<Transform>,
) -> Result<Unknown<'e>> {
    let subject = || format!("parameter {name:?}");
    match t.and_then(|t| t.resolve(name)) {
        None => to_unknown(env, p.value_str()),
        Some(Transform::Binary) => match transform::binary(p.value_str(), &subject()) {
            Ok(bytes) => to_unknown(env, Buffer::from(bytes)),
            Err(e) => Err(to_napi(env, &e)),
        },
        Some(_) => json(env, p.value_str(), &subject()),
    }
}

pub fn secret_value<'e>(
    env: &'e Env,
    s: &Secret,
    id: &str,
    t: Option<Transform>,
) -> Result<Unknown<'e>> {
    let subject = || format!("secret {id:?}");
    match (&s.value, t.and_then(|t| t.resolve(id))) {
        (SecretValue::String(v), None) => to_unknown(env, v.expose().as_str()),
        (SecretValue::Binary(b), None | Some(Transform::Binary)) => {
            to_unknown(env, Buffer::from(b.expose().clone()))
        }
        (SecretValue::String(v), Some(Transform::Binary)) => {
            match transform::binary(v.expose(), &subject()) {
                Ok(bytes) => to_unknown(env, Buffer::from(bytes)),
                Err(e) => Err(to_napi(env, &e)),
            }
        }
        (SecretValue::String(v), Some(_)) => json(env, v.expose(), &subject()),
        (SecretValue::Binary(b), Some(_)) => match std::str::from_utf8(b.expose()) {
            Ok(text) => json(env, text, &subject()),
            Err(_) => Err(to_napi(
                env,
                &CoreError::new(
                    ErrorCode::Protocol,
                    format!(
                        "the value of {} is binary and not UTF-8 text, so not JSON",
                        subject()
                    ),
                ),
            )),
        },
    }
}

fn json<'e>(env: &'e Env, text: &str, subject: &str) -> Result<Unknown<'e>> {
    match transform::json(text, subject) {
        Ok(v) => env.to_js_value(&v),
        Err(e) => Err(to_napi(env, &e)),
    }
}
