//! `ClientRef`: core's async `Client` for JavaScript.
//!
//! Every read has two entry points. `cached*` is synchronous: one lookup in the in-process
//! cache (core's `cached_parameter_memo` / `cached_secret_memo`), never entering the tokio
//! runtime; it returns `undefined` on a miss, else `[value, generation, slot, ageMs, ttlMs]`:
//! the value and core's memo ticket, which the JS layer's memo keeps to answer the same read
//! again without calling in (see `memoViews` and `lib/memo.js`). `get*` returns a Promise
//! settled from napi's tokio runtime: core's single-flight fetch with retries. The JS layer
//! calls the first, then the second on a miss. Options arrive as positional arguments (cheaper
//! than reading an object's properties).

#![allow(clippy::too_many_arguments)]

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use paramsecrets::{
    Client, Error as CoreError, MemoShared, MemoTicket, Parameter, ParameterRequest, ReadOptions,
    Secret, SecretRequest, Selector, Transform,
};

use crate::config::{self, ClientOptions};
use crate::error::{guard, invalid, panicked, to_napi};
use crate::transform;
use crate::types::{ParameterRecord, SecretRecord, Stats, to_unknown};

/// The native client handle (wrapped by the public `Client` class).
#[napi]
pub struct ClientRef {
    inner: Client,
}

/// One parameter read, owned so it can move into a future.
struct ParamQuery {
    name: String,
    decrypt: bool,
    version: Option<u64>,
    label: Option<String>,
}

impl ParamQuery {
    fn new(
        name: String,
        decrypt: Option<bool>,
        version: Option<i64>,
        label: Option<String>,
    ) -> std::result::Result<Self, CoreError> {
        let version = version
            .map(|v| u64::try_from(v).map_err(|_| invalid("version must be a positive integer")))
            .transpose()?;
        // Core owns the rule (version and label exclude each other).
        Selector::from_options(version, label.as_deref())?;
        Ok(ParamQuery {
            name,
            decrypt: decrypt.unwrap_or(true),
            version,
            label,
        })
    }

    fn request(&self) -> ParameterRequest<'_> {
        ParameterRequest {
            name: &self.name,
            decrypt: self.decrypt,
            // Checked in `new`; a failure here cannot happen, and would read the latest.
            selector: Selector::from_options(self.version, self.label.as_deref())
                .unwrap_or(Selector::Latest),
        }
    }
}

/// One secret read, owned so it can move into a future.
struct SecretQuery {
    id: String,
    version_id: Option<String>,
    version_stage: Option<String>,
}

impl SecretQuery {
    fn request(&self) -> SecretRequest<'_> {
        let mut r = SecretRequest::new(&self.id);
        if let Some(v) = &self.version_id {
            r = r.version_id(v);
        }
        if let Some(s) = &self.version_stage {
            r = r.version_stage(s);
        }
        r
    }
}

fn read_options(
    max_age: Option<f64>,
    force_fetch: Option<bool>,
) -> std::result::Result<ReadOptions, CoreError> {
    let mut o = ReadOptions::default().force_fetch(force_fetch.unwrap_or(false));
    if let Some(secs) = max_age {
        o = o.max_age(config::seconds("maxAge", secs)?);
    }
    Ok(o)
}

/// A cache hit with core's memo ticket: `[value, generation, slot, ageMs, ttlMs]`. The
/// generation travels as the same `f64` the shared header holds at offset 8, so the JS layer
/// compares like with like.
type Ticketed<T> = (T, f64, u32, f64, f64);

fn ticketed<T>(value: T, t: MemoTicket) -> Ticketed<T> {
    #[allow(clippy::cast_precision_loss)] // exact below 2^53, see `MemoShared`
    let generation = t.generation as f64;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    (value, generation, t.slot, ms(t.age), ms(t.ttl))
}

