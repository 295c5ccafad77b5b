//! `Client` (blocking) and `AsyncClient` (asyncio) over core's client.
//!
//! A cache hit is answered on the calling thread from `cached_parameter`/`cached_secret`,
//! with the GIL held (one lock, one lookup: releasing the GIL would cost more). A miss
//! releases the GIL (`py.detach`) for the whole wait, or, in `AsyncClient`, runs on core's
//! runtime and completes an asyncio future. `Client`'s reads without options are answered
//! from its memo (`memo.rs`) once core has answered them from its cache.

use std::sync::Arc;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use paramsecrets::blocking::Client as CoreBlocking;
use paramsecrets::{
    Client as CoreClient, ClientBuilder, Parameter as CoreParameter, ParameterRequest, ReadOptions,
    Secret as CoreSecret, SecretRequest, Selector, ServerKind, Transform,
};

use crate::error::{self, to_pyerr};
use crate::memo::{Kind, Memo};
use crate::runtime::{Awaitable, Finish, ensure_logging, guard, spawn};
use crate::types::{self, Parameter, Secret, Stats, parameter_value, secret_value};

// ---------------------------------------------------------------------------------------------
// Arguments

/// Seconds (int or float) as a `Duration`; negative, NaN and infinite are invalid arguments.
fn seconds(py: Python<'_>, what: &str, s: f64) -> PyResult<Duration> {
    if !s.is_finite() || s < 0.0 {
        return Err(error::invalid(
            py,
            format!("{what} must be a finite number of seconds >= 0, got {s}"),
        ));
    }
    Duration::try_from_secs_f64(s)
        .map_err(|_| error::invalid(py, format!("{what} is out of range: {s}")))
}

fn read_options(py: Python<'_>, max_age: Option<f64>, force_fetch: bool) -> PyResult<ReadOptions> {
    let mut opts = ReadOptions::default().force_fetch(force_fetch);
    if let Some(m) = max_age {
        opts = opts.max_age(seconds(py, "max_age", m)?);
    }
    Ok(opts)
}

fn parameter_request<'a>(
    py: Python<'_>,
    name: &'a str,
    decrypt: bool,
    version: Option<i64>,
    label: Option<&'a str>,
) -> PyResult<ParameterRequest<'a>> {
    // A negative version cannot be a u64; 0, and version with label, are core's to refuse.
    let version = version
        .map(|v| {
            u64::try_from(v).map_err(|_| {
                error::invalid(
                    py,
                    format!("a parameter version is a whole number >= 1, got {v}"),
                )
            })
        })
        .transpose()?;
    let selector = Selector::from_options(version, label).map_err(|e| error::to_pyerr(py, &e))?;
    let req = ParameterRequest {
        name,
        decrypt,
        selector,
    };
    Ok(req)
}

fn secret_request<'a>(
    secret_id: &'a str,
    version_id: Option<&'a str>,
    version_stage: Option<&'a str>,
) -> PyResult<SecretRequest<'a>> {
    let mut req = SecretRequest::new(secret_id);
    if let Some(v) = version_id {
        req = req.version_id(v);
    }
    if let Some(s) = version_stage {
        req = req.version_stage(s);
    }
    Ok(req)
}

/// A parameter request that owns its strings, for work that outlives the call.
struct OwnedParameterRequest {
    name: String,
    decrypt: bool,
    version: Option<u64>,
    label: Option<String>,
}

impl OwnedParameterRequest {
    fn new(req: &ParameterRequest<'_>) -> Self {
        let (version, label) = match req.selector {
            paramsecrets::Selector::Version(v) => (Some(v), None),
            paramsecrets::Selector::Label(l) => (None, Some(l.to_owned())),
            _ => (None, None),
        };
        OwnedParameterRequest {
            name: req.name.to_owned(),
            decrypt: req.decrypt,
            version,
            label,
        }
    }

    fn get(&self) -> ParameterRequest<'_> {
        ParameterRequest {
            name: &self.name,
            decrypt: self.decrypt,
            selector: Selector::from_options(self.version, self.label.as_deref())
                .unwrap_or(Selector::Latest),
        }
    }
}

/// A secret request that owns its strings.
struct OwnedSecretRequest {
    secret_id: String,
    version_id: Option<String>,
    version_stage: Option<String>,
}

impl OwnedSecretRequest {
    fn new(req: &SecretRequest<'_>) -> Self {
        OwnedSecretRequest {
            secret_id: req.secret_id.to_owned(),
            version_id: req.version_id.map(str::to_owned),
            version_stage: req.version_stage.map(str::to_owned),
        }
    }

