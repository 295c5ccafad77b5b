//! Core's values as Python objects: plain `str`/`bytes` for values, `Parameter`/`Secret`
//! records (values redacted in `repr`), `Stats`, and the transforms (core's
//! [`paramsecrets::transform`]) applied on the way out.

use std::sync::Arc;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString};
use serde_json::Value;

use paramsecrets::transform::{self, Output, Transform};
use paramsecrets::{Parameter as CoreParameter, Secret as CoreSecret, Value as CoreValue};

use crate::error;

/// The value of a parameter as `get_parameter` returns it: `str`, or what the transform makes.
#[inline]
pub(crate) fn parameter_value(
    py: Python<'_>,
    p: &CoreParameter,
    name: &str,
    t: Option<Transform>,
) -> PyResult<Py<PyAny>> {
    output(py, transform::apply_to_parameter(p, name, t))
}

/// The value of a secret: `str` for SecretString, `bytes` for SecretBinary, or what the
/// transform makes (core decides: [`transform::apply_to_secret`]).
#[inline]
pub(crate) fn secret_value(
    py: Python<'_>,
    s: &CoreSecret,
    secret_id: &str,
    t: Option<Transform>,
) -> PyResult<Py<PyAny>> {
    output(py, transform::apply_to_secret(s, secret_id, t))
}

/// Core's transform output as a Python object: `str`, `bytes`, or the parsed JSON.
#[inline]
fn output(py: Python<'_>, out: paramsecrets::Result<Output<'_>>) -> PyResult<Py<PyAny>> {
    match out.map_err(|e| error::to_pyerr(py, &e))? {
        Output::Text(s) => Ok(PyString::new(py, s).into_any().unbind()),
        Output::Bytes(b) => Ok(PyBytes::new(py, &b).into_any().unbind()),
        Output::Json(v) => Ok(json_to_py(py, &v)?.unbind()),
    }
}

/// A JSON value as the objects `json.loads` would give (object keys in document order).
pub(crate) fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Parses the `transform=` argument with core's spelling.
pub(crate) fn parse_transform(py: Python<'_>, t: Option<&str>) -> PyResult<Option<Transform>> {
    match t {
        None => Ok(None),
        Some(s) => Transform::parse(s)
            .map(Some)
            .map_err(|e| error::to_pyerr(py, &e)),
    }
}

/// Python's `repr` of an optional string (`'x'` or `None`), for `__repr__`s.
pub(crate) fn py_repr(py: Python<'_>, s: Option<&str>) -> PyResult<String> {
    match s {
        Some(s) => Ok(PyString::new(py, s).repr()?.to_string()),
        None => Ok("None".to_owned()),
    }
}

fn utc_datetime(py: Python<'_>, epoch_millis: i64) -> PyResult<Py<PyAny>> {
    static FROM_TIMESTAMP: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let (from_ts, utc) = FROM_TIMESTAMP.get_or_try_init(py, || {
        let dt = py.import("datetime")?;
        Ok::<_, PyErr>((
            dt.getattr("datetime")?.getattr("fromtimestamp")?.unbind(),
            dt.getattr("timezone")?.getattr("utc")?.unbind(),
        ))
    })?;
    Ok(from_ts
        .bind(py)
        .call1((epoch_millis as f64 / 1000.0, utc.bind(py)))?
        .unbind())
}

/// A value as Python sees it: `str`, or `bytes` when binary.
fn value_object(py: Python<'_>, value: &CoreValue) -> Py<PyAny> {
    match value {
        CoreValue::String(s) => PyString::new(py, s.expose()).into_any().unbind(),
        CoreValue::Binary(b) => PyBytes::new(py, b.expose()).into_any().unbind(),
    }
}

/// A parameter with its metadata. `repr` never shows the value.
#[pyclass(frozen, module = "paramsecrets", name = "Parameter")]
pub struct Parameter {
    pub(crate) inner: Arc<CoreParameter>,
}

#[pymethods]
impl Parameter {
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// `str`; `bytes` for a binary secret read through `/aws/reference/secretsmanager/`.
    #[getter]
    fn value(&self, py: Python<'_>) -> Py<PyAny> {
        value_object(py, &self.inner.value)
    }

    /// `"String"`, `"StringList"` or `"SecureString"`.
    #[getter]
    fn r#type(&self) -> &str {
        self.inner.parameter_type.as_str()
    }

    #[getter]
    fn version(&self) -> i64 {
        self.inner.version
    }

    #[getter]
    fn arn(&self) -> Option<&str> {
        self.inner.arn.as_deref()
    }

    /// An aware `datetime` in UTC, or `None`.
    #[getter]
    fn last_modified(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .last_modified
            .map(|t| utc_datetime(py, t.epoch_millis))
            .transpose()
    }

    /// Milliseconds since the Unix epoch, or `None`.
    #[getter]
    fn last_modified_ms(&self) -> Option<i64> {
        self.inner.last_modified.map(|t| t.epoch_millis)
    }

    #[getter]
    fn data_type(&self) -> Option<&str> {
        self.inner.data_type.as_deref()
    }

    /// `":<version>"` or `":<label>"` when the read used a selector, else `None`.
    #[getter]
    fn selector(&self) -> Option<&str> {
        self.inner.selector.as_deref()
    }

    /// For `/aws/reference/secretsmanager/…` names: the secret as JSON text, else `None`.
    #[getter]
    fn source_result(&self) -> Option<&str> {
        self.inner
            .source_result
            .as_ref()
            .map(|v| v.expose().as_str())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Parameter(name={}, type={}, version={}, value=<redacted>)",
            py_repr(py, Some(&self.inner.name))?,
            py_repr(py, Some(self.inner.parameter_type.as_str()))?,
            self.inner.version
        ))
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        self.__repr__(py)
    }
}

