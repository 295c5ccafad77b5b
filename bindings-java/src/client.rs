//! The JNI entry points of `dev.paramsecrets.NativeBridge`: core's `Client` behind a handle,
//! with a sync and an async form of every read.
//!
//! A handle is a `Box<Client>` the facade owns: `free` drops it, from a `Cleaner` once the
//! facade's `Client` is unreachable, so no call can be running on it. Every read takes an
//! optional `CompletableFuture`: `null` reads on the calling thread (a cache hit in this one
//! call, a miss on core's shared runtime via `block_on`), a future gets the read spawned on
//! that runtime and completed from there. The `Peek` kinds answer from the cache alone (the
//! record or `null`, never a request): the async facade completes a hit without a runtime hop.

use std::sync::Arc;

use jni::JNIEnv;
use jni::objects::{JClass, JLongArray, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong, jlongArray, jobject, jobjectArray};
use paramsecrets::transform::{self, Transform};
use paramsecrets::{
    Client, Parameter, ParameterRequest, Secret, SecretRequest, ServerKind, runtime::block_on,
};

use crate::error::{Fail, exception};
use crate::jvm::{bytes, jvm, opt_string, opt_text, text, texts};
use crate::memo::write_ticket;
use crate::runtime::{entry, spawn};
use crate::types::{
    ParameterKind, ParameterOptions, SecretKind, SecretOptions, duration, encode_json, parameter,
    parameter_text, read_options, secret, secret_text, value_bytes,
};

/// What a read hands back to Java, computed off the JVM (so async reads can build it on the
/// runtime) and converted by [`to_java`].
pub(crate) enum Out {
    /// The parameter's text (checked: a binary secret read through SSM is an `invalid_argument`).
    ParameterText(Arc<Parameter>),
    /// A parameter's bytes (a binary secret's, or the text's UTF-8 bytes).
    ParameterBytes(Arc<Parameter>),
    Parameter(Arc<Parameter>),
    /// A string secret (checked: a binary one is an `invalid_argument` before this).
    SecretText(Arc<Secret>),
    SecretBytes(Arc<Secret>),
    Secret(Arc<Secret>),
    /// A JSON value in `Json.decode`'s encoding.
    Json(Vec<u8>),
    Parameters(Vec<paramsecrets::Result<Arc<Parameter>>>),
    Secrets(Vec<paramsecrets::Result<Arc<Secret>>>),
    /// A peek that found nothing fresh.
    Nothing,
}

fn json(out: paramsecrets::Result<transform::Output<'_>>) -> paramsecrets::Result<Out> {
    match out? {
        transform::Output::Json(v) => {
            let mut buf = Vec::with_capacity(64);
            encode_json(&v, &mut buf);
            Ok(Out::Json(buf))
        }
        _ => Err(paramsecrets::Error::new(
            paramsecrets::ErrorCode::Internal,
            "the json transform returned something other than JSON",
        )),
    }
}

fn parameter_out(kind: ParameterKind, p: Arc<Parameter>) -> paramsecrets::Result<Out> {
    match kind {
        ParameterKind::Value => {
            parameter_text(&p)?;
            Ok(Out::ParameterText(p))
        }
        ParameterKind::Binary => Ok(Out::ParameterBytes(p)),
        ParameterKind::Record | ParameterKind::Peek => Ok(Out::Parameter(p)),
        // core's `json` transform, the same one every binding uses
        ParameterKind::Json => json(transform::apply_to_parameter(
            &p,
            &p.name,
            Some(Transform::Json),
        )),
    }
}

fn secret_out(kind: SecretKind, s: Arc<Secret>, secret_id: &str) -> paramsecrets::Result<Out> {
    match kind {
        SecretKind::String => {
            secret_text(&s, secret_id)?;
            Ok(Out::SecretText(s))
        }
        SecretKind::Binary => Ok(Out::SecretBytes(s)),
        SecretKind::Record | SecretKind::Peek => Ok(Out::Secret(s)),
        SecretKind::Json => json(transform::apply_to_secret(
            &s,
            secret_id,
            Some(Transform::Json),
        )),
    }
}

