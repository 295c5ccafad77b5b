//! `paramsecrets._native`: the Python binding of the paramsecrets core. The public package
//! (`python/paramsecrets/`) re-exports these classes; keep this layer to translation only.
//!
//! Files mirror core's modules: `client.rs`, `error.rs`, `types.rs`, `runtime.rs`; `memo.rs` is
//! the host side of core's `MemoShared` (as bindings-node/lib/memo.js and bindings-java's Memo).

use pyo3::prelude::*;

mod client;
mod error;
mod memo;
mod runtime;
mod types;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<types::Parameter>()?;
    m.add_class::<types::Secret>()?;
    m.add_class::<types::Stats>()?;
    m.add_class::<runtime::Awaitable>()?;
    m.add_function(wrap_pyfunction!(client::default_client, m)?)?;
    m.add_function(wrap_pyfunction!(client::set_default_client, m)?)?;
    m.add_function(wrap_pyfunction!(client::get_parameter, m)?)?;
    m.add_function(wrap_pyfunction!(client::get_secret, m)?)?;
    m.add_function(wrap_pyfunction!(client::clear_cache, m)?)?;
    error::register(m)?;
    Ok(())
}
