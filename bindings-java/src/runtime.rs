//! Panic guards for the entry points, and async reads: run on core's shared runtime, complete
//! a Java `CompletableFuture` from there.
//!
//! No panic crosses the boundary: a sync entry point throws `InternalException`, an async one
//! completes its future with it. The facade re-dispatches completions onto
//! `ForkJoinPool.commonPool()`, so no user code ever runs on the runtime's worker.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jni::JNIEnv;
use jni::objects::{GlobalRef, JObject, JThrowable};
use jni::signature::{Primitive, ReturnType};

use crate::error::{Fail, exception, throw};
use crate::jvm::{jvm, obj};

/// Runs one entry point: its result, or `fallback` with a Java exception pending.
pub(crate) fn entry<'l, T>(
    env: &mut JNIEnv<'l>,
    fallback: T,
    f: impl FnOnce(&mut JNIEnv<'l>) -> Result<T, Fail>,
) -> T {
    let outcome = catch_unwind(AssertUnwindSafe(|| f(env)));
    match outcome {
        Ok(Ok(v)) => v,
        Ok(Err(fail)) => {
            throw(env, fail);
            fallback
        }
        Err(_) => {
            throw(env, Fail::panicked());
            fallback
        }
    }
}

/// Runs `work` on core's shared runtime; when it ends, `to_java` turns its output into the
/// value `future` completes with (on the runtime's thread, attached to the JVM once).
pub(crate) fn spawn<T, W>(
    env: &mut JNIEnv<'_>,
    future: &JObject<'_>,
    work: W,
    to_java: for<'a> fn(&mut JNIEnv<'a>, T) -> Result<JObject<'a>, Fail>,
) -> Result<(), Fail>
where
    W: Future<Output = paramsecrets::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let future = env.new_global_ref(future)?;
    let rt = paramsecrets::runtime::shared()?;
    // The work runs in a task of its own so that a panic in it surfaces as a JoinError here
    // instead of a future that never completes.
    let task = rt.spawn(work);
    rt.spawn(async move {
        let result = task.await;
        let _ = catch_unwind(AssertUnwindSafe(|| {
            complete(&future, |env| match result {
                Ok(Ok(v)) => to_java(env, v),
                Ok(Err(e)) => Err(Fail::Core(e)),
                Err(_) => Err(Fail::panicked()),
            })
        }));
    });
    Ok(())
}

/// Completes `future` with what `make` returns, or exceptionally with its failure.
fn complete(
    future: &GlobalRef,
    make: impl for<'a> FnOnce(&mut JNIEnv<'a>) -> Result<JObject<'a>, Fail>,
) -> Result<(), Fail> {
    let jvm = jvm()?;
    let mut env = jvm.vm.attach_current_thread_as_daemon()?;
    // A daemon-attached thread never returns to Java: free every local reference made here.
    env.with_local_frame(16, |env| -> Result<(), Fail> {
        let (value, error) = match make(env) {
            Ok(v) => (v, JObject::null()),
            Err(fail) => (JObject::null(), failure(env, fail)?),
        };
        let args = [obj(future.as_obj()), obj(&value), obj(&error)];
        let bridge = jvm.bridge();
        // SAFETY: the arguments match NativeBridge.complete(CompletableFuture, Object, Throwable).
        let done = unsafe {
            env.call_static_method_unchecked(
                &bridge,
                jvm.complete,
                ReturnType::Primitive(Primitive::Void),
                &args,
            )
        };
        if done.is_err() && env.exception_check().unwrap_or(false) {
            let _ = env.exception_clear();
        }
        Ok(())
    })
}

/// The exception an async read fails with: core's error as its facade class, or the JVM's own
/// exception when building the value threw one (e.g. `OutOfMemoryError`).
fn failure<'a>(env: &mut JNIEnv<'a>, fail: Fail) -> Result<JObject<'a>, Fail> {
    match fail {
        Fail::Core(e) => exception(env, &e),
        Fail::Jni(e) => {
            if env.exception_check()? {
                let pending: JThrowable<'a> = env.exception_occurred()?;
                env.exception_clear()?;
                Ok(pending.into())
            } else {
                exception(
                    env,
                    &paramsecrets::Error::new(
                        paramsecrets::ErrorCode::Internal,
                        format!("JNI call failed: {e}"),
                    ),
                )
            }
        }
    }
}
