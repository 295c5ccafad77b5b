//! The emulator's own cache, standing in for the one inside the real extension / Agent.
//!
//! Keyed by the full request ([`Lookup`]), holding the rendered success body. Errors are never
//! stored (the upstream is asked again next time), which is what makes the `upstream_calls`
//! counter a faithful picture of how often a client's reads would reach AWS.

use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use bytes::Bytes;
use lru::LruCache;
use parking_lot::Mutex;

use crate::model::{Kind, Lookup};

/// Cache settings, resolved from the environment by `config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    /// `PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED`.
    pub enabled: bool,
    /// `PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE`; 0 bypasses the cache.
    pub size: usize,
    /// `SSM_PARAMETER_STORE_TTL`; zero bypasses the cache for parameters.
    pub parameter_ttl: Duration,
    /// `SECRETS_MANAGER_TTL`; zero bypasses the cache for secrets.
    pub secret_ttl: Duration,
    /// Whether a read refreshes an entry's position. The Agent's store is insertion-ordered
    /// (reads do not promote); the managed extension is described as keeping frequently used
    /// entries, so it promotes on read.
    pub promote_on_read: bool,
}

/// How a request met the cache; shown in the per-request log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheNote {
    Hit,
    Miss,
    /// Cache off for this kind (disabled, size 0, TTL 0) or skipped (`refreshNow=true`).
    Bypass,
    /// The upstream call failed and the expired entry was served instead (the Agent's
    /// `ignore_transient_errors`).
    Stale,
    /// The request never reached the cache (rejected, or answered by a `respond` knob).
    None,
}

/// What the cache holds for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheRead {
    Fresh(Bytes),
    /// Past its TTL: not served, unless the refresh fails in a way the dialect forgives.
    Expired(Bytes),
    Absent,
}

impl CacheNote {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheNote::Hit => "hit",
            CacheNote::Miss => "miss",
            CacheNote::Bypass => "bypass",
            CacheNote::Stale => "stale",
            CacheNote::None => "-",
        }
    }
}

struct Entry {
    body: Bytes,
    stored: Instant,
}

pub struct Cache {
    settings: CacheSettings,
    /// `None` when the cache is off altogether.
    entries: Option<Mutex<LruCache<Lookup, Entry>>>,
}

impl Cache {
    pub fn new(settings: CacheSettings) -> Self {
        let entries = match NonZeroUsize::new(settings.size) {
            Some(size) if settings.enabled => Some(Mutex::new(LruCache::new(size))),
            _ => None,
        };
        Self { settings, entries }
    }

    fn ttl(&self, kind: Kind) -> Duration {
        match kind {
            Kind::Parameter => self.settings.parameter_ttl,
            Kind::Secret => self.settings.secret_ttl,
        }
    }

    /// Whether requests of this kind go through the cache at all.
    pub fn active_for(&self, kind: Kind) -> bool {
        self.entries.is_some() && !self.ttl(kind).is_zero()
    }

    /// The cached body for this request, fresh or expired. An expired entry stays until a
    /// refresh replaces it or the bound evicts it, so a failed refresh can still serve it.
    pub fn get(&self, key: &Lookup) -> CacheRead {
        let Some(entries) = self.entries.as_ref() else {
            return CacheRead::Absent;
        };
        let ttl = self.ttl(key.kind());
        if ttl.is_zero() {
            return CacheRead::Absent;
        }
        let mut entries = entries.lock();
        let entry = if self.settings.promote_on_read {
            entries.get(key)
        } else {
            entries.peek(key)
        };
        match entry {
            Some(e) if e.stored.elapsed() < ttl => CacheRead::Fresh(e.body.clone()),
            Some(e) => CacheRead::Expired(e.body.clone()),
            None => CacheRead::Absent,
        }
    }

    /// Stores a success body (evicting the least recently used / oldest entry when full).
    pub fn put(&self, key: Lookup, body: Bytes) {
        let Some(entries) = self.entries.as_ref() else {
            return;
        };
        if self.ttl(key.kind()).is_zero() {
            return;
        }
        entries.lock().put(
            key,
            Entry {
                body,
                stored: Instant::now(),
            },
        );
    }

    pub fn clear(&self) {
        if let Some(entries) = &self.entries {
            entries.lock().clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SecretRequest;

    fn settings(size: usize, ttl_ms: u64) -> CacheSettings {
        CacheSettings {
            enabled: true,
            size,
            parameter_ttl: Duration::from_millis(ttl_ms),
            secret_ttl: Duration::from_millis(ttl_ms),
            promote_on_read: true,
        }
    }

    fn key(id: &str) -> Lookup {
        Lookup::Secret(SecretRequest {
            secret_id: id.to_string(),
            version_id: None,
            version_stage: None,
        })
    }

    #[test]
    fn hit_then_expiry() {
        let c = Cache::new(settings(10, 50));
        assert_eq!(c.get(&key("a")), CacheRead::Absent);
        c.put(key("a"), Bytes::from_static(b"x"));
        assert_eq!(c.get(&key("a")), CacheRead::Fresh(Bytes::from_static(b"x")));
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(
            c.get(&key("a")),
            CacheRead::Expired(Bytes::from_static(b"x"))
        );
        c.put(key("a"), Bytes::from_static(b"y"));
        assert_eq!(c.get(&key("a")), CacheRead::Fresh(Bytes::from_static(b"y")));
    }

    #[test]
    fn bounded() {
        let c = Cache::new(settings(2, 60_000));
        c.put(key("a"), Bytes::new());
        c.put(key("b"), Bytes::new());
        c.put(key("c"), Bytes::new());
        assert_eq!(c.get(&key("a")), CacheRead::Absent);
        assert!(matches!(c.get(&key("c")), CacheRead::Fresh(_)));
    }

    #[test]
    fn off_switches() {
        for s in [
            settings(0, 1000),
            settings(10, 0),
            CacheSettings {
                enabled: false,
                ..settings(10, 1000)
            },
        ] {
            let c = Cache::new(s);
            c.put(key("a"), Bytes::new());
            assert_eq!(c.get(&key("a")), CacheRead::Absent);
            assert!(!c.active_for(Kind::Secret));
        }
    }

    #[test]
    fn clear_empties() {
        let c = Cache::new(settings(10, 60_000));
        c.put(key("a"), Bytes::new());
        c.clear();
        assert_eq!(c.get(&key("a")), CacheRead::Absent);
    }
}
