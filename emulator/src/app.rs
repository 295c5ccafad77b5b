//! Shared state and the dialect-neutral path of one lookup: knobs, cache, store, counters.

use std::sync::Arc;

use bytes::Bytes;

use crate::cache::{Cache, CacheNote, CacheRead};
use crate::config::Dialect;
use crate::knobs::Knobs;
use crate::model::{Lookup, ParameterRecord, SecretRecord, UpstreamError};
use crate::readiness::Readiness;
use crate::reload::StoreHandle;
use crate::stats::Stats;
use crate::store::RawResponse;

pub struct App {
    pub dialect: Dialect,
    token: String,
    pub readiness: Readiness,
    pub store: StoreHandle,
    pub cache: Cache,
    pub stats: Stats,
    pub knobs: Knobs,
}

/// A successful store read, before the dialect renders it.
pub enum Found {
    Parameter(ParameterRecord),
    Secret(SecretRecord),
}

/// The result of [`App::resolve`].
pub enum Resolved {
    /// The rendered success body (from the cache or freshly rendered).
    Body(Bytes, CacheNote),
    /// The emulated upstream failed; each dialect words this its own way.
    Failed(UpstreamError, CacheNote),
    /// A `respond` knob: send this verbatim.
    Raw(Arc<RawResponse>),
}

impl App {
    pub fn new(
        dialect: Dialect,
        token: String,
        readiness: Readiness,
        store: StoreHandle,
        cache: Cache,
        knobs: Knobs,
    ) -> Self {
        Self {
            dialect,
            token,
            readiness,
            store,
            cache,
            stats: Stats::default(),
            knobs,
        }
    }

    /// False during the emulated INIT phase (`--not-ready-for`, or until the first INVOKE).
    pub fn ready(&self) -> bool {
        self.readiness.ready()
    }

    /// Exact comparison, as both real servers do. Never log either side.
    pub fn token_matches(&self, presented: &[u8]) -> bool {
        presented == self.token.as_bytes()
    }

    /// Runs one lookup: per-key counters, `delay_ms`, `respond`, the cache, and on a miss the
    /// upstream (the store, behind the latency and "down" knobs; counted as an upstream call).
    /// `refresh` skips the cache but still refills it (the Agent's `refreshNow=true`). Errors
    /// are never cached.
    pub async fn resolve(
        &self,
        lookup: Lookup,
        refresh: bool,
        render: impl FnOnce(Found) -> Bytes,
    ) -> Resolved {
        let key = lookup.stats_key();
        self.stats.key_request(&key);
        let store = self.store.current();
        let knobs = match &lookup {
            Lookup::Parameter(p) => store.parameter_knobs(&p.name),
            Lookup::Secret(s) => store.secret_knobs(&s.secret_id),
        };
        let (delay, respond) = knobs
            .map(|k| (k.delay, k.respond.clone()))
            .unwrap_or((None, None));
        if let Some(d) = delay {
            tokio::time::sleep(d).await;
        }
        if let Some(raw) = respond {
            return Resolved::Raw(raw);
        }
        let cache_active = self.cache.active_for(lookup.kind());
        let mut expired = None;
        if cache_active && !refresh {
            match self.cache.get(&lookup) {
                CacheRead::Fresh(body) => {
                    self.stats.cache_hit();
                    return Resolved::Body(body, CacheNote::Hit);
                }
                CacheRead::Expired(body) => expired = Some(body),
                CacheRead::Absent => {}
            }
        }
        let note = if cache_active && !refresh {
            CacheNote::Miss
        } else {
            CacheNote::Bypass
        };
        self.stats.upstream_call(&key);
        let upstream = self.knobs.get();
        if upstream.upstream_latency_ms > 0 {
            tokio::time::sleep(upstream.upstream_latency()).await;
        }
        let found = if upstream.upstream_down {
            Err(UpstreamError::unreachable())
        } else {
            match &lookup {
                Lookup::Parameter(p) => store.get_parameter(p).map(Found::Parameter),
                Lookup::Secret(s) => store.get_secret(s).map(Found::Secret),
            }
        };
        match found {
            Ok(found) => {
                let body = render(found);
                if cache_active {
                    self.cache.put(lookup, body.clone());
                }
                Resolved::Body(body, note)
            }
            Err(e) => match expired {
                Some(body) if self.serves_stale_on(&e) => {
                    self.stats.stale_served(&key);
                    Resolved::Body(body, CacheNote::Stale)
                }
                _ => Resolved::Failed(e, note),
            },
        }
    }

    /// Whether a failed refresh of an expired entry serves that entry instead. The Agent does
    /// for transient errors (its default `ignore_transient_errors = true`: timeouts, network
    /// failures, upstream 5xx), never after `refreshNow` (which never reaches here with an
    /// expired entry). The managed extension documents nothing like it: assumed not.
    fn serves_stale_on(&self, e: &UpstreamError) -> bool {
        self.dialect == Dialect::Agent && e.status >= 500
    }
}
