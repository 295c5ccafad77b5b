//! Panic guards for the entry points, and async reads: run on core's shared runtime, complete
//! a Java `CompletableFuture` from there.
//!
//! No panic crosses the boundary: a sync entry point throws `InternalException`, an async one
//! completes its future with it. The facade re-dispatches completions onto its completion
//! executor (`Completions.java`), so no user code ever runs on the runtime's worker.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jni::JNIEnv;
use jni::objects::{GlobalRef, JObject};
use jni::signature::{Primitive, ReturnType};

use crate::error::{Fail, exception, take_pending, throw};
use crate::jvm::{Jvm, jvm, obj};

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
    spawn_task(env, future, work, to_java).map(drop)
}

/// [`spawn`], handing back what aborts the task that completes the future (the tests call it).
///
/// Every failure after this returns `Ok` completes the future exceptionally, so none can hang:
/// - `work` panics: it runs in a task of its own, so the panic is a `JoinError` here, completed
///   as `internal`;
/// - `to_java` (or anything building the outcome) fails or panics: [`deliver`] falls back to
///   the facade exception for that failure, then to the one made at load time
///   ([`Jvm::undeliverable`](crate::jvm::Jvm));
/// - calling `NativeBridge.complete` throws: it is called again with that fallback;
/// - the completing task never runs or is dropped half-way (the runtime shut down or was
///   replaced after a fork, or the task was aborted): the [`Pending`] guard it owns completes
///   the future when it is dropped;
/// - this thread cannot be attached to the JVM: a new OS thread attaches and completes it.
///
/// Before anything is spawned, the failures that can be reported to the caller are (an `Err`
/// here: the entry point throws it and the future is not used).
pub(crate) fn spawn_task<T, W>(
    env: &mut JNIEnv<'_>,
    future: &JObject<'_>,
    work: W,
    to_java: for<'a> fn(&mut JNIEnv<'a>, T) -> Result<JObject<'a>, Fail>,
) -> Result<impl FnOnce() + use<T, W>, Fail>
where
    W: Future<Output = paramsecrets::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let jvm = jvm()?;
    let rt = paramsecrets::runtime::shared()?;
    let pending = Pending {
        jvm,
        future: Some(env.new_global_ref(future)?),
    };
    let task = rt.spawn(work);
    let completing = rt.spawn(async move {
        let mut pending = pending;
        let result = task.await;
        pending.complete(move |env| match result {
            Ok(Ok(v)) => to_java(env, v),
            Ok(Err(e)) => Err(Fail::Core(e)),
            Err(_) => Err(Fail::panicked()),
        });
    });
    Ok(move || completing.abort())
}

/// A Java future not completed yet. Completed exactly once: by [`Pending::complete`], or when
/// dropped before that (exceptionally, with `internal`).
pub(crate) struct Pending {
    jvm: &'static Jvm,
    future: Option<GlobalRef>,
}

type Make = Box<dyn for<'a> FnOnce(&mut JNIEnv<'a>) -> Result<JObject<'a>, Fail> + Send>;

impl Pending {
    /// Completes the future with what `make` returns, or exceptionally with its failure.
    pub(crate) fn complete(
        &mut self,
        make: impl for<'a> FnOnce(&mut JNIEnv<'a>) -> Result<JObject<'a>, Fail> + Send + 'static,
    ) {
        if let Some(future) = self.future.take() {
            deliver(self.jvm, future, Box::new(make));
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.complete(|_| {
            Err(Fail::internal(
                "paramsecrets dropped this read before it completed (the runtime shut down?)",
            ))
        });
    }
}

/// Completes `future`, whatever fails: see [`spawn_task`]. Never panics, never leaves a Java
/// exception pending (the thread may be a runtime worker with no Java frame to return to).
fn deliver(jvm: &'static Jvm, future: GlobalRef, make: Make) {
    let attached = catch_unwind(AssertUnwindSafe(|| {
        jvm.vm.attach_current_thread_as_daemon()
    }));
    match attached {
        Ok(Ok(mut env)) => {
            let _ = catch_unwind(AssertUnwindSafe(|| {
                deliver_on(jvm, &mut env, &future, make)
            }));
        }
        _ => {
            // This thread cannot be attached: a fresh one may be (if not, the JVM can run no
            // Java code at all and nothing could complete the future).
            let retry = std::thread::Builder::new()
                .name("paramsecrets-complete".into())
                .spawn(move || {
                    let _ = catch_unwind(AssertUnwindSafe(|| {
                        if let Ok(mut env) = jvm.vm.attach_current_thread() {
                            deliver_on(jvm, &mut env, &future, make);
                        }
                    }));
                });
            drop(retry);
        }
    }
}

/// On an attached thread: the outcome, or the exception for its failure, or the fallback.
fn deliver_on(jvm: &'static Jvm, env: &mut JNIEnv<'_>, future: &GlobalRef, make: Make) {
    // A daemon-attached thread never returns to Java: free every local reference made here.
    let framed = env.with_local_frame(16, |env| -> Result<(), Fail> {
        let outcome =
            catch_unwind(AssertUnwindSafe(|| make(env))).unwrap_or_else(|_| Err(Fail::panicked()));
        let (value, error) = match outcome {
            Ok(v) => (v, JObject::null()),
            Err(fail) => (JObject::null(), failure(env, fail)?),
        };
        call_complete(jvm, env, future, &value, &error)
    });
    if framed.is_err() {
        // Whatever failed (making the exception, pushing the frame, the call itself), the
        // fallback exception needs no allocation. A no-op if the future did complete.
        let _ = take_pending(env);
        let _ = call_complete(
            jvm,
            env,
            future,
            &JObject::null(),
            jvm.undeliverable.as_obj(),
        );
        let _ = take_pending(env);
    }
}

/// `NativeBridge.complete(future, value, error)`; an exception it throws is cleared.
fn call_complete(
    jvm: &Jvm,
    env: &mut JNIEnv<'_>,
    future: &GlobalRef,
    value: &JObject<'_>,
    error: &JObject<'_>,
) -> Result<(), Fail> {
    let args = [obj(future.as_obj()), obj(value), obj(error)];
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
    match done {
        Ok(_) => Ok(()),
        Err(e) => {
            take_pending(env)?;
            Err(Fail::Jni(e))
        }
    }
}

/// The exception an async read fails with: core's error as its facade class, or the JVM's own
/// exception when building the value threw one (e.g. `OutOfMemoryError`).
fn failure<'a>(env: &mut JNIEnv<'a>, fail: Fail) -> Result<JObject<'a>, Fail> {
    match fail {
        // A pending exception becomes the cause (`exception` takes it first).
        Fail::Core(e) => exception(env, &e),
        Fail::Jni(e) => {
            let pending = take_pending(env)?;
            if !pending.is_null() {
                Ok(pending)
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
