//! Where Rust meets the interpreter's execution model: no panic crosses the boundary, async
//! work runs on core's fork-aware runtime ([`paramsecrets::runtime`]) and completes asyncio
//! futures through `loop.call_soon_threadsafe`, and `log` records go to Python's `logging`.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures_util::FutureExt;
use pyo3::exceptions::PyStopIteration;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;

use crate::error;

/// Runs `f`, turning a panic into an `InternalError` instead of letting it unwind into Python.
#[inline]
pub(crate) fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(error::internal(
            py,
            "paramsecrets panicked (a bug); please report it",
        )),
    }
}

/// Converts a finished operation into the Python result (a value or an exception). Runs with
/// the interpreter attached.
pub(crate) type Finish<T> = Box<dyn FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send>;

/// Starts `work` on core's runtime and returns an awaitable for its result. The asyncio future
/// is created on the running loop now; the tokio task completes it with
/// `loop.call_soon_threadsafe`, so nothing blocks the loop and no thread is started per call.
pub(crate) fn spawn<T, F>(py: Python<'_>, work: F, finish: Finish<T>) -> PyResult<Awaitable>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    ensure_logging(py);
    let event_loop = get_running_loop(py)?.call0()?;
    let future = event_loop.call_method0(intern!(py, "create_future"))?;
    let runtime = paramsecrets::runtime::shared().map_err(|e| error::to_pyerr(py, &e))?;
    let event_loop: Py<PyAny> = event_loop.unbind();
    let fut: Py<PyAny> = future.clone().unbind();
    runtime.spawn(async move {
        let outcome = AssertUnwindSafe(work).catch_unwind().await;
        // `None` when the interpreter is shutting down: nobody is waiting any more.
        let _ = Python::try_attach(move |py| {
            let result = match outcome {
                Ok(value) => catch_unwind(AssertUnwindSafe(|| finish(py, value)))
                    .unwrap_or_else(|_| Err(error::internal(py, "paramsecrets panicked (a bug)"))),
                Err(_) => Err(error::internal(
                    py,
                    "paramsecrets panicked (a bug); please report it",
                )),
            };
            let (ok, payload) = match result {
                Ok(v) => (true, v),
                Err(e) => (false, e.into_value(py).into_any()),
            };
            let resolve = match resolver(py) {
                Ok(r) => r,
                Err(_) => return,
            };
            // Fails only when the loop is already closed: then nobody can be waiting.
            let _ = event_loop.bind(py).call_method1(
                intern!(py, "call_soon_threadsafe"),
                (resolve, fut.bind(py), ok, payload),
            );
        });
    });
    Ok(Awaitable {
        state: State::Pending(future.unbind()),
    })
}

fn get_running_loop(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET_RUNNING_LOOP
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
        })
        .map(|f| f.bind(py))
}

/// `resolve(future, ok, payload)`: sets the result or exception unless the future was
/// cancelled meanwhile. Called on the loop's thread.
fn resolver(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static RESOLVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    RESOLVE
        .get_or_try_init(py, || {
            let f = PyCFunction::new_closure(
                py,
                Some(c"_resolve"),
                None,
                |args: &Bound<'_, pyo3::types::PyTuple>, _kwargs| -> PyResult<()> {
                    let py = args.py();
                    let (fut, ok, payload): (Bound<'_, PyAny>, bool, Bound<'_, PyAny>) =
                        args.extract()?;
                    if fut.call_method0(intern!(py, "done"))?.is_truthy()? {
                        return Ok(());
                    }
                    if ok {
                        fut.call_method1(intern!(py, "set_result"), (payload,))?;
                    } else {
                        fut.call_method1(intern!(py, "set_exception"), (payload,))?;
                    }
                    Ok(())
                },
            )?;
            Ok::<_, PyErr>(f.into_any().unbind())
        })
        .map(|f| f.bind(py))
}

enum State {
    /// Answered already (a cache hit, or a failure found before any I/O).
    Ready(Option<PyResult<Py<PyAny>>>),
    /// Waiting for an asyncio future that the runtime completes.
    Pending(Py<PyAny>),
}

/// What `AsyncClient` methods return: awaitable, and a coroutine as far as asyncio is concerned
/// (`send`/`throw`/`close`), so `await`, `asyncio.gather` and `asyncio.create_task` all accept it.
/// A cache hit is `Ready`: awaiting it never reaches the event loop.
#[pyclass(module = "paramsecrets._native")]
pub struct Awaitable {
    state: State,
}

impl Awaitable {
    pub(crate) fn ready(result: PyResult<Py<PyAny>>) -> Awaitable {
        Awaitable {
            state: State::Ready(Some(result)),
        }
    }

    fn step(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &mut self.state {
            State::Ready(slot) => match slot.take() {
                Some(Ok(v)) => Err(PyStopIteration::new_err((v,))),
                Some(Err(e)) => Err(e),
                None => Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "cannot reuse an already awaited paramsecrets awaitable",
                )),
            },
            State::Pending(fut) => {
                let fut = fut.bind(py).clone();
                if fut.call_method0(intern!(py, "done"))?.is_truthy()? {
                    let v = fut.call_method0(intern!(py, "result"))?.unbind();
                    self.state = State::Ready(None);
                    Err(PyStopIteration::new_err((v,)))
                } else {
                    // What `Future.__await__` does: hand the future to the task, which resumes
                    // us when it is done.
                    fut.setattr(intern!(py, "_asyncio_future_blocking"), true)?;
                    Ok(fut.unbind())
                }
            }
        }
    }
}

#[pymethods]
impl Awaitable {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.step(py)
    }

    fn send(&mut self, py: Python<'_>, _value: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.step(py)
    }

    #[pyo3(signature = (typ, val=None, tb=None))]
    fn throw(
        &mut self,
        py: Python<'_>,
        typ: Bound<'_, PyAny>,
        val: Option<Bound<'_, PyAny>>,
        tb: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let _ = tb;
        if let State::Pending(fut) = &self.state {
            let _ = fut.bind(py).call_method0(intern!(py, "cancel"));
        }
        self.state = State::Ready(None);
        let exc = match val {
            Some(v) if !v.is_none() => v,
            _ => typ,
        };
        Err(
            if exc.is_instance_of::<pyo3::exceptions::PyBaseException>() {
                PyErr::from_value(exc)
            } else {
                PyErr::from_value(exc.call0()?)
            },
        )
    }

    fn close(&mut self, py: Python<'_>) {
        if let State::Pending(fut) = &self.state {
            let _ = fut.bind(py).call_method0(intern!(py, "cancel"));
        }
        self.state = State::Ready(None);
    }

    fn __repr__(&self) -> &'static str {
        match self.state {
            State::Ready(_) => "<paramsecrets awaitable (ready)>",
            State::Pending(_) => "<paramsecrets awaitable (pending)>",
        }
    }
}

static LOGGING: std::sync::Once = std::sync::Once::new();

/// Sends core's `log` records (debug level only; never a value or the token) to Python's
/// `logging`, under the logger names `paramsecrets.*`. Installed on the first request rather
/// than at import: core logs nothing before one, and importing `logging` would cost several
/// milliseconds of cold start for programs that never make one.
#[inline]
pub(crate) fn ensure_logging(py: Python<'_>) {
    LOGGING.call_once(|| {
        if let Ok(logger) = pyo3_log::Logger::new(py, pyo3_log::Caching::Loggers) {
            // Another extension may own the `log` facade already; then its bridge stands.
            let _ = logger.install();
        }
    });
}