    fn get(&self) -> SecretRequest<'_> {
        SecretRequest {
            secret_id: &self.secret_id,
            version_id: self.version_id.as_deref(),
            version_stage: self.version_stage.as_deref(),
        }
    }
}

/// The time options of `Client(...)` / `AsyncClient(...)`, in seconds.
struct Timing {
    timeout: Option<f64>,
    deadline: Option<f64>,
    ready_timeout: Option<f64>,
    stale_if_error: Option<f64>,
}

/// The keyword-only options of `Client(...)` / `AsyncClient(...)`, mirroring core's builder.
#[allow(clippy::too_many_arguments)]
fn build(
    py: Python<'_>,
    port: Option<i64>,
    endpoint: Option<String>,
    token: Option<String>,
    ttl: Option<f64>,
    parameter_ttl: Option<f64>,
    secret_ttl: Option<f64>,
    cache_size: Option<i64>,
    timing: Timing,
    server: Option<&str>,
    allow_non_loopback: bool,
) -> PyResult<CoreClient> {
    let Timing {
        timeout,
        deadline,
        ready_timeout,
        stale_if_error,
    } = timing;
    let mut b = ClientBuilder::new().allow_non_loopback(allow_non_loopback);
    if let Some(p) = port {
        match u16::try_from(p) {
            Ok(p) if p > 0 => b = b.port(p),
            _ => return Err(error::invalid(py, format!("port must be 1-65535, got {p}"))),
        }
    }
    if let Some(e) = endpoint {
        b = b.endpoint(e);
    }
    if let Some(t) = token {
        b = b.token(t);
    }
    if let Some(s) = ttl {
        b = b.ttl(seconds(py, "ttl", s)?);
    }
    if let Some(s) = parameter_ttl {
        b = b.parameter_ttl(seconds(py, "parameter_ttl", s)?);
    }
    if let Some(s) = secret_ttl {
        b = b.secret_ttl(seconds(py, "secret_ttl", s)?);
    }
    if let Some(n) = cache_size {
        match usize::try_from(n) {
            Ok(n) => b = b.cache_size(n),
            Err(_) => {
                return Err(error::invalid(
                    py,
                    format!("cache_size must be >= 0, got {n}"),
                ));
            }
        }
    }
    if let Some(s) = timeout {
        b = b.timeout(seconds(py, "timeout", s)?);
    }
    if let Some(s) = deadline {
        b = b.deadline(seconds(py, "deadline", s)?);
    }
    if let Some(s) = ready_timeout {
        b = b.ready_timeout(seconds(py, "ready_timeout", s)?);
    }
    if let Some(kind) = server {
        b = b.server(ServerKind::parse(kind).map_err(|e| to_pyerr(py, &e))?);
    }
    if let Some(s) = stale_if_error {
        b = b.stale_if_error(seconds(py, "stale_if_error", s)?);
    }
    b.build().map_err(|e| to_pyerr(py, &e))
}

fn describe(py: Python<'_>, kind: &str, c: &CoreClient) -> PyResult<String> {
    let cfg = c.config();
    Ok(format!(
        "{kind}(endpoint={}, parameter_ttl={:?}, secret_ttl={:?}, cache_size={}, timeout={:?}, deadline={:?}, ready_timeout={:?}, stale_if_error={:?}, server={:?})",
        types::py_repr(py, Some(cfg.base_url()))?,
        cfg.parameter_ttl.as_secs_f64(),
        cfg.secret_ttl.as_secs_f64(),
        cfg.cache_size,
        cfg.timeout.as_secs_f64(),
        cfg.deadline.as_secs_f64(),
        cfg.ready_timeout.as_secs_f64(),
        cfg.stale_if_error.as_secs_f64(),
        c.server().as_str(),
    ))
}

/// Starts background reads of these names (core's `prefetch`), returning at once.
fn prefetch(
    py: Python<'_>,
    client: &CoreClient,
    parameters: Vec<String>,
    secrets: Vec<String>,
) -> PyResult<()> {
    ensure_logging(py);
    let params: Vec<ParameterRequest<'_>> = parameters
        .iter()
        .map(|n| ParameterRequest::new(n))
        .collect();
    let secs: Vec<SecretRequest<'_>> = secrets.iter().map(|n| SecretRequest::new(n)).collect();
    client
        .prefetch(&params, &secs)
        .map_err(|e| to_pyerr(py, &e))
}

