//! The JVM side of the boundary: what `JNI_OnLoad` caches, and the conversions every entry
//! point shares (Java strings in, Java strings, arrays and facade objects out).
//!
//! Classes are resolved once, in `JNI_OnLoad`, where `FindClass` uses the class loader that
//! loaded the library (the jar's). A tokio worker completing a future has no Java frame and
//! would see only the system class loader, which cannot see the jar on Lambda (its runtime
//! loads the function through a class loader of its own).

use std::sync::OnceLock;

use jni::objects::{
    GlobalRef, JByteArray, JClass, JObject, JObjectArray, JStaticMethodID, JString,
};
use jni::signature::ReturnType;
use jni::sys::jvalue;
use jni::{JNIEnv, JavaVM};

use crate::error::Fail;

/// The one Java class the library calls back into (`dev.paramsecrets.NativeBridge`), and the
/// static factories on it.
pub(crate) struct Jvm {
    pub(crate) vm: JavaVM,
    bridge: GlobalRef,
    string_class: GlobalRef,
    object_class: GlobalRef,
    pub(crate) parameter: JStaticMethodID,
    pub(crate) secret: JStaticMethodID,
    pub(crate) error: JStaticMethodID,
    pub(crate) complete: JStaticMethodID,
    /// The `InternalException` a future completes with when its own result or exception could
    /// not be made (a JNI call failed while completing it): made once, here, so that completing
    /// a future exceptionally needs no allocation.
    pub(crate) undeliverable: GlobalRef,
}

static JVM: OnceLock<Jvm> = OnceLock::new();

const BRIDGE: &str = "dev/paramsecrets/NativeBridge";

pub(crate) fn init(env: &mut JNIEnv<'_>) -> jni::errors::Result<()> {
    let vm = env.get_java_vm()?;
    let class = env.find_class(BRIDGE)?;
    let string_class = env.find_class("java/lang/String")?;
    let object_class = env.find_class("java/lang/Object")?;
    let error = env.get_static_method_id(
        &class,
        "error",
        "(Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;ILjava/lang/String;Ljava/lang/Throwable;)Ldev/paramsecrets/ParamSecretsException;",
    )?;
    let undeliverable = {
        let code = env.new_string("internal")?;
        let detail = env.new_string(
            "paramsecrets could not deliver this read's result: a JNI call failed while \
             completing its future (is the JVM out of memory?)",
        )?;
        let null = JObject::null();
        let args = [
            obj(&code),
            obj(&detail),
            jvalue { i: -1 },
            obj(&null),
            jvalue { i: 0 },
            obj(&null),
            obj(&null),
        ];
        // SAFETY: the arguments match NativeBridge.error (the signature above).
        let e =
            unsafe { env.call_static_method_unchecked(&class, error, ReturnType::Object, &args) }?
                .l()?;
        env.new_global_ref(e)?
    };
    let jvm = Jvm {
        undeliverable,
        error,
        parameter: env.get_static_method_id(
            &class,
            "parameter",
            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;JLjava/lang/String;JZLjava/lang/String;Ljava/lang/String;[B)Ldev/paramsecrets/Parameter;",
        )?,
        secret: env.get_static_method_id(
            &class,
            "secret",
            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;JZLjava/lang/String;[B)Ldev/paramsecrets/Secret;",
        )?,
        complete: env.get_static_method_id(
            &class,
            "complete",
            "(Ljava/util/concurrent/CompletableFuture;Ljava/lang/Object;Ljava/lang/Throwable;)V",
        )?,
        bridge: env.new_global_ref(&class)?,
        string_class: env.new_global_ref(&string_class)?,
        object_class: env.new_global_ref(&object_class)?,
        vm,
    };
    // A second load of the library in the same JVM (another class loader) keeps the first cache.
    let _ = JVM.set(jvm);
    Ok(())
}

pub(crate) fn jvm() -> Result<&'static Jvm, Fail> {
    JVM.get()
        .ok_or_else(|| Fail::internal("the native library was not initialised (JNI_OnLoad)"))
}

