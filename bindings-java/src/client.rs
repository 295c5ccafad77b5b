//! The exported client: core's `Client`, with a sync and an async form of every read.
//!
//! Sync reads answer a cache hit in this one FFI call (`Client::cached_*`, no runtime), and on a
//! miss block on core's shared runtime (`paramsecrets::runtime::block_on`). Async reads run on
//! the same runtime ([`crate::runtime::spawn`]) and reach Java as `CompletableFuture`s.

use std::sync::Arc;

use paramsecrets::transform::{self, Transform};
use paramsecrets::{
    Client, ErrorCode, Parameter, ParameterRequest, Secret, SecretRequest, Value, runtime::block_on,
};

use crate::error::{ErrorInfo, NativeError};
use crate::runtime::{guard, guard_infallible, spawn};
use crate::types::{
    ClientOptions, JsonValue, NativeParameter, NativeSecret, NativeStats, ParameterOptions,
    ParameterOutcome, SecretOptions, SecretOutcome,
};

/// Java: `dev.paramsecrets.ffi.NativeClient`, wrapped by `dev.paramsecrets.Client`.
#[derive(uniffi::Object)]
pub struct NativeClient {
    inner: Client,
}

fn secret_text(s: &Secret, secret_id: &str) -> Result<String, NativeError> {
    match &s.value {
        Value::String(v) => Ok(v.expose().clone()),
        Value::Binary(_) => Err(NativeError::new(
            ErrorCode::InvalidArgument,
            format!("secret {secret_id:?} is binary: read it with getSecretBinary"),
        )),
    }
}

fn parameter_text(p: &Parameter) -> Result<String, NativeError> {
    match &p.value {
        Value::String(v) => Ok(v.expose().clone()),
        Value::Binary(_) => Err(NativeError::new(
            ErrorCode::InvalidArgument,
            format!(
                "parameter {:?} is a binary secret: read it with getParameterBinary",
                p.name
            ),
        )),
    }
}

/// The binary value, or the text's UTF-8 bytes.
fn value_bytes(v: &Value) -> Vec<u8> {
    match v {
        Value::String(v) => v.expose().as_bytes().to_vec(),
        Value::Binary(b) => b.expose().clone(),
    }
}

/// `getSecretJson`: core's `json` transform (a binary secret is read as UTF-8 JSON).
fn secret_json(s: &Secret, secret_id: &str) -> Result<JsonValue, NativeError> {
    json_output(transform::apply_to_secret(
        s,
        secret_id,
        Some(Transform::Json),
    )?)
}

fn parameter_json(p: &Parameter) -> Result<JsonValue, NativeError> {
    json_output(transform::apply_to_parameter(
        p,
        &p.name,
        Some(Transform::Json),
    )?)
}

fn json_output(out: transform::Output<'_>) -> Result<JsonValue, NativeError> {
    match out {
        transform::Output::Json(v) => Ok(v.into()),
        _ => Err(NativeError::new(
            ErrorCode::Internal,
            "the json transform returned something other than JSON",
        )),
    }
}

/// Reads a parameter on the calling thread: a hit from the cache, a miss on core's runtime.
fn blocking_parameter(
    client: &Client,
    name: &str,
    options: &ParameterOptions,
) -> Result<Arc<Parameter>, NativeError> {
    let req = options.request(name)?;
    let read = options.read();
    if let Some(p) = client.cached_parameter(&req, read) {
        return Ok(p);
    }
    Ok(block_on(client.get_parameter(&req, read))??)
}

fn blocking_secret(
    client: &Client,
    secret_id: &str,
    options: &SecretOptions,
) -> Result<Arc<Secret>, NativeError> {
    let req = options.request(secret_id);
    let read = options.read();
    if let Some(s) = client.cached_secret(&req, read) {
        return Ok(s);
    }
    Ok(block_on(client.get_secret(&req, read))??)
}

async fn async_parameter(
    client: Client,
    name: String,
    options: ParameterOptions,
) -> Result<Arc<Parameter>, NativeError> {
    let req = options.request(&name)?;
    Ok(client.get_parameter(&req, options.read()).await?)
}

async fn async_secret(
    client: Client,
    secret_id: String,
    options: SecretOptions,
) -> Result<Arc<Secret>, NativeError> {
    let req = options.request(&secret_id);
    Ok(client.get_secret(&req, options.read()).await?)
}

fn parameter_outcomes(
    names: &[String],
    results: Vec<paramsecrets::Result<Arc<Parameter>>>,
) -> Vec<ParameterOutcome> {
    names
        .iter()
        .zip(results)
        .map(|(name, r)| match r {
            Ok(p) => ParameterOutcome {
                name: name.clone(),
                parameter: Some(NativeParameter::from(&*p)),
                error: None,
            },
            Err(e) => ParameterOutcome {
                name: name.clone(),
                parameter: None,
                error: Some(ErrorInfo::from(&e)),
            },
        })
        .collect()
}

