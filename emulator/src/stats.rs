//! Counters behind `GET /_emulator/stats`: counts only, never names' values.
//!
//! Tests and benchmarks read these to prove, for example, that 1000 concurrent first reads
//! reached the extension once, or that a client's cache spared the upstream.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use serde::Serialize;

#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct KeyCounts {
    pub requests: u64,
    pub upstream_calls: u64,
    /// Requests that carried `refreshNow=true` (or `1`), whether the dialect knows it or not.
    pub refresh_now: u64,
    /// Failed refreshes answered with the expired cached value (agent dialect).
    pub stale_served: u64,
}

#[derive(Default)]
pub struct Stats {
    requests: AtomicU64,
    upstream_calls: AtomicU64,
    cache_hits: AtomicU64,
    errors: AtomicU64,
    refresh_now: AtomicU64,
    stale_served: AtomicU64,
    not_ready: AtomicU64,
    keys: Mutex<HashMap<String, KeyCounts>>,
}

/// The JSON document served at `/_emulator/stats`.
#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub requests: u64,
    pub upstream_calls: u64,
    pub cache_hits: u64,
    pub errors: u64,
    pub refresh_now: u64,
    pub stale_served: u64,
    /// Requests answered "not ready" (extension dialect; also counted in `errors`).
    pub not_ready: u64,
    /// Sorted for stable output.
    pub keys: BTreeMap<String, KeyCounts>,
}

impl Stats {
    /// A request to an API route, whatever happens to it next.
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// An API request answered with anything but 2xx.
    pub fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    /// An API request answered "not ready" (it is also an error).
    pub fn not_ready(&self) {
        self.not_ready.fetch_add(1, Ordering::Relaxed);
    }

    pub fn cache_hit(&self) {
        self.cache_hits.fetch_add(1, Ordering::Relaxed);
    }

    /// Bumps one per-key counter; looks up before inserting so a hit allocates nothing.
    fn bump_key(&self, key: &str, field: fn(&mut KeyCounts) -> &mut u64) {
        let mut keys = self.keys.lock();
        match keys.get_mut(key) {
            Some(k) => *field(k) += 1,
            None => {
                let mut k = KeyCounts::default();
                *field(&mut k) += 1;
                keys.insert(key.to_string(), k);
            }
        }
    }

    /// A request that got as far as looking its key up.
    pub fn key_request(&self, key: &str) {
        self.bump_key(key, |k| &mut k.requests);
    }

    /// A read of the store, i.e. what would have been a call to SSM / Secrets Manager.
    pub fn upstream_call(&self, key: &str) {
        self.upstream_calls.fetch_add(1, Ordering::Relaxed);
        self.bump_key(key, |k| &mut k.upstream_calls);
    }

    pub fn refresh_now(&self, key: &str) {
        self.refresh_now.fetch_add(1, Ordering::Relaxed);
        self.bump_key(key, |k| &mut k.refresh_now);
    }

    pub fn stale_served(&self, key: &str) {
        self.stale_served.fetch_add(1, Ordering::Relaxed);
        self.bump_key(key, |k| &mut k.stale_served);
    }

    pub fn reset(&self) {
        // Not atomic with respect to requests in flight; fine for a test knob that is called
        // between scenarios.
        self.requests.store(0, Ordering::Relaxed);
        self.upstream_calls.store(0, Ordering::Relaxed);
        self.cache_hits.store(0, Ordering::Relaxed);
        self.errors.store(0, Ordering::Relaxed);
        self.refresh_now.store(0, Ordering::Relaxed);
        self.stale_served.store(0, Ordering::Relaxed);
        self.not_ready.store(0, Ordering::Relaxed);
        self.keys.lock().clear();
    }

    pub fn snapshot(&self) -> Snapshot {
        let keys = self
            .keys
            .lock()
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        Snapshot {
            requests: self.requests.load(Ordering::Relaxed),
            upstream_calls: self.upstream_calls.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            refresh_now: self.refresh_now.load(Ordering::Relaxed),
            stale_served: self.stale_served.load(Ordering::Relaxed),
            not_ready: self.not_ready.load(Ordering::Relaxed),
            keys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_reset() {
        let s = Stats::default();
        s.request();
        s.key_request("parameter:/a");
        s.upstream_call("parameter:/a");
        s.request();
        s.key_request("parameter:/a");
        s.cache_hit();
        s.request();
        s.error();
        s.not_ready();
        s.refresh_now("secret:s");
        s.stale_served("secret:s");
        let json = serde_json::to_value(s.snapshot()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "requests": 3, "upstream_calls": 1, "cache_hits": 1, "errors": 1,
                "refresh_now": 1, "stale_served": 1, "not_ready": 1,
                "keys": {
                    "parameter:/a": {"requests": 2, "upstream_calls": 1, "refresh_now": 0, "stale_served": 0},
                    "secret:s": {"requests": 0, "upstream_calls": 0, "refresh_now": 1, "stale_served": 1}
                }
            })
        );
        s.reset();
        let json = serde_json::to_value(s.snapshot()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"requests": 0, "upstream_calls": 0, "cache_hits": 0, "errors": 0,
                               "refresh_now": 0, "stale_served": 0, "not_ready": 0, "keys": {}})
        );
    }
}