/// Builds the `{name: value | exception}` dict of a batch.
fn batch_dict<'py, T>(
    py: Python<'py>,
    names: &[String],
    results: Vec<paramsecrets::Result<Arc<T>>>,
    value: impl Fn(Python<'py>, &T, &str) -> PyResult<Py<PyAny>>,
    raise_on_error: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (name, r) in names.iter().zip(results) {
        let item = r
            .map_err(|e| to_pyerr(py, &e))
            .and_then(|v| value(py, &v, name));
        match item {
            Ok(v) => out.set_item(name, v)?,
            Err(e) if raise_on_error => return Err(e),
            Err(e) => out.set_item(name, e.into_value(py))?,
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Client

/// A blocking client. Thread-safe; share one per process.
#[pyclass(frozen, module = "paramsecrets", name = "Client")]
pub struct Client {
    inner: CoreBlocking,
    memo: Memo,
}

impl Client {
    #[inline]
    fn parameter(
        &self,
        py: Python<'_>,
        req: &ParameterRequest<'_>,
        opts: ReadOptions,
    ) -> PyResult<Arc<CoreParameter>> {
        if let Some(p) = self.inner.as_async().cached_parameter(req, opts) {
            return Ok(p);
        }
        self.fetch_parameter(py, req, opts)
    }

    /// A miss: the GIL released while core reads (core's read checks its cache again).
    fn fetch_parameter(
        &self,
        py: Python<'_>,
        req: &ParameterRequest<'_>,
        opts: ReadOptions,
    ) -> PyResult<Arc<CoreParameter>> {
        ensure_logging(py);
        py.detach(|| self.inner.get_parameter(req, opts))
            .map_err(|e| to_pyerr(py, &e))
    }

    #[inline]
    fn secret(
        &self,
        py: Python<'_>,
        req: &SecretRequest<'_>,
        opts: ReadOptions,
    ) -> PyResult<Arc<CoreSecret>> {
        if let Some(s) = self.inner.as_async().cached_secret(req, opts) {
            return Ok(s);
        }
        self.fetch_secret(py, req, opts)
    }

    /// A miss (see [`Client::fetch_parameter`]).
    fn fetch_secret(
        &self,
        py: Python<'_>,
        req: &SecretRequest<'_>,
        opts: ReadOptions,
    ) -> PyResult<Arc<CoreSecret>> {
        ensure_logging(py);
        py.detach(|| self.inner.get_secret(req, opts))
            .map_err(|e| to_pyerr(py, &e))
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (*, port=None, endpoint=None, token=None, ttl=None, parameter_ttl=None,
        secret_ttl=None, cache_size=None, timeout=None, deadline=None, ready_timeout=None,
        stale_if_error=None, server=None, allow_non_loopback=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: Option<i64>,
        endpoint: Option<String>,
        token: Option<String>,
        ttl: Option<f64>,
        parameter_ttl: Option<f64>,
        secret_ttl: Option<f64>,
        cache_size: Option<i64>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        ready_timeout: Option<f64>,
        stale_if_error: Option<f64>,
        server: Option<&str>,
        allow_non_loopback: bool,
    ) -> PyResult<Self> {
        guard(py, || {
            let c = build(
                py,
                port,
                endpoint,
                token,
                ttl,
                parameter_ttl,
                secret_ttl,
                cache_size,
                Timing {
                    timeout,
                    deadline,
                    ready_timeout,
                    stale_if_error,
                },
                server,
                allow_non_loopback,
            )?;
            let memo = Memo::new(py, c.memo_shared().clone());
            Ok(Client {
                inner: CoreBlocking::new(c),
                memo,
            })
        })
    }

    #[pyo3(signature = (name, *, decrypt=true, version=None, label=None, max_age=None,
        force_fetch=false, transform=None))]
    #[allow(clippy::too_many_arguments)]
    fn get_parameter(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
        decrypt: bool,
        version: Option<i64>,
        label: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let plain = decrypt
                && version.is_none()
                && label.is_none()
                && max_age.is_none()
                && !force_fetch
                && transform.is_none();
            if plain {
                if let Some(v) = self.memo.read(py, Kind::Parameter, name) {
                    return Ok(v);
                }
            }
            let key = name;
            let name = key.to_str()?;
            let req = parameter_request(py, name, decrypt, version, label)?;
            let opts = read_options(py, max_age, force_fetch)?;
            let t = types::parse_transform(py, transform)?;
            if plain {
                let t0 = Instant::now();
                if let Some((p, ticket)) = self.inner.as_async().cached_parameter_memo(&req, opts) {
                    let v = parameter_value(py, &p, name, None)?;
                    self.memo.remember(py, Kind::Parameter, key, &v, ticket, t0);
                    return Ok(v);
                }
                // Core's lookup just missed: go straight to the read, not a second lookup.
                let p = self.fetch_parameter(py, &req, opts)?;
                return parameter_value(py, &p, name, t);
            }
            let p = self.parameter(py, &req, opts)?;
            parameter_value(py, &p, name, t)
        })
    }

    #[pyo3(signature = (name, *, decrypt=true, version=None, label=None, max_age=None,
        force_fetch=false))]
    #[allow(clippy::too_many_arguments)]
    fn get_parameter_record(
        &self,
        py: Python<'_>,
        name: &str,
        decrypt: bool,
        version: Option<i64>,
        label: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
    ) -> PyResult<Parameter> {
        guard(py, || {
            let req = parameter_request(py, name, decrypt, version, label)?;
            let opts = read_options(py, max_age, force_fetch)?;
            Ok(Parameter {
                inner: self.parameter(py, &req, opts)?,
            })
        })
    }

    #[pyo3(signature = (secret_id, *, version_id=None, version_stage=None, max_age=None,
        force_fetch=false, transform=None))]
    #[allow(clippy::too_many_arguments)]
    fn get_secret(
        &self,
        py: Python<'_>,
        secret_id: &Bound<'_, PyString>,
        version_id: Option<&str>,
        version_stage: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let plain = version_id.is_none()
                && version_stage.is_none()
                && max_age.is_none()
                && !force_fetch
                && transform.is_none();
            if plain {
                if let Some(v) = self.memo.read(py, Kind::Secret, secret_id) {
                    return Ok(v);
                }
            }
            let key = secret_id;
            let secret_id = key.to_str()?;
            let req = secret_request(secret_id, version_id, version_stage)?;
            let opts = read_options(py, max_age, force_fetch)?;
            let t = types::parse_transform(py, transform)?;
            if plain {
                let t0 = Instant::now();
                if let Some((s, ticket)) = self.inner.as_async().cached_secret_memo(&req, opts) {
                    let v = secret_value(py, &s, secret_id, None)?;
                    self.memo.remember(py, Kind::Secret, key, &v, ticket, t0);
                    return Ok(v);
                }
                let s = self.fetch_secret(py, &req, opts)?;
                return secret_value(py, &s, secret_id, t);
            }
            let s = self.secret(py, &req, opts)?;
            secret_value(py, &s, secret_id, t)
        })
    }

    #[pyo3(signature = (secret_id, *, version_id=None, version_stage=None, max_age=None,
        force_fetch=false))]
    fn get_secret_record(
        &self,
        py: Python<'_>,
        secret_id: &str,
        version_id: Option<&str>,
        version_stage: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
    ) -> PyResult<Secret> {
        guard(py, || {
            let req = secret_request(secret_id, version_id, version_stage)?;
            let opts = read_options(py, max_age, force_fetch)?;
            Ok(Secret {
                inner: self.secret(py, &req, opts)?,
            })
        })
    }

    #[pyo3(signature = (names, *, decrypt=true, max_age=None, force_fetch=false, transform=None,
        raise_on_error=false))]
    #[allow(clippy::too_many_arguments)]
    fn get_parameters<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
        decrypt: bool,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
        raise_on_error: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        guard(py, || {
            let opts = read_options(py, max_age, force_fetch)?;
            let t = types::parse_transform(py, transform)?;
            let reqs: Vec<_> = names
                .iter()
                .map(|n| ParameterRequest::new(n).decrypt(decrypt))
                .collect();
            ensure_logging(py);
            let results = py
                .detach(|| self.inner.get_parameters(&reqs, opts))
                .map_err(|e| to_pyerr(py, &e))?;
            batch_dict(
                py,
                &names,
                results,
                |py, p, n| parameter_value(py, p, n, t),
                raise_on_error,
            )
        })
    }

    #[pyo3(signature = (secret_ids, *, max_age=None, force_fetch=false, transform=None,
        raise_on_error=false))]
    fn get_secrets<'py>(
        &self,
        py: Python<'py>,
        secret_ids: Vec<String>,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
        raise_on_error: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        guard(py, || {
            let opts = read_options(py, max_age, force_fetch)?;
            let t = types::parse_transform(py, transform)?;
            let reqs: Vec<_> = secret_ids.iter().map(|s| SecretRequest::new(s)).collect();
            ensure_logging(py);
            let results = py
                .detach(|| self.inner.get_secrets(&reqs, opts))
                .map_err(|e| to_pyerr(py, &e))?;
            batch_dict(
                py,
                &secret_ids,
                results,
                |py, s, n| secret_value(py, s, n, t),
                raise_on_error,
            )
        })
    }

    /// Drops every cached entry of this parameter; returns how many there were.
    fn invalidate_parameter(&self, py: Python<'_>, name: &str) -> usize {
        let n = self.inner.invalidate_parameter(name);
        self.memo.forget(py);
        n
    }

    /// Drops every cached entry of this secret; returns how many there were.
    fn invalidate_secret(&self, py: Python<'_>, secret_id: &str) -> usize {
        let n = self.inner.invalidate_secret(secret_id);
        self.memo.forget(py);
        n
    }

    fn clear_cache(&self, py: Python<'_>) {
        self.inner.clear_cache();
        self.memo.forget(py);
    }

    /// Starts reading these in the background and returns at once (for module scope, the
    /// function's INIT phase): the first read of each joins its request or hits the cache.
    #[pyo3(signature = (parameters=Vec::new(), secrets=Vec::new()))]
    fn prefetch(
        &self,
        py: Python<'_>,
        parameters: Vec<String>,
        secrets: Vec<String>,
    ) -> PyResult<()> {
        guard(py, || {
            prefetch(py, self.inner.as_async(), parameters, secrets)
        })
    }

    fn stats(&self) -> Stats {
        Stats::from(self.inner.stats()).with_memo_hits(self.memo.hits())
    }

    #[getter]
    fn endpoint(&self) -> &str {
        self.inner.as_async().config().base_url()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        describe(py, "Client", self.inner.as_async())
    }
}