pub(crate) fn to_java<'l>(env: &mut JNIEnv<'l>, out: Out) -> Result<JObject<'l>, Fail> {
    match out {
        Out::ParameterText(p) => opt_string(env, p.text()),
        Out::ParameterBytes(p) => bytes(env, value_bytes(&p.value)),
        Out::Parameter(p) => parameter(env, &p),
        Out::SecretText(s) => opt_string(env, s.value.text()),
        Out::SecretBytes(s) => bytes(env, value_bytes(&s.value)),
        Out::Secret(s) => secret(env, &s),
        Out::Json(b) => bytes(env, &b),
        Out::Parameters(results) => batch(env, results, |env, p| parameter(env, &p)),
        Out::Secrets(results) => batch(env, results, |env, s| secret(env, &s)),
        Out::Nothing => Ok(JObject::null()),
    }
}

/// An `Object[]` with, per key, the record or the key's exception.
fn batch<'l, T>(
    env: &mut JNIEnv<'l>,
    results: Vec<paramsecrets::Result<T>>,
    record: impl Fn(&mut JNIEnv<'l>, T) -> Result<JObject<'l>, Fail>,
) -> Result<JObject<'l>, Fail> {
    let array = jvm()?.objects(env, results.len())?;
    for (i, r) in results.into_iter().enumerate() {
        let item = match r {
            Ok(v) => record(env, v)?,
            Err(e) => exception(env, &e)?,
        };
        env.set_object_array_element(&array, i as i32, &item)?;
        env.delete_local_ref(item)?;
    }
    Ok(array.into())
}

/// The client behind a handle.
///
/// # Safety
/// `handle` comes from [`into_handle`] and is not freed yet (the facade frees it only once
/// unreachable).
unsafe fn client<'a>(handle: jlong) -> Result<&'a Client, Fail> {
    if handle == 0 {
        return Err(Fail::internal("a client handle is null"));
    }
    // SAFETY: see the function's contract.
    Ok(unsafe { &*(handle as *const Client) })
}

fn into_handle(c: Client) -> jlong {
    Box::into_raw(Box::new(c)) as jlong
}

#[allow(clippy::too_many_arguments)]
fn parameter_options(
    env: &mut JNIEnv<'_>,
    decrypt: jboolean,
    has_version: jboolean,
    version: jlong,
    label: &JString<'_>,
    max_age_nanos: jlong,
    force_fetch: jboolean,
) -> Result<ParameterOptions, Fail> {
    Ok(ParameterOptions {
        decrypt: decrypt != 0,
        version: (has_version != 0).then_some(version),
        label: opt_text(env, label)?,
        read: read_options(max_age_nanos, force_fetch != 0),
    })
}

fn secret_options(
    env: &mut JNIEnv<'_>,
    version_id: &JString<'_>,
    version_stage: &JString<'_>,
    max_age_nanos: jlong,
    force_fetch: jboolean,
) -> Result<SecretOptions, Fail> {
    Ok(SecretOptions {
        version_id: opt_text(env, version_id)?,
        version_stage: opt_text(env, version_stage)?,
        read: read_options(max_age_nanos, force_fetch != 0),
    })
}

fn blocking_parameter(
    c: &Client,
    name: &str,
    o: &ParameterOptions,
) -> paramsecrets::Result<Arc<Parameter>> {
    let req = o.request(name)?;
    if let Some(p) = c.cached_parameter(&req, o.read) {
        return Ok(p);
    }
    block_on(c.get_parameter(&req, o.read))?
}

fn blocking_secret(c: &Client, id: &str, o: &SecretOptions) -> paramsecrets::Result<Arc<Secret>> {
    let req = o.request(id);
    if let Some(s) = c.cached_secret(&req, o.read) {
        return Ok(s);
    }
    block_on(c.get_secret(&req, o.read))?
}

