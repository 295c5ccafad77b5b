//! Core errors → JavaScript `Error` objects.
//!
//! The object carries `code` (the DESIGN §5 string), `status` (the HTTP status, when there was
//! one), `awsType`, `attempts`, and `cause` (the chain of underlying errors, as plain `Error`s).
//! The JS layer swaps it for the subclass of its code; it adds nothing else.
//! Messages come from core: they name the parameter or secret, never a value or the token.

use std::panic::{AssertUnwindSafe, catch_unwind};

use napi::bindgen_prelude::*;
use napi::sys;
use paramsecrets::{Error as CoreError, ErrorCode};

/// Builds the JS error for a core error and wraps it so that throwing or rejecting with it
/// hands JavaScript this very object.
pub fn to_napi(env: &Env, err: &CoreError) -> Error {
    match build(env, err) {
        Ok(obj) => Error::from(obj.to_unknown()),
        // Only when the engine itself cannot make objects (shutting down): keep the code.
        Err(_) => Error::new(
            Status::GenericFailure,
            format!("[{}] {}", err.code(), err.message()),
        ),
    }
}

fn build<'e>(env: &'e Env, err: &CoreError) -> Result<Object<'e>> {
    let mut obj = new_error(env, Some(err.code().as_str()), err.message())?;
    match err.status() {
        Some(s) => obj.set_named_property("status", u32::from(s))?,
        None => obj.set_named_property("status", Null)?,
    }
    match err.aws_type() {
        Some(t) => obj.set_named_property("awsType", t)?,
        None => obj.set_named_property("awsType", Null)?,
    }
    obj.set_named_property("attempts", err.attempts())?;
    if let Some(cause) = cause_chain(env, std::error::Error::source(err), 0)? {
        obj.set_named_property("cause", cause)?;
    }
    Ok(obj)
}

/// `source()` chain → nested `Error`s with `cause`, at most eight deep.
fn cause_chain<'e>(
    env: &'e Env,
    source: Option<&(dyn std::error::Error + 'static)>,
    depth: usize,
) -> Result<Option<Object<'e>>> {
    let Some(source) = source else {
        return Ok(None);
    };
    if depth >= 8 {
        return Ok(None);
    }
    let mut obj = new_error(env, None, &source.to_string())?;
    if let Some(next) = cause_chain(env, source.source(), depth + 1)? {
        obj.set_named_property("cause", next)?;
    }
    Ok(Some(obj))
}

/// `new Error(message)` with an optional `code` property.
fn new_error<'e>(env: &'e Env, code: Option<&str>, message: &str) -> Result<Object<'e>> {
    let msg = env.create_string(message)?;
    let code = match code {
        Some(c) => env.create_string(c)?.raw(),
        None => std::ptr::null_mut(),
    };
    let mut out = std::ptr::null_mut();
    // SAFETY: `env` is the live environment of this call; both handles belong to it.
    check_status!(unsafe { sys::napi_create_error(env.raw(), code, msg.raw(), &mut out) })?;
    Ok(Object::from_raw(env.raw(), out))
}

/// A core error made here (a bad option, say), for the paths that have no core call to fail.
pub fn invalid(message: impl Into<String>) -> CoreError {
    CoreError::new(ErrorCode::InvalidArgument, message)
}

/// The `internal` error that stands in for a caught panic.
pub fn panicked() -> CoreError {
    CoreError::new(
        ErrorCode::Internal,
        "paramsecrets panicked inside its native module (a bug: please report it)",
    )
}

/// Runs `f`, turning a panic into an `internal` error instead of letting it unwind into Node.
pub fn guard<T>(env: &Env, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(to_napi(env, &panicked())),
    }
}