// ---------------------------------------------------------------------------------------------
// The default client and the module-level functions

/// The client behind `paramsecrets.get_parameter(...)` and friends: a strong reference to a
/// `Client`, or null. Native, so that a module-level read costs what the same read on a
/// `Client` costs (issue 15): the Python wrapper it replaces added a frame, a `**options` dict
/// and a method lookup per call (303 ns against 179 ns), and a lock here would add two atomic
/// read-modify-writes. Every access holds the GIL (this abi3 module cannot load into a
/// free-threaded interpreter), which is what makes the plain pointer safe: no thread can swap
/// and release the client between another thread's load and its incref.
static DEFAULT: AtomicPtr<pyo3::ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());

/// The default client, if one was set or built.
fn current_default<'py>(py: Python<'py>) -> Option<Bound<'py, Client>> {
    let p = DEFAULT.load(Ordering::Acquire);
    if p.is_null() {
        return None;
    }
    // SAFETY: a non-null slot holds a strong reference to a `Client` (only `swap_default` and
    // `default_client` store into it, both from a `Py<Client>`), and it is released only by a
    // swap, which needs the GIL this thread holds (`py`): the object is alive until the incref
    // `from_borrowed_ptr` makes.
    Some(unsafe { Bound::from_borrowed_ptr(py, p).cast_into_unchecked() })
}

