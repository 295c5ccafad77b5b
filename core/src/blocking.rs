//! The blocking facade: the async [`Client`] driven by the process's shared runtime
//! ([`crate::runtime`]), safe to keep using in a child after `fork()`.
//!
//! A hit never touches the runtime: it is answered from the cache on the calling thread.

use std::sync::Arc;

use crate::client::Client as AsyncClient;
use crate::config::ClientBuilder;
use crate::error::Result;
use crate::runtime;
use crate::types::{Parameter, ParameterRequest, ReadOptions, Secret, SecretRequest, Stats};

/// A blocking client. Cheap to clone; clones share everything.
#[derive(Clone, Debug)]
pub struct Client {
    inner: AsyncClient,
}

impl Client {
    pub fn from_env() -> Result<Client> {
        Ok(Client::new(AsyncClient::from_env()?))
    }

    pub fn from_builder(builder: &ClientBuilder) -> Result<Client> {
        Ok(Client::new(builder.build()?))
    }

    pub fn new(inner: AsyncClient) -> Client {
        Client { inner }
    }

    /// The async client underneath (same cache, same counters).
    pub fn as_async(&self) -> &AsyncClient {
        &self.inner
    }

    pub fn get_parameter(
        &self,
        req: &ParameterRequest<'_>,
        opts: ReadOptions,
    ) -> Result<Arc<Parameter>> {
        if let Some(p) = self.inner.cached_parameter(req, opts) {
            return Ok(p);
        }
        runtime::block_on(self.inner.get_parameter(req, opts))?
    }

    pub fn get_secret(&self, req: &SecretRequest<'_>, opts: ReadOptions) -> Result<Arc<Secret>> {
        if let Some(s) = self.inner.cached_secret(req, opts) {
            return Ok(s);
        }
        runtime::block_on(self.inner.get_secret(req, opts))?
    }

    pub fn get_parameters(
        &self,
        reqs: &[ParameterRequest<'_>],
        opts: ReadOptions,
    ) -> Result<Vec<Result<Arc<Parameter>>>> {
        runtime::block_on(self.inner.get_parameters(reqs, opts))
    }

    pub fn get_secrets(
        &self,
        reqs: &[SecretRequest<'_>],
        opts: ReadOptions,
    ) -> Result<Vec<Result<Arc<Secret>>>> {
        runtime::block_on(self.inner.get_secrets(reqs, opts))
    }

    pub fn invalidate_parameter(&self, name: &str) -> usize {
        self.inner.invalidate_parameter(name)
    }

    pub fn invalidate_secret(&self, secret_id: &str) -> usize {
        self.inner.invalidate_secret(secret_id)
    }

    pub fn clear_cache(&self) {
        self.inner.clear_cache()
    }

    pub fn stats(&self) -> Stats {
        self.inner.stats()
    }
}