impl Jvm {
    pub(crate) fn bridge(&self) -> JClass<'_> {
        // SAFETY: the global reference lives as long as the cache (the process); the wrapper
        // does not own it and deletes nothing on drop.
        unsafe { JClass::from_raw(self.bridge.as_obj().as_raw()) }
    }

    /// Calls one of the bridge's static factories returning an object.
    ///
    /// # Safety
    /// `args` must match the factory's signature (they are the cached method ids above).
    pub(crate) unsafe fn call<'l>(
        &self,
        env: &mut JNIEnv<'l>,
        method: JStaticMethodID,
        args: &[jvalue],
    ) -> Result<JObject<'l>, Fail> {
        let bridge = self.bridge();
        // SAFETY: the caller passes arguments matching the cached signature.
        let v =
            unsafe { env.call_static_method_unchecked(&bridge, method, ReturnType::Object, args) }?;
        Ok(v.l()?)
    }

    /// A new `Object[len]` of nulls.
    pub(crate) fn objects<'l>(
        &self,
        env: &mut JNIEnv<'l>,
        len: usize,
    ) -> Result<JObjectArray<'l>, Fail> {
        // SAFETY: as in `bridge`.
        let class = unsafe { JClass::from_raw(self.object_class.as_obj().as_raw()) };
        let len = i32::try_from(len).map_err(|_| Fail::internal("array too long"))?;
        Ok(env.new_object_array(len, &class, JObject::null())?)
    }

    pub(crate) fn strings<'l>(
        &self,
        env: &mut JNIEnv<'l>,
        items: &[String],
    ) -> Result<JObjectArray<'l>, Fail> {
        // SAFETY: as in `bridge`.
        let class = unsafe { JClass::from_raw(self.string_class.as_obj().as_raw()) };
        let len = i32::try_from(items.len()).map_err(|_| Fail::internal("array too long"))?;
        let array = env.new_object_array(len, &class, JObject::null())?;
        for (i, s) in items.iter().enumerate() {
            let js = env.new_string(s)?;
            env.set_object_array_element(&array, i as i32, &js)?;
            env.delete_local_ref(js)?;
        }
        Ok(array)
    }
}

/// A Java string argument as Rust text; `null` is an `invalid_argument` naming `what`.
pub(crate) fn text(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &str) -> Result<String, Fail> {
    if s.is_null() {
        return Err(Fail::invalid(format!("the {what} must not be null")));
    }
    // SAFETY: every caller passes a `String` parameter of a native method (or an element of a
    // `String[]`), so the checked `get_string` (a FindClass and two more JNI calls on every
    // read, the largest part of a cache hit) is not needed.
    Ok(unsafe { env.get_string_unchecked(s) }?.into())
}

/// An optional Java string argument (`null` → `None`).
pub(crate) fn opt_text(env: &mut JNIEnv<'_>, s: &JString<'_>) -> Result<Option<String>, Fail> {
    if s.is_null() {
        return Ok(None);
    }
    // SAFETY: as in `text`.
    Ok(Some(unsafe { env.get_string_unchecked(s) }?.into()))
}

/// A `String[]` argument; a `null` array or element is an `invalid_argument`.
pub(crate) fn texts(
    env: &mut JNIEnv<'_>,
    array: &JObjectArray<'_>,
    what: &str,
) -> Result<Vec<String>, Fail> {
    if array.is_null() {
        return Err(Fail::invalid(format!(
            "the list of {what}s must not be null"
        )));
    }
    let len = env.get_array_length(array)?;
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let item = JString::from(env.get_object_array_element(array, i)?);
        out.push(text(env, &item, what)?);
        env.delete_local_ref(item)?;
    }
    Ok(out)
}

pub(crate) fn string<'l>(env: &mut JNIEnv<'l>, s: &str) -> Result<JObject<'l>, Fail> {
    Ok(env.new_string(s)?.into())
}

pub(crate) fn opt_string<'l>(env: &mut JNIEnv<'l>, s: Option<&str>) -> Result<JObject<'l>, Fail> {
    match s {
        Some(s) => string(env, s),
        None => Ok(JObject::null()),
    }
}

pub(crate) fn bytes<'l>(env: &mut JNIEnv<'l>, b: &[u8]) -> Result<JObject<'l>, Fail> {
    let a: JByteArray<'l> = env.byte_array_from_slice(b)?;
    Ok(a.into())
}

pub(crate) fn obj(o: &JObject<'_>) -> jvalue {
    jvalue { l: o.as_raw() }
}