/// A secret with its metadata. `repr` never shows the value.
#[pyclass(frozen, module = "paramsecrets", name = "Secret")]
pub struct Secret {
    pub(crate) inner: Arc<CoreSecret>,
}

#[pymethods]
impl Secret {
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    #[getter]
    fn arn(&self) -> Option<&str> {
        self.inner.arn.as_deref()
    }

    #[getter]
    fn version_id(&self) -> Option<&str> {
        self.inner.version_id.as_deref()
    }

    #[getter]
    fn version_stages(&self) -> Vec<String> {
        self.inner.version_stages.clone()
    }

    /// An aware `datetime` in UTC, or `None`.
    #[getter]
    fn created_date(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .created_date
            .map(|t| utc_datetime(py, t.epoch_millis))
            .transpose()
    }

    /// Milliseconds since the Unix epoch, or `None`.
    #[getter]
    fn created_ms(&self) -> Option<i64> {
        self.inner.created_date.map(|t| t.epoch_millis)
    }

    /// `str` for a SecretString, `bytes` for a SecretBinary.
    #[getter]
    fn value(&self, py: Python<'_>) -> Py<PyAny> {
        value_object(py, &self.inner.value)
    }

    #[getter]
    fn secret_string(&self) -> Option<&str> {
        self.inner.secret_string()
    }

    #[getter]
    fn secret_binary<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.secret_binary().map(|b| PyBytes::new(py, b))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let kind = if self.inner.value.is_binary() {
            "binary"
        } else {
            "string"
        };
        let stages = PyList::new(py, &self.inner.version_stages)?.repr()?;
        Ok(format!(
            "Secret(name={}, version_id={}, version_stages={stages}, {kind}=<redacted>)",
            py_repr(py, self.inner.name.as_deref())?,
            py_repr(py, self.inner.version_id.as_deref())?,
        ))
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        self.__repr__(py)
    }
}

/// The client's counters (see `Client.stats()`).
#[pyclass(frozen, module = "paramsecrets", name = "Stats", eq)]
#[derive(PartialEq, Eq)]
pub struct Stats {
    /// Reads served from the in-process cache.
    #[pyo3(get)]
    hits: u64,
    /// Reads that needed the extension (including coalesced ones).
    #[pyo3(get)]
    misses: u64,
    /// Reads served an expired value because the refresh failed transiently.
    #[pyo3(get)]
    stale_served: u64,
    /// Misses that joined a request already in flight.
    #[pyo3(get)]
    coalesced: u64,
    /// HTTP requests sent to the extension (every attempt).
    #[pyo3(get)]
    requests: u64,
    /// Of those, retries.
    #[pyo3(get)]
    retries: u64,
    /// Reads that ended in an error.
    #[pyo3(get)]
    errors: u64,
    /// Entries dropped because the cache was full.
    #[pyo3(get)]
    evictions: u64,
}

impl Stats {
    /// Core's counters plus the hits a host memo answered without asking core.
    pub(crate) fn with_memo_hits(mut self, memo_hits: u64) -> Stats {
        self.hits += memo_hits;
        self
    }
}

impl From<paramsecrets::Stats> for Stats {
    fn from(s: paramsecrets::Stats) -> Stats {
        Stats {
            hits: s.hits,
            misses: s.misses,
            stale_served: s.stale_served,
            coalesced: s.coalesced,
            requests: s.requests,
            retries: s.retries,
            errors: s.errors,
            evictions: s.evictions,
        }
    }
}

#[pymethods]
impl Stats {
    /// The counters as a `dict`.
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item(intern!(py, "hits"), self.hits)?;
        d.set_item(intern!(py, "misses"), self.misses)?;
        d.set_item(intern!(py, "stale_served"), self.stale_served)?;
        d.set_item(intern!(py, "coalesced"), self.coalesced)?;
        d.set_item(intern!(py, "requests"), self.requests)?;
        d.set_item(intern!(py, "retries"), self.retries)?;
        d.set_item(intern!(py, "errors"), self.errors)?;
        d.set_item(intern!(py, "evictions"), self.evictions)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Stats(hits={}, misses={}, stale_served={}, coalesced={}, requests={}, retries={}, errors={}, evictions={})",
            self.hits,
            self.misses,
            self.stale_served,
            self.coalesced,
            self.requests,
            self.retries,
            self.errors,
            self.evictions
        )
    }
}