/// An `ArrayBuffer` over core's memory, kept alive by an `Arc` its finaliser drops; `None`
/// when the runtime copied instead of sharing (it refuses external buffers: a copy would
/// never see the generation move, so no memo).
fn shared_view<'e>(
    env: &'e Env,
    shared: &Arc<MemoShared>,
    ptr: *mut u8,
    len: usize,
) -> Result<Option<ArrayBuffer<'e>>> {
    if len == 0 {
        return Ok(None);
    }
    // SAFETY: `ptr..ptr+len` is inside `shared`, which the hint keeps alive until V8 drops
    // the buffer; core only touches it through atomics, and JS writes single bytes (the touch
    // flags) or only reads (the header).
    let buf = unsafe {
        ArrayBuffer::from_external(env, ptr, len, shared.clone(), |_env, hint| drop(hint))
    }?;
    Ok(std::ptr::eq(buf.as_ptr(), ptr).then_some(buf))
}

/// Runs `fut` on napi's tokio runtime and settles the returned Promise on the JS thread with
/// `settle`; a panic in either becomes an `internal` error.
pub(crate) fn spawn<'e, T, F, S>(
    env: &'e Env,
    fut: F,
    settle: S,
) -> Result<PromiseRaw<'e, Unknown<'e>>>
where
    T: Send + 'static,
    F: std::future::Future<Output = std::result::Result<T, CoreError>> + Send + 'static,
    S: FnOnce(&'e Env, T) -> Result<Unknown<'e>> + 'static,
{
    let fut = async move {
        Ok::<_, Error>(
            AssertUnwindSafe(fut)
                .catch_unwind()
                .await
                .unwrap_or_else(|_| Err(panicked())),
        )
    };
    env.spawn_future_with_callback(fut, move |env, outcome| {
        guard(env, || match outcome {
            Ok(v) => settle(env, v),
            Err(e) => Err(to_napi(env, &e)),
        })
    })
}

/// A core result of the synchronous kind → a napi result, throwing the JS error.
fn check<T>(env: &Env, r: std::result::Result<T, CoreError>) -> Result<T> {
    r.map_err(|e| to_napi(env, &e))
}

/// Builds `[{ name, value } | { name, error }]` for a batch.
fn batch_items<'e, V>(
    env: &'e Env,
    names: Vec<String>,
    results: Vec<std::result::Result<V, CoreError>>,
    mut value: impl FnMut(&'e Env, &V, &str) -> Result<Unknown<'e>>,
) -> Result<Unknown<'e>> {
    let mut out = env.create_array(0)?;
    for (name, r) in names.into_iter().zip(results) {
        let mut item = Object::new(env)?;
        item.set_named_property("name", name.as_str())?;
        match r
            .map_err(|e| to_napi(env, &e))
            .and_then(|v| value(env, &v, &name))
        {
            Ok(v) => item.set_named_property("value", v)?,
            Err(e) => item.set_named_property("error", e)?,
        }
        out.insert(item)?;
    }
    to_unknown(env, out)
}