fn secret_outcomes(
    ids: &[String],
    results: Vec<paramsecrets::Result<Arc<Secret>>>,
) -> Vec<SecretOutcome> {
    ids.iter()
        .zip(results)
        .map(|(id, r)| match r {
            Ok(s) => SecretOutcome {
                secret_id: id.clone(),
                secret: Some(NativeSecret::from(&*s)),
                error: None,
            },
            Err(e) => SecretOutcome {
                secret_id: id.clone(),
                secret: None,
                error: Some(ErrorInfo::from(&e)),
            },
        })
        .collect()
}

/// Batch requests borrow from `names`; a negative version fails the whole call up front.
fn parameter_requests<'a>(
    names: &'a [String],
    options: &'a ParameterOptions,
) -> Result<Vec<paramsecrets::ParameterRequest<'a>>, NativeError> {
    names.iter().map(|n| options.request(n)).collect()
}

#[uniffi::export]
impl NativeClient {
    /// A client configured from the environment alone (DESIGN §3).
    #[uniffi::constructor]
    pub fn from_env() -> Result<Arc<Self>, NativeError> {
        guard(|| {
            Ok(Arc::new(NativeClient {
                inner: Client::from_env()?,
            }))
        })
    }

    /// A client from explicit options; unset ones fall back to the environment. The token is
    /// its own argument so that no generated `toString` of the options can show it.
    #[uniffi::constructor]
    pub fn with_options(
        options: ClientOptions,
        token: Option<String>,
    ) -> Result<Arc<Self>, NativeError> {
        guard(|| {
            Ok(Arc::new(NativeClient {
                inner: options.builder(token)?.build()?,
            }))
        })
    }

    /// The parameter's value with default options: the hot path, one FFI call on a hit.
    pub fn parameter_value(&self, name: String) -> Result<String, NativeError> {
        guard(|| {
            parameter_text(&*blocking_parameter(
                &self.inner,
                &name,
                &ParameterOptions::default(),
            )?)
        })
    }

