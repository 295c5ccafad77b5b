//! Java bindings for paramsecrets: JNI entry points for the facade class
//! `dev.paramsecrets.NativeBridge` (src/main/java), one library for Java 17, 21 and 25.
//!
//! JNI rather than the FFM code uniffi-bindgen-java generates: FFM needs Java 22+ and its first
//! downcall costs ~120–140 ms of cold start; JNI runs on every Lambda Java runtime and loads in
//! a few milliseconds (figures: bench/java/RESULTS.md). Modules mirror the core's: `client`
//! (the entry points), `error` (core errors → facade exceptions), `types` (options, records,
//! JSON crossing the boundary), `memo` (core's memo memory for the facade's
//! host-side memo), `runtime` (panic guards, async completion), `jvm` (what
//! `JNI_OnLoad` caches, conversions).
//!
//! Nothing here decides behaviour: caching, validation, retries and single-flight are core's.

mod client;
mod error;
mod jvm;
mod memo;
mod runtime;
mod types;

use std::ffi::c_void;

use jni::JNIEnv;
use jni::objects::{JClass, JObject, JString};
use jni::sys::{JNI_ERR, JNI_VERSION_1_8, jint, jobject, jobjectArray};

use crate::error::{Fail, exception};
use crate::runtime::entry;

/// Caches the bridge class and its factories while the loading class loader is at hand.
///
/// # Safety
/// Called by the JVM with its own `JavaVM` pointer.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn JNI_OnLoad(vm: *mut jni::sys::JavaVM, _: *mut c_void) -> jint {
    let ok = std::panic::catch_unwind(|| {
        // SAFETY: the JVM passes a valid pointer to itself.
        let vm = unsafe { jni::JavaVM::from_raw(vm) }.ok()?;
        let mut env = vm.get_env().ok()?;
        jvm::init(&mut env).ok()
    });
    match ok {
        Ok(Some(())) => JNI_VERSION_1_8,
        _ => JNI_ERR,
    }
}

/// Every error code core can produce (DESIGN §5), in the DESIGN's order. The Java tests check
/// that the exception hierarchy has one subclass per code.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_errorCodes(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
) -> jobjectArray {
    entry(&mut env, std::ptr::null_mut(), |env| {
        let codes: Vec<String> = paramsecrets::ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        Ok(jvm::jvm()?.strings(env, &codes)?.into_raw())
    })
}

/// The exception core would report with this code (not thrown), for the Java tests that check
/// the mapping of every code to its class. Unknown codes come back as `internal`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_errorForCode<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    code: JString<'l>,
) -> jobject {
    entry(&mut env, std::ptr::null_mut(), |env| {
        let code = jvm::text(env, &code, "code")?;
        let code =
            paramsecrets::ErrorCode::parse(&code).unwrap_or(paramsecrets::ErrorCode::Internal);
        let e = paramsecrets::Error::new(code, format!("a {code} error"));
        Ok(exception(env, &e)?.into_raw())
    })
}

/// Panics inside the library, for the test that checks no panic crosses the boundary.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_panicForTest(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
) {
    entry(&mut env, (), |_| -> Result<(), Fail> {
        #[allow(clippy::panic)]
        {
            panic!("paramsecrets: deliberate panic for the boundary test")
        }
    })
}

/// Completes `future` through one failure path of the async machinery (runtime.rs), for the
/// tests that no future is left pending: 1 the read's task panics; 2 converting its result
/// panics; 3 converting it fails with a Java exception pending and a core error reported;
/// 4 the result is the string "ok" (the test's future throws from its first completion);
/// 5 the task completing the future is aborted before it runs. Anything else: `invalid_argument`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_asyncFaultForTest<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    mode: jint,
    future: JObject<'l>,
) {
    entry(&mut env, (), |env| {
        if future.is_null() {
            return Err(Fail::invalid("the future must not be null"));
        }
        let work = async move {
            #[allow(clippy::panic)]
            if mode == 1 {
                panic!("paramsecrets: deliberate panic in a read's task (test)");
            }
            if mode == 5 {
                // Never finishes: the test aborts the task waiting on it.
                std::future::pending::<()>().await;
            }
            Ok(mode)
        };
        let to_java: for<'a> fn(&mut JNIEnv<'a>, jint) -> Result<JObject<'a>, Fail> =
            |env, mode| match mode {
                #[allow(clippy::panic)]
                2 => panic!("paramsecrets: deliberate panic converting a result (test)"),
                3 => {
                    env.throw_new("java/lang/IllegalStateException", "pending for the test")?;
                    Err(Fail::internal(
                        "a core error reported with an exception pending",
                    ))
                }
                4 => jvm::string(env, "ok"),
                _ => Err(Fail::invalid(format!("no fault mode {mode}"))),
            };
        let abort = runtime::spawn_task(env, &future, work, to_java)?;
        if mode == 5 {
            abort();
        }
        Ok(())
    })
}

/// Reports a core error while a Java exception is pending, for the test that the thrown
/// exception keeps the pending one as its cause (and no JNI call runs with it pending).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_pendingForTest(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
) {
    entry(&mut env, (), |env| -> Result<(), Fail> {
        env.throw_new("java/lang/IllegalStateException", "pending for the test")?;
        Err(Fail::internal(
            "a core error reported with an exception pending",
        ))
    })
}
