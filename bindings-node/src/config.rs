//! Client options (a JS object) → core's `ClientBuilder`. Unset options fall back to the
//! environment, exactly as in core.
//!
//! Units: `ttl`, `parameterTtl`, `secretTtl` and `staleIfError` are seconds (fractions
//! allowed), like the environment variables; `timeoutMs`, `deadlineMs` and `readyTimeoutMs`
//! milliseconds.

use std::collections::HashMap;
use std::time::Duration;

use napi_derive::napi;
use paramsecrets::{ClientBuilder, Error as CoreError, ServerKind};

use crate::error::invalid;

#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    pub endpoint: Option<String>,
    pub port: Option<u32>,
    pub token: Option<String>,
    pub ttl: Option<f64>,
    pub parameter_ttl: Option<f64>,
    pub secret_ttl: Option<f64>,
    pub cache_size: Option<u32>,
    pub timeout_ms: Option<f64>,
    pub deadline_ms: Option<f64>,
    pub ready_timeout_ms: Option<f64>,
    /// `auto`, `extension` or `agent`.
    pub server: Option<String>,
    pub stale_if_error: Option<f64>,
    pub allow_non_loopback: Option<bool>,
    /// Read defaults from this map instead of `process.env`.
    pub env: Option<HashMap<String, String>>,
}

/// A non-negative, finite duration, or an `invalid_argument` error naming the option.
pub fn seconds(what: &str, secs: f64) -> std::result::Result<Duration, CoreError> {
    Duration::try_from_secs_f64(secs)
        .map_err(|_| invalid(format!("{what} must be a non-negative number of seconds")))
}

fn millis(what: &str, ms: f64) -> std::result::Result<Duration, CoreError> {
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|_| {
        invalid(format!(
            "{what} must be a non-negative number of milliseconds"
        ))
    })
}

pub fn builder(o: ClientOptions) -> std::result::Result<ClientBuilder, CoreError> {
    let mut b = ClientBuilder::new();
    if let Some(e) = o.endpoint {
        b = b.endpoint(e);
    }
    if let Some(p) = o.port {
        let p = u16::try_from(p)
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| invalid("port must be between 1 and 65535"))?;
        b = b.port(p);
    }
    if let Some(t) = o.token {
        b = b.token(t);
    }
    if let Some(s) = o.ttl {
        b = b.ttl(seconds("ttl", s)?);
    }
    if let Some(s) = o.parameter_ttl {
        b = b.parameter_ttl(seconds("parameterTtl", s)?);
    }
    if let Some(s) = o.secret_ttl {
        b = b.secret_ttl(seconds("secretTtl", s)?);
    }
    if let Some(n) = o.cache_size {
        b = b.cache_size(n as usize);
    }
    if let Some(ms) = o.timeout_ms {
        b = b.timeout(millis("timeoutMs", ms)?);
    }
    if let Some(ms) = o.deadline_ms {
        b = b.deadline(millis("deadlineMs", ms)?);
    }
    if let Some(ms) = o.ready_timeout_ms {
        b = b.ready_timeout(millis("readyTimeoutMs", ms)?);
    }
    if let Some(kind) = o.server {
        b = b.server(ServerKind::parse(&kind)?);
    }
    if let Some(s) = o.stale_if_error {
        b = b.stale_if_error(seconds("staleIfError", s)?);
    }
    if let Some(a) = o.allow_non_loopback {
        b = b.allow_non_loopback(a);
    }
    if let Some(env) = o.env {
        b = b.env(env);
    }
    Ok(b)
}