#[napi]
impl ClientRef {
    /// Builds the client: options first, then the environment, then the defaults.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<ClientOptions>) -> Result<Self> {
        guard(&env, || {
            let built = config::builder(options.unwrap_or_default()).and_then(|b| b.build());
            Ok(ClientRef {
                inner: check(&env, built)?,
            })
        })
    }

    /// The cached parameter value with its memo ticket, or `undefined` when it is not in the
    /// cache (or stale).
    #[napi(ts_return_type = "[unknown, number, number, number, number] | undefined")]
    pub fn cached_parameter<'e>(
        &self,
        env: &'e Env,
        name: String,
        decrypt: Option<bool>,
        version: Option<i64>,
        label: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
        transform: Option<String>,
    ) -> Result<Either<Ticketed<Unknown<'e>>, Undefined>> {
        guard(env, || {
            let t = check(env, transform::parse(transform.as_deref()))?;
            let q = check(env, ParamQuery::new(name, decrypt, version, label))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            match self.inner.cached_parameter_memo(&q.request(), opts) {
                Some((p, ticket)) => transform::parameter_value(env, &p, &q.name, t)
                    .map(|v| Either::A(ticketed(v, ticket))),
                None => Ok(Either::B(())),
            }
        })
    }

    /// The hit path of `getParameter(name)` without options: one argument, no option to read.
    #[napi(ts_return_type = "[string, number, number, number, number] | undefined")]
    pub fn cached_parameter_latest<'e>(
        &self,
        env: &'e Env,
        name: String,
    ) -> Result<Either<Ticketed<Unknown<'e>>, Undefined>> {
        guard(env, || {
            match self
                .inner
                .cached_parameter_memo(&ParameterRequest::new(&name), ReadOptions::default())
            {
                Some((p, ticket)) => transform::parameter_value(env, &p, &name, None)
                    .map(|v| Either::A(ticketed(v, ticket))),
                None => Ok(Either::B(())),
            }
        })
    }

    /// The cached parameter record with its memo ticket, or `undefined`.
    #[napi(ts_return_type = "[ParameterRecord, number, number, number, number] | undefined")]
    pub fn cached_parameter_record(
        &self,
        env: &Env,
        name: String,
        decrypt: Option<bool>,
        version: Option<i64>,
        label: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
    ) -> Result<Either<Ticketed<ParameterRecord>, Undefined>> {
        guard(env, || {
            let q = check(env, ParamQuery::new(name, decrypt, version, label))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            Ok(match self.inner.cached_parameter_memo(&q.request(), opts) {
                Some((p, ticket)) => Either::A(ticketed(ParameterRecord::from(&*p), ticket)),
                None => Either::B(()),
            })
        })
    }

    /// Reads a parameter (cache, then the extension) → Promise of its value.
    #[napi(ts_return_type = "Promise<unknown>")]
    pub fn get_parameter<'e>(
        &self,
        env: &'e Env,
        name: String,
        decrypt: Option<bool>,
        version: Option<i64>,
        label: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
        transform: Option<String>,
    ) -> Result<PromiseRaw<'e, Unknown<'e>>> {
        guard(env, || {
            let t = check(env, transform::parse(transform.as_deref()))?;
            let q = check(env, ParamQuery::new(name, decrypt, version, label))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            let client = self.inner.clone();
            spawn(
                env,
                async move {
                    let p = client.get_parameter(&q.request(), opts).await?;
                    Ok((p, q.name))
                },
                move |env, (p, name): (Arc<Parameter>, String)| {
                    transform::parameter_value(env, &p, &name, t)
                },
            )
        })
    }

    /// Reads a parameter with its metadata → Promise of a `ParameterRecord`.
    #[napi(ts_return_type = "Promise<ParameterRecord>")]
    pub fn get_parameter_record<'e>(
        &self,
        env: &'e Env,
        name: String,
        decrypt: Option<bool>,
        version: Option<i64>,
        label: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
    ) -> Result<PromiseRaw<'e, Unknown<'e>>> {
        guard(env, || {
            let q = check(env, ParamQuery::new(name, decrypt, version, label))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            let client = self.inner.clone();
            spawn(
                env,
                async move { client.get_parameter(&q.request(), opts).await },
                |env, p: Arc<Parameter>| to_unknown(env, ParameterRecord::from(&*p)),
            )
        })
    }

    /// The cached secret value (a string or a `Buffer`, or transformed) with its memo ticket,
    /// or `undefined`.
    #[napi(ts_return_type = "[unknown, number, number, number, number] | undefined")]
    pub fn cached_secret<'e>(
        &self,
        env: &'e Env,
        secret_id: String,
        version_id: Option<String>,
        version_stage: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
        transform: Option<String>,
    ) -> Result<Either<Ticketed<Unknown<'e>>, Undefined>> {
        guard(env, || {
            let t = check(env, transform::parse(transform.as_deref()))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            let q = SecretQuery {
                id: secret_id,
                version_id,
                version_stage,
            };
            match self.inner.cached_secret_memo(&q.request(), opts) {
                Some((s, ticket)) => transform::secret_value(env, &s, &q.id, t)
                    .map(|v| Either::A(ticketed(v, ticket))),
                None => Ok(Either::B(())),
            }
        })
    }

    /// The hit path of `getSecret(id)` without options.
    #[napi(ts_return_type = "[string | Buffer, number, number, number, number] | undefined")]
    pub fn cached_secret_current<'e>(
        &self,
        env: &'e Env,
        secret_id: String,
    ) -> Result<Either<Ticketed<Unknown<'e>>, Undefined>> {
        guard(env, || {
            match self
                .inner
                .cached_secret_memo(&SecretRequest::new(&secret_id), ReadOptions::default())
            {
                Some((s, ticket)) => transform::secret_value(env, &s, &secret_id, None)
                    .map(|v| Either::A(ticketed(v, ticket))),
                None => Ok(Either::B(())),
            }
        })
    }

    /// The cached secret record with its memo ticket, or `undefined`.
    #[napi(ts_return_type = "[SecretRecord, number, number, number, number] | undefined")]
    pub fn cached_secret_record(
        &self,
        env: &Env,
        secret_id: String,
        version_id: Option<String>,
        version_stage: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
    ) -> Result<Either<Ticketed<SecretRecord>, Undefined>> {
        guard(env, || {
            let opts = check(env, read_options(max_age, force_fetch))?;
            let q = SecretQuery {
                id: secret_id,
                version_id,
                version_stage,
            };
            Ok(match self.inner.cached_secret_memo(&q.request(), opts) {
                Some((s, ticket)) => Either::A(ticketed(SecretRecord::from(&*s), ticket)),
                None => Either::B(()),
            })
        })
    }

    /// Reads a secret → Promise of its value.
    #[napi(ts_return_type = "Promise<unknown>")]
    pub fn get_secret<'e>(
        &self,
        env: &'e Env,
        secret_id: String,
        version_id: Option<String>,
        version_stage: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
        transform: Option<String>,
    ) -> Result<PromiseRaw<'e, Unknown<'e>>> {
        guard(env, || {
            let t = check(env, transform::parse(transform.as_deref()))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            let q = SecretQuery {
                id: secret_id,
                version_id,
                version_stage,
            };
            let client = self.inner.clone();
            spawn(
                env,
                async move {
                    let s = client.get_secret(&q.request(), opts).await?;
                    Ok((s, q.id))
                },
                move |env, (s, id): (Arc<Secret>, String)| transform::secret_value(env, &s, &id, t),
            )
        })
    }

    /// Reads a secret with its metadata → Promise of a `SecretRecord`.
    #[napi(ts_return_type = "Promise<SecretRecord>")]
    pub fn get_secret_record<'e>(
        &self,
        env: &'e Env,
        secret_id: String,
        version_id: Option<String>,
        version_stage: Option<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
    ) -> Result<PromiseRaw<'e, Unknown<'e>>> {
        guard(env, || {
            let opts = check(env, read_options(max_age, force_fetch))?;
            let q = SecretQuery {
                id: secret_id,
                version_id,
                version_stage,
            };
            let client = self.inner.clone();
            spawn(
                env,
                async move { client.get_secret(&q.request(), opts).await },
                |env, s: Arc<Secret>| to_unknown(env, SecretRecord::from(&*s)),
            )
        })
    }

    /// Reads many parameters (at most 8 requests in flight) → Promise of
    /// `[{ name, value } | { name, error }]`, in order.
    #[napi(ts_return_type = "Promise<Array<{ name: string, value?: unknown, error?: Error }>>")]
    pub fn get_parameters<'e>(
        &self,
        env: &'e Env,
        names: Vec<String>,
        decrypt: Option<bool>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
        transform: Option<String>,
    ) -> Result<PromiseRaw<'e, Unknown<'e>>> {
        guard(env, || {
            let t: Option<Transform> = check(env, transform::parse(transform.as_deref()))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            let decrypt = decrypt.unwrap_or(true);
            let client = self.inner.clone();
            spawn(
                env,
                async move {
                    let reqs: Vec<ParameterRequest<'_>> = names
                        .iter()
                        .map(|n| ParameterRequest::new(n).decrypt(decrypt))
                        .collect();
                    let results = client.get_parameters(&reqs, opts).await;
                    drop(reqs);
                    Ok((names, results))
                },
                move |env, (names, results)| {
                    batch_items(env, names, results, |env, p: &Arc<Parameter>, name| {
                        transform::parameter_value(env, p, name, t)
                    })
                },
            )
        })
    }

    /// Reads many secrets → Promise of `[{ name, value } | { name, error }]`, in order.
    #[napi(ts_return_type = "Promise<Array<{ name: string, value?: unknown, error?: Error }>>")]
    pub fn get_secrets<'e>(
        &self,
        env: &'e Env,
        secret_ids: Vec<String>,
        max_age: Option<f64>,
        force_fetch: Option<bool>,
        transform: Option<String>,
    ) -> Result<PromiseRaw<'e, Unknown<'e>>> {
        guard(env, || {
            let t: Option<Transform> = check(env, transform::parse(transform.as_deref()))?;
            let opts = check(env, read_options(max_age, force_fetch))?;
            let client = self.inner.clone();
            spawn(
                env,
                async move {
                    let reqs: Vec<SecretRequest<'_>> =
                        secret_ids.iter().map(|id| SecretRequest::new(id)).collect();
                    let results = client.get_secrets(&reqs, opts).await;
                    drop(reqs);
                    Ok((secret_ids, results))
                },
                move |env, (ids, results)| {
                    batch_items(env, ids, results, |env, s: &Arc<Secret>, id| {
                        transform::secret_value(env, s, id, t)
                    })
                },
            )
        })
    }

    /// Drops every cached entry of this parameter; returns how many were dropped.
    #[napi]
    pub fn invalidate_parameter(&self, name: String) -> u32 {
        u32::try_from(self.inner.invalidate_parameter(&name)).unwrap_or(u32::MAX)
    }

    /// Drops every cached entry of this secret; returns how many were dropped.
    #[napi]
    pub fn invalidate_secret(&self, secret_id: String) -> u32 {
        u32::try_from(self.inner.invalidate_secret(&secret_id)).unwrap_or(u32::MAX)
    }

    #[napi]
    pub fn clear_cache(&self) {
        self.inner.clear_cache();
    }

    /// Starts background reads of these names and returns at once (core's `prefetch`).
    #[napi]
    pub fn prefetch(&self, env: Env, parameters: Vec<String>, secrets: Vec<String>) -> Result<()> {
        guard(&env, || {
            let params: Vec<ParameterRequest<'_>> = parameters
                .iter()
                .map(|n| ParameterRequest::new(n))
                .collect();
            let secs: Vec<SecretRequest<'_>> =
                secrets.iter().map(|n| SecretRequest::new(n)).collect();
            // Inside napi-rs's runtime, so the reads run on it (core's `current_or_shared`)
            // and no second runtime starts.
            let started = napi::bindgen_prelude::within_runtime_if_available(|| {
                self.inner.prefetch(&params, &secs)
            });
            check(&env, started)
        })
    }

    /// Core's memory for the JS memo: `[header, touch]`, two `ArrayBuffer`s over it (layout:
    /// core's `MemoShared`), or `null` when there can be no memo (the cache is off, or this
    /// runtime copies external buffers). Call once per client.
    #[napi(ts_return_type = "[ArrayBuffer, ArrayBuffer] | null")]
    pub fn memo_views<'e>(
        &self,
        env: &'e Env,
    ) -> Result<Option<(ArrayBuffer<'e>, ArrayBuffer<'e>)>> {
        guard(env, || {
            let shared = self.inner.memo_shared();
            let header = shared_view(env, shared, shared.header_ptr(), MemoShared::HEADER_LEN)?;
            let touch = shared_view(env, shared, shared.touch_ptr(), shared.slots())?;
            Ok(header.zip(touch))
        })
    }

    /// Core's counters (the JS layer adds the hits its memo served).
    #[napi]
    pub fn stats(&self) -> Stats {
        Stats::from(self.inner.stats())
    }

    /// The base URL the client talks to (no token).
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.config().base_url().to_owned()
    }
}
