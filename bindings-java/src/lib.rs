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
use jni::objects::{JClass, JString};
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