/// Sync (`future` null: the value) or async (the read spawned, `null` returned).
fn sync_or_async<'l, W>(
    env: &mut JNIEnv<'l>,
    future: &JObject<'_>,
    now: impl FnOnce() -> paramsecrets::Result<Out>,
    later: W,
) -> Result<JObject<'l>, Fail>
where
    W: std::future::Future<Output = paramsecrets::Result<Out>> + Send + 'static,
{
    if future.is_null() {
        let out = now()?;
        to_java(env, out)
    } else {
        spawn(env, future, later, to_java)?;
        Ok(JObject::null())
    }
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_fromEnv(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
) -> jlong {
    entry(&mut env, 0, |_| Ok(into_handle(Client::from_env()?)))
}

/// Explicit settings; a negative port, size or duration is "not set" (the facade validates).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_withOptions(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    endpoint: JString<'_>,
    port: jint,
    token: JString<'_>,
    ttl: jlong,
    parameter_ttl: jlong,
    secret_ttl: jlong,
    cache_size: jlong,
    timeout: jlong,
    deadline: jlong,
    ready_timeout: jlong,
    stale_if_error: jlong,
    server: JString<'_>,
    allow_non_loopback: jboolean,
) -> jlong {
    entry(&mut env, 0, |env| {
        let mut b = Client::builder();
        if let Some(v) = opt_text(env, &endpoint)? {
            b = b.endpoint(v);
        }
        if let Ok(p) = u16::try_from(port) {
            b = b.port(p);
        }
        if let Some(t) = opt_text(env, &token)? {
            b = b.token(t);
        }
        if let Some(v) = duration(ttl) {
            b = b.ttl(v);
        }
        if let Some(v) = duration(parameter_ttl) {
            b = b.parameter_ttl(v);
        }
        if let Some(v) = duration(secret_ttl) {
            b = b.secret_ttl(v);
        }
        if let Ok(n) = u64::try_from(cache_size) {
            b = b.cache_size(usize::try_from(n).unwrap_or(usize::MAX));
        }
        if let Some(v) = duration(timeout) {
            b = b.timeout(v);
        }
        if let Some(v) = duration(deadline) {
            b = b.deadline(v);
        }
        if let Some(v) = duration(ready_timeout) {
            b = b.ready_timeout(v);
        }
        if let Some(v) = duration(stale_if_error) {
            b = b.stale_if_error(v);
        }
        if let Some(s) = opt_text(env, &server)? {
            b = b.server(ServerKind::parse(&s)?);
        }
        Ok(into_handle(
            b.allow_non_loopback(allow_non_loopback != 0).build()?,
        ))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_free(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    handle: jlong,
) {
    entry(&mut env, (), |_| {
        if handle != 0 {
            // SAFETY: the facade's Cleaner frees each handle once, when nothing can use it.
            drop(unsafe { Box::from_raw(handle as *mut Client) });
        }
        Ok(())
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_readParameter<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    handle: jlong,
    kind: jint,
    name: JString<'l>,
    decrypt: jboolean,
    has_version: jboolean,
    version: jlong,
    label: JString<'l>,
    max_age_nanos: jlong,
    force_fetch: jboolean,
    ticket: JLongArray<'l>,
    future: JObject<'l>,
) -> jobject {
    entry(&mut env, std::ptr::null_mut(), |env| {
        // SAFETY: a live handle (see `client`).
        let c = unsafe { client(handle) }?;
        let kind = ParameterKind::from_java(kind)?;
        let name = text(env, &name, "parameter name")?;
        let o = parameter_options(
            env,
            decrypt,
            has_version,
            version,
            &label,
            max_age_nanos,
            force_fetch,
        )?;
        if !ticket.is_null() && future.is_null() {
            // The memo's fill: a hit comes back with its ticket; a miss reads as below.
            let req = o.request(&name)?;
            if let Some((p, t)) = c.cached_parameter_memo(&req, o.read) {
                let out = parameter_out(kind, p)?;
                write_ticket(env, &ticket, &t)?;
                return Ok(to_java(env, out)?.into_raw());
            }
            if let ParameterKind::Peek = kind {
                return Ok(std::ptr::null_mut());
            }
            let out = parameter_out(kind, block_on(c.get_parameter(&req, o.read))??)?;
            return Ok(to_java(env, out)?.into_raw());
        }
        if let ParameterKind::Peek = kind {
            let req = o.request(&name)?;
            let out = c
                .cached_parameter(&req, o.read)
                .map_or(Out::Nothing, Out::Parameter);
            return Ok(to_java(env, out)?.into_raw());
        }
        let owned = c.clone();
        let (n, oo) = (name.clone(), o.clone());
        let r = sync_or_async(
            env,
            &future,
            || parameter_out(kind, blocking_parameter(c, &name, &o)?),
            async move {
                let req = oo.request(&n)?;
                parameter_out(kind, owned.get_parameter(&req, oo.read).await?)
            },
        )?;
        Ok(r.into_raw())
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_readParameters<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    handle: jlong,
    names: JObjectArray<'l>,
    decrypt: jboolean,
    has_version: jboolean,
    version: jlong,
    label: JString<'l>,
    max_age_nanos: jlong,
    force_fetch: jboolean,
    future: JObject<'l>,
) -> jobjectArray {
    entry(&mut env, std::ptr::null_mut(), |env| {
        // SAFETY: a live handle (see `client`).
        let c = unsafe { client(handle) }?;
        let names = texts(env, &names, "parameter name")?;
        let o = parameter_options(
            env,
            decrypt,
            has_version,
            version,
            &label,
            max_age_nanos,
            force_fetch,
        )?;
        // A negative version fails the whole call up front, before any request.
        for n in &names {
            o.request(n)?;
        }
        let owned = c.clone();
        let (nn, oo) = (names.clone(), o.clone());
        let r = sync_or_async(
            env,
            &future,
            || {
                let reqs = names
                    .iter()
                    .map(|n| o.request(n))
                    .collect::<paramsecrets::Result<Vec<_>>>()?;
                Ok(Out::Parameters(block_on(c.get_parameters(&reqs, o.read))?))
            },
            async move {
                let reqs = nn
                    .iter()
                    .map(|n| oo.request(n))
                    .collect::<paramsecrets::Result<Vec<_>>>()?;
                Ok(Out::Parameters(owned.get_parameters(&reqs, oo.read).await))
            },
        )?;
        Ok(r.into_raw())
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_readSecret<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    handle: jlong,
    kind: jint,
    secret_id: JString<'l>,
    version_id: JString<'l>,
    version_stage: JString<'l>,
    max_age_nanos: jlong,
    force_fetch: jboolean,
    ticket: JLongArray<'l>,
    future: JObject<'l>,
) -> jobject {
    entry(&mut env, std::ptr::null_mut(), |env| {
        // SAFETY: a live handle (see `client`).
        let c = unsafe { client(handle) }?;
        let kind = SecretKind::from_java(kind)?;
        let id = text(env, &secret_id, "secret id")?;
        let o = secret_options(env, &version_id, &version_stage, max_age_nanos, force_fetch)?;
        if !ticket.is_null() && future.is_null() {
            // The memo's fill, as for parameters.
            let req = o.request(&id);
            if let Some((s, t)) = c.cached_secret_memo(&req, o.read) {
                let out = secret_out(kind, s, &id)?;
                write_ticket(env, &ticket, &t)?;
                return Ok(to_java(env, out)?.into_raw());
            }
            if let SecretKind::Peek = kind {
                return Ok(std::ptr::null_mut());
            }
            let out = secret_out(kind, block_on(c.get_secret(&req, o.read))??, &id)?;
            return Ok(to_java(env, out)?.into_raw());
        }
        if let SecretKind::Peek = kind {
            let out = c
                .cached_secret(&o.request(&id), o.read)
                .map_or(Out::Nothing, Out::Secret);
            return Ok(to_java(env, out)?.into_raw());
        }
        let owned = c.clone();
        let (i, oo) = (id.clone(), o.clone());
        let r = sync_or_async(
            env,
            &future,
            || secret_out(kind, blocking_secret(c, &id, &o)?, &id),
            async move {
                let s = owned.get_secret(&oo.request(&i), oo.read).await?;
                secret_out(kind, s, &i)
            },
        )?;
        Ok(r.into_raw())
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_readSecrets<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    handle: jlong,
    secret_ids: JObjectArray<'l>,
    version_id: JString<'l>,
    version_stage: JString<'l>,
    max_age_nanos: jlong,
    force_fetch: jboolean,
    future: JObject<'l>,
) -> jobjectArray {
    entry(&mut env, std::ptr::null_mut(), |env| {
        // SAFETY: a live handle (see `client`).
        let c = unsafe { client(handle) }?;
        let ids = texts(env, &secret_ids, "secret id")?;
        let o = secret_options(env, &version_id, &version_stage, max_age_nanos, force_fetch)?;
        let owned = c.clone();
        let (ii, oo) = (ids.clone(), o.clone());
        let r = sync_or_async(
            env,
            &future,
            || {
                let reqs: Vec<_> = ids.iter().map(|id| o.request(id)).collect();
                Ok(Out::Secrets(block_on(c.get_secrets(&reqs, o.read))?))
            },
            async move {
                let reqs: Vec<_> = ii.iter().map(|id| oo.request(id)).collect();
                Ok(Out::Secrets(owned.get_secrets(&reqs, oo.read).await))
            },
        )?;
        Ok(r.into_raw())
    })
}

/// Starts background reads of these names and returns at once (core's `prefetch`): the first
/// read of each joins its request or hits the cache.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_prefetch<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    handle: jlong,
    parameters: JObjectArray<'l>,
    secrets: JObjectArray<'l>,
) {
    entry(&mut env, (), |env| {
        // SAFETY: a live handle (see `client`).
        let c = unsafe { client(handle) }?;
        let names = texts(env, &parameters, "parameter name")?;
        let ids = texts(env, &secrets, "secret id")?;
        let params: Vec<_> = names.iter().map(|n| ParameterRequest::new(n)).collect();
        let secs: Vec<_> = ids.iter().map(|i| SecretRequest::new(i)).collect();
        Ok(c.prefetch(&params, &secs)?)
    })
}

/// Drops every cached entry of this parameter (`secret` false) or secret; returns how many.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_invalidate(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    handle: jlong,
    secret: jboolean,
    key: JString<'_>,
) -> jlong {
    entry(&mut env, 0, |env| {
        // SAFETY: a live handle (see `client`).
        let c = unsafe { client(handle) }?;
        let dropped = if secret != 0 {
            c.invalidate_secret(&text(env, &key, "secret id")?)
        } else {
            c.invalidate_parameter(&text(env, &key, "parameter name")?)
        };
        Ok(dropped as jlong)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_clearCache(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    handle: jlong,
) {
    entry(&mut env, (), |_| {
        // SAFETY: a live handle (see `client`).
        unsafe { client(handle) }?.clear_cache();
        Ok(())
    })
}

/// The counters, in `Stats`' field order.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_stats(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    handle: jlong,
) -> jlongArray {
    entry(&mut env, std::ptr::null_mut(), |env| {
        // SAFETY: a live handle (see `client`).
        let s = unsafe { client(handle) }?.stats();
        let v = [
            s.hits,
            s.misses,
            s.stale_served,
            s.coalesced,
            s.requests,
            s.retries,
            s.errors,
            s.evictions,
        ]
        .map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        let a = env.new_long_array(v.len() as i32)?;
        env.set_long_array_region(&a, 0, &v)?;
        Ok(a.into_raw())
    })
}