/// Stores `client` as the default; returns the one it replaces.
fn swap_default(py: Python<'_>, client: Option<Py<Client>>) -> Option<Py<Client>> {
    let new = client.map_or(std::ptr::null_mut(), Py::into_ptr);
    let old = DEFAULT.swap(new, Ordering::AcqRel);
    // SAFETY: what the slot held was a strong reference to a `Client`; it is now ours.
    (!old.is_null()).then(|| unsafe {
        Bound::from_owned_ptr(py, old)
            .cast_into_unchecked()
            .unbind()
    })
}

/// The client behind the module-level functions: built from the environment on first use
/// (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, `AWS_SESSION_TOKEN`, ...), then reused. Safe to
/// keep using after `os.fork()`.
#[pyfunction]
pub fn default_client(py: Python<'_>) -> PyResult<Bound<'_, Client>> {
    if let Some(c) = current_default(py) {
        return Ok(c);
    }
    let built = Bound::new(
        py,
        Client::new(
            py, None, None, None, None, None, None, None, None, None, None, None, None, false,
        )?,
    )?;
    // Two threads racing here (building may let another thread run) build two clients; the
    // first one stored wins, the other is dropped, both callers get the winner.
    let ours = built.clone().into_ptr();
    match DEFAULT.compare_exchange(
        std::ptr::null_mut(),
        ours,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        Ok(_) => Ok(built),
        Err(_) => {
            // SAFETY: `ours` is the strong reference `into_ptr` gave up; nobody else has it.
            drop(unsafe { Bound::from_owned_ptr(py, ours) });
            default_client(py)
        }
    }
}

/// Replaces the client behind the module-level functions (`None`: build again from the
/// environment on next use).
#[pyfunction]
#[pyo3(signature = (client))]
pub fn set_default_client(py: Python<'_>, client: Option<Py<Client>>) {
    drop(swap_default(py, client));
}

/// Empties the default client's cache (when it was built: this never builds one).
#[pyfunction]
pub fn clear_cache(py: Python<'_>) {
    if let Some(c) = current_default(py) {
        c.get().clear_cache(py);
    }
}

/// A parameter's value through the default client; the keyword-only options of
/// `Client.get_parameter`.
#[pyfunction]
#[pyo3(signature = (name, *, decrypt=true, version=None, label=None, max_age=None,
    force_fetch=false, transform=None))]
