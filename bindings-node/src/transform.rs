//! Values as JavaScript values, with core's transforms (`json`, `binary`, `auto`) applied:
//! a string, a `Buffer`, or whatever the JSON holds.
//!
//! Core decides what each transform does ([`transform::apply_to_secret`]); this file only
//! turns the outcome into JavaScript.

use napi::bindgen_prelude::*;
use paramsecrets::transform::{self, Output, Transform};
use paramsecrets::{Error as CoreError, Parameter, Secret};

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
    output(env, transform::apply_to_parameter(p, name, t))
}

pub fn secret_value<'e>(
    env: &'e Env,
    s: &Secret,
    id: &str,
    t: Option<Transform>,
) -> Result<Unknown<'e>> {
    output(env, transform::apply_to_secret(s, id, t))
}

/// Core's transform output as a JavaScript value: a string, a `Buffer`, or the parsed JSON.
fn output<'e>(
    env: &'e Env,
    out: std::result::Result<Output<'_>, CoreError>,
) -> Result<Unknown<'e>> {
    match out {
        Ok(Output::Text(s)) => to_unknown(env, s),
        Ok(Output::Bytes(b)) => to_unknown(env, Buffer::from(b.into_owned())),
        Ok(Output::Json(v)) => env.to_js_value(&v),
        Err(e) => Err(to_napi(env, &e)),
    }
}
