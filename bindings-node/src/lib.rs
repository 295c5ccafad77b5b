//! The native half of the npm package `paramsecrets` (napi-rs).
//!
//! Thin on purpose: it translates core's types, errors and futures into JavaScript ones and
//! owns no behaviour. The module is private (`native.js` / `native.d.ts`); the public API is the
//! hand-written JavaScript layer in `lib/`, which maps errors to their classes and turns
//! options into arguments.
//!
//! Files mirror core's modules: `client.rs` (the client and its reads), `config.rs` (client
//! options → `ClientBuilder`), `error.rs` (core errors → JS `Error` objects), `types.rs`
//! (records, stats), `transform.rs` (values, with core's transforms applied).

#![deny(clippy::unwrap_used)]

mod client;
mod config;
mod error;
mod transform;
mod types;

use napi_derive::napi;

/// napi-rs's tokio runtime (every async read runs on it) is built like core's own: one worker,
/// named `paramsecrets`. napi's default starts one worker per core, 2 to 6 threads on Lambda.
#[napi_derive::module_init]
fn init() {
    // If it cannot be built, napi-rs builds its default one on first use, which still works.
    if let Ok(rt) = paramsecrets::runtime::builder().build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(rt);
    }
}

/// The crate version: must equal the npm package's (checked by the test suite).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Every error code of DESIGN §5, in order (the JS layer has one class per code; a test
/// checks the two lists agree).
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    paramsecrets::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect()
}

/// Test hook (not part of the public API): panics inside the native module, synchronously or
/// inside a future on the tokio runtime, so the suite can check that a panic comes out as an
/// `internal` error and never unwinds into Node.
#[napi(js_name = "__panicForTests", ts_return_type = "Promise<never>")]
pub fn panic_for_tests<'e>(
    env: &'e napi::Env,
    in_future: bool,
) -> napi::Result<napi::bindgen_prelude::PromiseRaw<'e, napi::bindgen_prelude::Unknown<'e>>> {
    error::guard(env, || {
        if !in_future {
            #[allow(clippy::panic)]
            {
                panic!("a deliberate panic (sync)");
            }
        }
        client::spawn(
            env,
            async {
                #[allow(clippy::panic)]
                {
                    panic!("a deliberate panic (async)");
                }
                #[allow(unreachable_code)]
                Ok::<(), paramsecrets::Error>(())
            },
            |env, ()| types::to_unknown(env, ()),
        )
    })
}