#[allow(clippy::too_many_arguments)]
pub fn get_parameter(
    py: Python<'_>,
    name: &Bound<'_, PyString>,
    decrypt: bool,
    version: Option<i64>,
    label: Option<&str>,
    max_age: Option<f64>,
    force_fetch: bool,
    transform: Option<&str>,
) -> PyResult<Py<PyAny>> {
    default_client(py)?.get().get_parameter(
        py,
        name,
        decrypt,
        version,
        label,
        max_age,
        force_fetch,
        transform,
    )
}

/// A secret's value through the default client; the keyword-only options of
/// `Client.get_secret`.
#[pyfunction]
#[pyo3(signature = (secret_id, *, version_id=None, version_stage=None, max_age=None,
    force_fetch=false, transform=None))]
pub fn get_secret(
    py: Python<'_>,
    secret_id: &Bound<'_, PyString>,
    version_id: Option<&str>,
    version_stage: Option<&str>,
    max_age: Option<f64>,
    force_fetch: bool,
    transform: Option<&str>,
) -> PyResult<Py<PyAny>> {
    default_client(py)?.get().get_secret(
        py,
        secret_id,
        version_id,
        version_stage,
        max_age,
        force_fetch,
        transform,
    )
}

// ---------------------------------------------------------------------------------------------
// AsyncClient

/// An asyncio client. Its read methods return awaitables: a cache hit is ready at once; a miss
/// runs on paramsecrets' own runtime and resumes the awaiting task when it is done.
#[pyclass(frozen, module = "paramsecrets", name = "AsyncClient")]
pub struct AsyncClient {
    inner: CoreClient,
}

