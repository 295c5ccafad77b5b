//! What the facade's host-side memo (`Memo.java`) needs from core: core's [`MemoShared`]
//! memory as two direct `ByteBuffer`s (the generation header and the touch flags) and the
//! ticket of a cache hit. Layout and rules: core's `cache.rs`.
//!
//! Each buffer is backed by its own `Arc<MemoShared>` clone behind a handle ([`memoRetain`]),
//! released by a `Cleaner` registered on that buffer once it is unreachable, so the memory
//! outlives every access through the buffer, whatever happens to the client.
//!
//! [`memoRetain`]: Java_dev_paramsecrets_NativeBridge_memoRetain

use std::sync::Arc;

use jni::JNIEnv;
use jni::objects::{JClass, JLongArray};
use jni::sys::{jboolean, jlong, jobject};
use paramsecrets::{Client, MemoShared, MemoTicket};

use crate::error::Fail;
use crate::runtime::entry;

/// Writes a hit's ticket into the facade's `long[4]`: generation, slot, age and TTL in
/// nanoseconds (saturated). The facade presets the slot to -1, so an untouched array means
/// "no ticket".
pub(crate) fn write_ticket(
    env: &mut JNIEnv<'_>,
    out: &JLongArray<'_>,
    t: &MemoTicket,
) -> Result<(), Fail> {
    let nanos = |d: std::time::Duration| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
    // The generation crosses as its bits: Java compares it with the header's u64 the same way.
    let v = [
        t.generation as i64,
        i64::from(t.slot),
        nanos(t.age),
        nanos(t.ttl),
    ];
    env.set_long_array_region(out, 0, &v)?;
    Ok(())
}

/// # Safety
/// `memo` comes from [`memoRetain`](Java_dev_paramsecrets_NativeBridge_memoRetain) and is not
/// released yet.
unsafe fn shared<'a>(memo: jlong) -> Result<&'a Arc<MemoShared>, Fail> {
    if memo == 0 {
        return Err(Fail::internal("a memo handle is null"));
    }
    // SAFETY: see the function's contract.
    Ok(unsafe { &*(memo as *const Arc<MemoShared>) })
}

/// A handle on the client's memo memory (one `Arc` clone), or 0 when there can be no memo
/// (the cache is off).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_memoRetain(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    handle: jlong,
) -> jlong {
    entry(&mut env, 0, |_| {
        if handle == 0 {
            return Err(Fail::internal("a client handle is null"));
        }
        // SAFETY: a live client handle (see `client::client`).
        let c = unsafe { &*(handle as *const Client) };
        let shared = c.memo_shared();
        if shared.slots() == 0 {
            return Ok(0);
        }
        Ok(Box::into_raw(Box::new(shared.clone())) as jlong)
    })
}

/// A direct buffer over the header (`touch` false, `MemoShared::HEADER_LEN` bytes) or the
/// touch flags (`slots()` bytes) of the memory behind `memo`. The facade registers the
/// handle's release on the buffer.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_memoBuffer(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    memo: jlong,
    touch: jboolean,
) -> jobject {
    entry(&mut env, std::ptr::null_mut(), |env| {
        // SAFETY: a live memo handle.
        let m = unsafe { shared(memo) }?;
        let (ptr, len) = if touch != 0 {
            (m.touch_ptr(), m.slots())
        } else {
            (m.header_ptr(), MemoShared::HEADER_LEN)
        };
        // SAFETY: `len` bytes at `ptr` live as long as the `Arc` behind `memo`, which the
        // facade releases only once this buffer is unreachable. Java writes only touch bytes
        // (atomics in core: a plain byte store from Java is a relaxed store).
        let buf = unsafe { env.new_direct_byte_buffer(ptr, len) }?;
        Ok(buf.into_raw())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_paramsecrets_NativeBridge_memoRelease(
    mut env: JNIEnv<'_>,
    _: JClass<'_>,
    memo: jlong,
) {
    entry(&mut env, (), |_| {
        if memo != 0 {
            // SAFETY: each handle is released once, by the Cleaner of its one buffer.
            drop(unsafe { Box::from_raw(memo as *mut Arc<MemoShared>) });
        }
        Ok(())
    })
}
