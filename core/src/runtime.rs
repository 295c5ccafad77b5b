//! The process-wide tokio runtime behind the blocking facade (and any binding that needs a
//! runtime of its own), rebuilt after `fork()`.
//!
//! A forked child inherits the runtime's memory but none of its threads: using it would hang.
//! So the runtime is tagged with the pid that built it; a different pid builds a new one and
//! leaks the old (dropping it would wait for threads that do not exist in the child).

use std::future::Future;
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::runtime::Runtime;

use crate::error::{Error, Result};

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// How every paramsecrets runtime is built: one worker thread, named `paramsecrets`, with the
/// I/O and time drivers. A binding whose framework owns the runtime (napi-rs) builds that one
/// from this too, so a process runs one paramsecrets thread, not one per core.
pub fn builder() -> tokio::runtime::Builder {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.worker_threads(1).thread_name("paramsecrets").enable_all();
    b
}

/// Where a request started now runs: on the runtime of the caller when it runs inside one (a
/// binding's own, where its connections live too), else on the shared one.
pub(crate) fn current_or_shared() -> Result<tokio::runtime::Handle> {
    match tokio::runtime::Handle::try_current() {
        Ok(h) => Ok(h),
        Err(_) => Ok(shared()?.handle().clone()),
    }
}

/// The runtime of this process, built on first use.
pub fn shared() -> Result<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock();
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(rt.clone());
        }
    }
    let rt =
        Arc::new(builder().build().map_err(|e| {
            Error::internal("cannot start the paramsecrets runtime").with_source(e)
        })?);
    if let Some(old) = slot.replace((pid, rt.clone())) {
        std::mem::forget(old);
    }
    Ok(rt)
}

/// Runs `f` to completion on the shared runtime from a thread that is not inside one.
pub fn block_on<F: Future>(f: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::invalid(
            "a blocking paramsecrets call was made from inside an async runtime; use the async client there",
        ));
    }
    Ok(shared()?.block_on(f))
}