impl AsyncClient {
    fn parameter(
        &self,
        py: Python<'_>,
        req: PyResult<(ParameterRequest<'_>, ReadOptions)>,
        finish: impl FnOnce(Python<'_>, Arc<CoreParameter>, &str) -> PyResult<Py<PyAny>>
        + Send
        + 'static,
    ) -> PyResult<Awaitable> {
        let (req, opts) = match req {
            Ok(r) => r,
            Err(e) => return Ok(Awaitable::ready(Err(e))),
        };
        if let Some(p) = self.inner.cached_parameter(&req, opts) {
            return Ok(Awaitable::ready(finish(py, p, req.name)));
        }
        let owned = Arc::new(OwnedParameterRequest::new(&req));
        let client = self.inner.clone();
        let work_req = owned.clone();
        let done: Finish<paramsecrets::Result<Arc<CoreParameter>>> =
            Box::new(move |py, r| match r {
                Ok(p) => finish(py, p, &owned.name),
                Err(e) => Err(to_pyerr(py, &e)),
            });
        spawn(
            py,
            async move { client.get_parameter(&work_req.get(), opts).await },
            done,
        )
    }

    fn secret(
        &self,
        py: Python<'_>,
        req: PyResult<(SecretRequest<'_>, ReadOptions)>,
        finish: impl FnOnce(Python<'_>, Arc<CoreSecret>, &str) -> PyResult<Py<PyAny>> + Send + 'static,
    ) -> PyResult<Awaitable> {
        let (req, opts) = match req {
            Ok(r) => r,
            Err(e) => return Ok(Awaitable::ready(Err(e))),
        };
        if let Some(s) = self.inner.cached_secret(&req, opts) {
            return Ok(Awaitable::ready(finish(py, s, req.secret_id)));
        }
        let owned = Arc::new(OwnedSecretRequest::new(&req));
        let client = self.inner.clone();
        let work_req = owned.clone();
        let done: Finish<paramsecrets::Result<Arc<CoreSecret>>> = Box::new(move |py, r| match r {
            Ok(s) => finish(py, s, &owned.secret_id),
            Err(e) => Err(to_pyerr(py, &e)),
        });
        spawn(
            py,
            async move { client.get_secret(&work_req.get(), opts).await },
            done,
        )
    }
}

async fn batch_parameters(
    client: CoreClient,
    names: Arc<Vec<String>>,
    decrypt: bool,
    opts: ReadOptions,
) -> Vec<paramsecrets::Result<Arc<CoreParameter>>> {
    let reqs: Vec<ParameterRequest<'_>> = names
        .iter()
        .map(|n| ParameterRequest::new(n).decrypt(decrypt))
        .collect();
    client.get_parameters(&reqs, opts).await
}

async fn batch_secrets(
    client: CoreClient,
    ids: Arc<Vec<String>>,
    opts: ReadOptions,
) -> Vec<paramsecrets::Result<Arc<CoreSecret>>> {
    let reqs: Vec<SecretRequest<'_>> = ids.iter().map(|id| SecretRequest::new(id)).collect();
    client.get_secrets(&reqs, opts).await
}

fn transform_or_ready(
    py: Python<'_>,
    transform: Option<&str>,
) -> Result<Option<Transform>, Awaitable> {
    types::parse_transform(py, transform).map_err(|e| Awaitable::ready(Err(e)))
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (*, port=None, endpoint=None, token=None, ttl=None, parameter_ttl=None,
        secret_ttl=None, cache_size=None, timeout=None, deadline=None, ready_timeout=None,
        stale_if_error=None, server=None, allow_non_loopback=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: Option<i64>,
        endpoint: Option<String>,
        token: Option<String>,
        ttl: Option<f64>,
        parameter_ttl: Option<f64>,
        secret_ttl: Option<f64>,
        cache_size: Option<i64>,
        timeout: Option<f64>,
        deadline: Option<f64>,
        ready_timeout: Option<f64>,
        stale_if_error: Option<f64>,
        server: Option<&str>,
        allow_non_loopback: bool,
    ) -> PyResult<Self> {
        guard(py, || {
            let inner = build(
                py,
                port,
                endpoint,
                token,
                ttl,
                parameter_ttl,
                secret_ttl,
                cache_size,
                Timing {
                    timeout,
                    deadline,
                    ready_timeout,
                    stale_if_error,
                },
                server,
                allow_non_loopback,
            )?;
            Ok(AsyncClient { inner })
        })
    }

    #[pyo3(signature = (name, *, decrypt=true, version=None, label=None, max_age=None,
        force_fetch=false, transform=None))]
    #[allow(clippy::too_many_arguments)]
    fn get_parameter(
        &self,
        py: Python<'_>,
        name: &str,
        decrypt: bool,
        version: Option<i64>,
        label: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
    ) -> PyResult<Awaitable> {
        guard(py, || {
            let t = match transform_or_ready(py, transform) {
                Ok(t) => t,
                Err(ready) => return Ok(ready),
            };
            let req = parameter_request(py, name, decrypt, version, label)
                .and_then(|r| Ok((r, read_options(py, max_age, force_fetch)?)));
            self.parameter(py, req, move |py, p, n| parameter_value(py, &p, n, t))
        })
    }

    #[pyo3(signature = (name, *, decrypt=true, version=None, label=None, max_age=None,
        force_fetch=false))]
    #[allow(clippy::too_many_arguments)]
    fn get_parameter_record(
        &self,
        py: Python<'_>,
        name: &str,
        decrypt: bool,
        version: Option<i64>,
        label: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
    ) -> PyResult<Awaitable> {
        guard(py, || {
            let req = parameter_request(py, name, decrypt, version, label)
                .and_then(|r| Ok((r, read_options(py, max_age, force_fetch)?)));
            self.parameter(py, req, |py, p, _| {
                Ok(Py::new(py, Parameter { inner: p })?.into_any())
            })
        })
    }

    #[pyo3(signature = (secret_id, *, version_id=None, version_stage=None, max_age=None,
        force_fetch=false, transform=None))]
    #[allow(clippy::too_many_arguments)]
    fn get_secret(
        &self,
        py: Python<'_>,
        secret_id: &str,
        version_id: Option<&str>,
        version_stage: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
    ) -> PyResult<Awaitable> {
        guard(py, || {
            let t = match transform_or_ready(py, transform) {
                Ok(t) => t,
                Err(ready) => return Ok(ready),
            };
            let req = secret_request(secret_id, version_id, version_stage)
                .and_then(|r| Ok((r, read_options(py, max_age, force_fetch)?)));
            self.secret(py, req, move |py, s, n| secret_value(py, &s, n, t))
        })
    }

    #[pyo3(signature = (secret_id, *, version_id=None, version_stage=None, max_age=None,
        force_fetch=false))]
    fn get_secret_record(
        &self,
        py: Python<'_>,
        secret_id: &str,
        version_id: Option<&str>,
        version_stage: Option<&str>,
        max_age: Option<f64>,
        force_fetch: bool,
    ) -> PyResult<Awaitable> {
        guard(py, || {
            let req = secret_request(secret_id, version_id, version_stage)
                .and_then(|r| Ok((r, read_options(py, max_age, force_fetch)?)));
            self.secret(py, req, |py, s, _| {
                Ok(Py::new(py, Secret { inner: s })?.into_any())
            })
        })
    }

    #[pyo3(signature = (names, *, decrypt=true, max_age=None, force_fetch=false, transform=None,
        raise_on_error=false))]
    #[allow(clippy::too_many_arguments)]
    fn get_parameters(
        &self,
        py: Python<'_>,
        names: Vec<String>,
        decrypt: bool,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
        raise_on_error: bool,
    ) -> PyResult<Awaitable> {
        guard(py, || {
            let opts = match read_options(py, max_age, force_fetch) {
                Ok(o) => o,
                Err(e) => return Ok(Awaitable::ready(Err(e))),
            };
            let t = match transform_or_ready(py, transform) {
                Ok(t) => t,
                Err(ready) => return Ok(ready),
            };
            let client = self.inner.clone();
            let names = Arc::new(names);
            let work_names = names.clone();
            spawn(
                py,
                batch_parameters(client, work_names, decrypt, opts),
                Box::new(move |py, results| {
                    Ok(batch_dict(
                        py,
                        &names,
                        results,
                        |py, p, n| parameter_value(py, p, n, t),
                        raise_on_error,
                    )?
                    .into_any()
                    .unbind())
                }),
            )
        })
    }

    #[pyo3(signature = (secret_ids, *, max_age=None, force_fetch=false, transform=None,
        raise_on_error=false))]
    fn get_secrets(
        &self,
        py: Python<'_>,
        secret_ids: Vec<String>,
        max_age: Option<f64>,
        force_fetch: bool,
        transform: Option<&str>,
        raise_on_error: bool,
    ) -> PyResult<Awaitable> {
        guard(py, || {
            let opts = match read_options(py, max_age, force_fetch) {
                Ok(o) => o,
                Err(e) => return Ok(Awaitable::ready(Err(e))),
            };
            let t = match transform_or_ready(py, transform) {
                Ok(t) => t,
                Err(ready) => return Ok(ready),
            };
            let client = self.inner.clone();
            let ids = Arc::new(secret_ids);
            let work_ids = ids.clone();
            spawn(
                py,
                batch_secrets(client, work_ids, opts),
                Box::new(move |py, results| {
                    Ok(batch_dict(
                        py,
                        &ids,
                        results,
                        |py, s, n| secret_value(py, s, n, t),
                        raise_on_error,
                    )?
                    .into_any()
                    .unbind())
                }),
            )
        })
    }

    /// Drops every cached entry of this parameter; returns how many there were.
    fn invalidate_parameter(&self, name: &str) -> usize {
        self.inner.invalidate_parameter(name)
    }

    /// Drops every cached entry of this secret; returns how many there were.
    fn invalidate_secret(&self, secret_id: &str) -> usize {
        self.inner.invalidate_secret(secret_id)
    }

    fn clear_cache(&self) {
        self.inner.clear_cache()
    }

    /// Starts reading these in the background and returns at once (not a coroutine: it is
    /// meant for module scope); the first read of each joins its request or hits the cache.
    #[pyo3(signature = (parameters=Vec::new(), secrets=Vec::new()))]
    fn prefetch(
        &self,
        py: Python<'_>,
        parameters: Vec<String>,
        secrets: Vec<String>,
    ) -> PyResult<()> {
        guard(py, || prefetch(py, &self.inner, parameters, secrets))
    }

    fn stats(&self) -> Stats {
        self.inner.stats().into()
    }

    #[getter]
    fn endpoint(&self) -> &str {
        self.inner.config().base_url()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        describe(py, "AsyncClient", &self.inner)
    }
}
