//! Failures of an entry point, and how each reaches Java.
//!
//! Core's [`paramsecrets::Error`] becomes the facade's `ParamSecretsException` subclass for its
//! code (built by `NativeBridge.error`, the one place that maps codes to classes). A JNI failure
//! usually leaves a Java exception pending (e.g. `OutOfMemoryError`), which is left to
//! propagate; otherwise it is reported as `internal`. A core error reported while a Java
//! exception is pending carries that exception as its cause (cleared before any further JNI
//! call: only `ExceptionCheck`/`ExceptionOccurred`/`ExceptionClear` run with one pending).

use jni::JNIEnv;
use jni::objects::{JObject, JThrowable};
use jni::sys::jvalue;
use paramsecrets::ErrorCode;

use crate::jvm::{jvm, obj, opt_string, string};

#[derive(Debug)]
pub(crate) enum Fail {
    /// An error core (or this crate, on bad input) reports with a code.
    Core(paramsecrets::Error),
    /// A JNI call failed; a Java exception may be pending.
    Jni(jni::errors::Error),
}

impl Fail {
    pub(crate) fn invalid(message: impl Into<String>) -> Fail {
        Fail::Core(paramsecrets::Error::new(
            ErrorCode::InvalidArgument,
            message,
        ))
    }

    pub(crate) fn internal(message: impl Into<String>) -> Fail {
        Fail::Core(paramsecrets::Error::new(ErrorCode::Internal, message))
    }

    pub(crate) fn panicked() -> Fail {
        Fail::internal("paramsecrets panicked (a bug; please report it)")
    }
}

impl From<paramsecrets::Error> for Fail {
    fn from(e: paramsecrets::Error) -> Self {
        Fail::Core(e)
    }
}

impl From<jni::errors::Error> for Fail {
    fn from(e: jni::errors::Error) -> Self {
        Fail::Jni(e)
    }
}

/// The facade exception for a core error (not thrown: batch results carry them as values).
///
/// No JNI call is made with a Java exception pending: one pending on entry (a JNI call before
/// this failed, and the caller reports a core error instead) is taken and cleared first, and
/// becomes the new exception's cause.
pub(crate) fn exception<'l>(
    env: &mut JNIEnv<'l>,
    e: &paramsecrets::Error,
) -> Result<JObject<'l>, Fail> {
    let pending = take_pending(env)?;
    let jvm = jvm()?;
    let code = string(env, e.code().as_str())?;
    let detail = string(env, e.message())?;
    let aws_type = opt_string(env, e.aws_type())?;
    let cause = std::error::Error::source(e).map(|s| s.to_string());
    let cause = opt_string(env, cause.as_deref())?;
    let args = [
        obj(&code),
        obj(&detail),
        jvalue {
            i: e.status().map_or(-1, i32::from),
        },
        obj(&aws_type),
        jvalue {
            i: i32::try_from(e.attempts()).unwrap_or(i32::MAX),
        },
        obj(&cause),
        obj(&pending),
    ];
    // SAFETY: the arguments match
    // NativeBridge.error(String, String, int, String, int, String, Throwable).
    unsafe { jvm.call(env, jvm.error, &args) }
}

/// The Java exception pending on this thread, cleared (so JNI calls can follow), or `null`.
pub(crate) fn take_pending<'l>(env: &mut JNIEnv<'l>) -> Result<JObject<'l>, Fail> {
    // ExceptionCheck, ExceptionOccurred and ExceptionClear are the calls JNI allows while an
    // exception is pending.
    if !env.exception_check()? {
        return Ok(JObject::null());
    }
    let pending: JThrowable<'l> = env.exception_occurred()?;
    env.exception_clear()?;
    Ok(pending.into())
}

/// Turns a failure into a thrown (pending) Java exception.
pub(crate) fn throw(env: &mut JNIEnv<'_>, fail: Fail) {
    let e = match fail {
        Fail::Core(e) => e,
        Fail::Jni(e) => {
            if env.exception_check().unwrap_or(true) {
                return; // the JVM's own exception (e.g. OutOfMemoryError) propagates
            }
            paramsecrets::Error::new(ErrorCode::Internal, format!("JNI call failed: {e}"))
        }
    };
    // `exception` takes a pending exception (if any) as the cause of the one built here.
    match exception(env, &e) {
        Ok(ex) => {
            let _ = env.throw(JThrowable::from(ex));
        }
        Err(_) => {
            // Building it failed: with a new exception pending (e.g. OutOfMemoryError), that one
            // propagates; otherwise a plain one says what happened.
            if !env.exception_check().unwrap_or(true) {
                let _ = env.throw_new("java/lang/IllegalStateException", e.to_string());
            }
        }
    }
}
