//! Panic guards and the hop onto core's shared runtime.
//!
//! Sync exports run on the calling Java thread ([`guard`]); async exports run on
//! `paramsecrets::runtime::shared()` ([`spawn`]), the same fork-aware runtime the blocking
//! calls use, so one runtime owns every connection. No panic crosses the FFI: both turn one
//! into an `internal` error.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use paramsecrets::ErrorCode;

use crate::error::NativeError;

fn panic_error() -> NativeError {
    NativeError::new(
        ErrorCode::Internal,
        "paramsecrets panicked (a bug; please report it)",
    )
}

/// Runs a sync export, turning a panic into an `internal` error.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, NativeError>) -> Result<T, NativeError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(panic_error()))
}

/// Runs a sync export that cannot fail except by panicking.
pub(crate) fn guard_infallible<T>(f: impl FnOnce() -> T, fallback: T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Runs `f` on core's shared runtime and awaits it from wherever the foreign executor polls
/// (a `JoinHandle` needs no runtime context). A panic inside becomes an `internal` error.
pub(crate) async fn spawn<T, F>(f: F) -> Result<T, NativeError>
where
    F: Future<Output = Result<T, NativeError>> + Send + 'static,
    T: Send + 'static,
{
    let rt = guard(|| paramsecrets::runtime::shared().map_err(NativeError::from))?;
    match rt.spawn(f).await {
        Ok(result) => result,
        Err(_) => Err(panic_error()),
    }
}