    pub fn parameter_value_with(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<String, NativeError> {
        guard(|| parameter_text(&*blocking_parameter(&self.inner, &name, &options)?))
    }

    /// The bytes of a binary secret read through `/aws/reference/secretsmanager/…`, or the
    /// text's UTF-8 bytes.
    pub fn parameter_binary(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<Vec<u8>, NativeError> {
        guard(|| {
            Ok(value_bytes(
                &blocking_parameter(&self.inner, &name, &options)?.value,
            ))
        })
    }

    /// Starts background reads of these names and returns at once (core's `prefetch`).
    pub fn prefetch(
        &self,
        parameters: Vec<String>,
        secrets: Vec<String>,
    ) -> Result<(), NativeError> {
        guard(|| {
            let params: Vec<ParameterRequest<'_>> = parameters
                .iter()
                .map(|n| ParameterRequest::new(n))
                .collect();
            let secs: Vec<SecretRequest<'_>> =
                secrets.iter().map(|n| SecretRequest::new(n)).collect();
            Ok(self.inner.prefetch(&params, &secs)?)
        })
    }

    pub fn parameter(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<NativeParameter, NativeError> {
        guard(|| {
            Ok(NativeParameter::from(&*blocking_parameter(
                &self.inner,
                &name,
                &options,
            )?))
        })
    }

    pub fn parameter_json(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<JsonValue, NativeError> {
        guard(|| parameter_json(&*blocking_parameter(&self.inner, &name, &options)?))
    }

    /// The secret's string value with default options: one FFI call on a hit.
    pub fn secret_string(&self, secret_id: String) -> Result<String, NativeError> {
        guard(|| {
            let s = blocking_secret(&self.inner, &secret_id, &SecretOptions::default())?;
            secret_text(&s, &secret_id)
        })
    }

    pub fn secret_string_with(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<String, NativeError> {
        guard(|| {
            secret_text(
                &*blocking_secret(&self.inner, &secret_id, &options)?,
                &secret_id,
            )
        })
    }

    /// The binary value, or a string secret's UTF-8 bytes.
    pub fn secret_binary(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<Vec<u8>, NativeError> {
        guard(|| {
            Ok(value_bytes(
                &blocking_secret(&self.inner, &secret_id, &options)?.value,
            ))
        })
    }

    pub fn secret(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<NativeSecret, NativeError> {
        guard(|| {
            Ok(NativeSecret::from(&*blocking_secret(
                &self.inner,
                &secret_id,
                &options,
            )?))
        })
    }

    pub fn secret_json(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<JsonValue, NativeError> {
        guard(|| {
            secret_json(
                &*blocking_secret(&self.inner, &secret_id, &options)?,
                &secret_id,
            )
        })
    }

    /// Many parameters, one outcome per name, in order (core fans out, 8 at a time).
    pub fn parameters(
        &self,
        names: Vec<String>,
        options: ParameterOptions,
    ) -> Result<Vec<ParameterOutcome>, NativeError> {
        guard(|| {
            let reqs = parameter_requests(&names, &options)?;
            let results = block_on(self.inner.get_parameters(&reqs, options.read()))?;
            Ok(parameter_outcomes(&names, results))
        })
    }

    pub fn secrets(
        &self,
        secret_ids: Vec<String>,
        options: SecretOptions,
    ) -> Result<Vec<SecretOutcome>, NativeError> {
        guard(|| {
            let reqs: Vec<_> = secret_ids.iter().map(|id| options.request(id)).collect();
            let results = block_on(self.inner.get_secrets(&reqs, options.read()))?;
            Ok(secret_outcomes(&secret_ids, results))
        })
    }

    /// The cached parameter when a fresh one is there, else `None`; never a request. Lets the
    /// async facade complete a hit without a runtime hop.
    pub fn peek_parameter(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<Option<NativeParameter>, NativeError> {
        guard(|| {
            let req = options.request(&name)?;
            Ok(self
                .inner
                .cached_parameter(&req, options.read())
                .map(|p| NativeParameter::from(&*p)))
        })
    }

    pub fn peek_secret(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<Option<NativeSecret>, NativeError> {
        guard(|| {
            let req = options.request(&secret_id);
            Ok(self
                .inner
                .cached_secret(&req, options.read())
                .map(|s| NativeSecret::from(&*s)))
        })
    }

    pub async fn parameter_async(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<NativeParameter, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            let p = async_parameter(client, name, options).await?;
            Ok(NativeParameter::from(&*p))
        })
        .await
    }

    pub async fn parameter_json_async(
        &self,
        name: String,
        options: ParameterOptions,
    ) -> Result<JsonValue, NativeError> {
        let client = self.inner.clone();
        spawn(async move { parameter_json(&*async_parameter(client, name, options).await?) }).await
    }

    pub async fn secret_async(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<NativeSecret, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            let s = async_secret(client, secret_id, options).await?;
            Ok(NativeSecret::from(&*s))
        })
        .await
    }

    pub async fn secret_string_async(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<String, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            let s = async_secret(client, secret_id.clone(), options).await?;
            secret_text(&s, &secret_id)
        })
        .await
    }

    pub async fn secret_binary_async(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<Vec<u8>, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            Ok(value_bytes(
                &async_secret(client, secret_id, options).await?.value,
            ))
        })
        .await
    }

    pub async fn secret_json_async(
        &self,
        secret_id: String,
        options: SecretOptions,
    ) -> Result<JsonValue, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            let s = async_secret(client, secret_id.clone(), options).await?;
            secret_json(&s, &secret_id)
        })
        .await
    }

    pub async fn parameters_async(
        &self,
        names: Vec<String>,
        options: ParameterOptions,
    ) -> Result<Vec<ParameterOutcome>, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            let reqs = parameter_requests(&names, &options)?;
            let results = client.get_parameters(&reqs, options.read()).await;
            Ok(parameter_outcomes(&names, results))
        })
        .await
    }

    pub async fn secrets_async(
        &self,
        secret_ids: Vec<String>,
        options: SecretOptions,
    ) -> Result<Vec<SecretOutcome>, NativeError> {
        let client = self.inner.clone();
        spawn(async move {
            let reqs: Vec<_> = secret_ids.iter().map(|id| options.request(id)).collect();
            let results = client.get_secrets(&reqs, options.read()).await;
            Ok(secret_outcomes(&secret_ids, results))
        })
        .await
    }

    /// Drops every cached entry of this parameter; returns how many were dropped.
    pub fn invalidate_parameter(&self, name: String) -> u64 {
        guard_infallible(|| self.inner.invalidate_parameter(&name) as u64, 0)
    }

    pub fn invalidate_secret(&self, secret_id: String) -> u64 {
        guard_infallible(|| self.inner.invalidate_secret(&secret_id) as u64, 0)
    }

    pub fn clear_cache(&self) {
        guard_infallible(|| self.inner.clear_cache(), ())
    }

    pub fn stats(&self) -> NativeStats {
        guard_infallible(
            || self.inner.stats().into(),
            NativeStats::from(paramsecrets::Stats::default()),
        )
    }
}
