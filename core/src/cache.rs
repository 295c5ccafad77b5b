//! The L1 cache: a bounded LRU of parsed answers keyed by the exact request.
//!
//! Lookups take a borrowed [`KeyRef`], so a hit is one lock, one hash lookup, a TTL check and
//! an `Arc` clone: no allocation, no runtime, no environment read.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lru::LruCache;
use parking_lot::Mutex;

use crate::types::{Parameter, ParameterRequest, Secret, SecretRequest, Selector};

/// One cached answer.
#[derive(Clone, Debug)]
pub(crate) enum CachedValue {
    Parameter(Arc<Parameter>),
    Secret(Arc<Secret>),
}

/// A borrowed view of a request: what a lookup hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum KeyRef<'a> {
    Parameter(ParameterRequest<'a>),
    Secret(SecretRequest<'a>),
}

/// The owned form of [`KeyRef`], stored in the cache and the in-flight map.
#[derive(Clone, Debug)]
pub(crate) enum CacheKey {
    Parameter {
        name: Box<str>,
        decrypt: bool,
        version: Option<u64>,
        label: Option<Box<str>>,
    },
    Secret {
        id: Box<str>,
        version_id: Option<Box<str>>,
        version_stage: Option<Box<str>>,
    },
}

impl CacheKey {
    pub(crate) fn as_ref(&self) -> KeyRef<'_> {
        match self {
            CacheKey::Parameter {
                name,
                decrypt,
                version,
                label,
            } => KeyRef::Parameter(ParameterRequest {
                name,
                decrypt: *decrypt,
                selector: match (version, label) {
                    (Some(v), _) => Selector::Version(*v),
                    (None, Some(l)) => Selector::Label(l),
                    (None, None) => Selector::Latest,
                },
            }),
            CacheKey::Secret {
                id,
                version_id,
                version_stage,
            } => KeyRef::Secret(SecretRequest {
                secret_id: id,
                version_id: version_id.as_deref(),
                version_stage: version_stage.as_deref(),
            }),
        }
    }

    fn name(&self) -> (bool, &str) {
        match self {
            CacheKey::Parameter { name, .. } => (true, name),
            CacheKey::Secret { id, .. } => (false, id),
        }
    }
}

impl From<KeyRef<'_>> for CacheKey {
    fn from(k: KeyRef<'_>) -> CacheKey {
        match k {
            KeyRef::Parameter(p) => CacheKey::Parameter {
                name: p.name.into(),
                decrypt: p.decrypt,
                version: match p.selector {
                    Selector::Version(v) => Some(v),
                    _ => None,
                },
                label: match p.selector {
                    Selector::Label(l) => Some(l.into()),
                    _ => None,
                },
            },
            KeyRef::Secret(s) => CacheKey::Secret {
                id: s.secret_id.into(),
                version_id: s.version_id.map(Into::into),
                version_stage: s.version_stage.map(Into::into),
            },
        }
    }
}

/// Lets the map be searched with a borrowed [`KeyRef`] although it stores [`CacheKey`]s:
/// both hash and compare through `KeyRef`.
pub(crate) trait AsKeyRef {
    fn key_ref(&self) -> KeyRef<'_>;
}

impl AsKeyRef for CacheKey {
    fn key_ref(&self) -> KeyRef<'_> {
        self.as_ref()
    }
}

impl AsKeyRef for KeyRef<'_> {
    fn key_ref(&self) -> KeyRef<'_> {
        *self
    }
}

impl Hash for dyn AsKeyRef + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key_ref().hash(state);
    }
}

impl PartialEq for dyn AsKeyRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.key_ref() == other.key_ref()
    }
}

impl Eq for dyn AsKeyRef + '_ {}

impl Hash for CacheKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_ref().hash(state);
    }
}

impl PartialEq for CacheKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_ref() == other.as_ref()
    }
}

impl Eq for CacheKey {}

impl<'a> Borrow<dyn AsKeyRef + 'a> for CacheKey {
    fn borrow(&self) -> &(dyn AsKeyRef + 'a) {
        self
    }
}

struct Entry {
    value: CachedValue,
    fetched_at: Instant,
}

/// The bounded LRU. Capacity 0 turns it off.
pub(crate) struct Cache {
    lru: Option<Mutex<LruCache<CacheKey, Entry>>>,
}

impl Cache {
    pub(crate) fn new(capacity: usize) -> Cache {
        Cache {
            lru: NonZeroUsize::new(capacity).map(|c| Mutex::new(LruCache::new(c))),
        }
    }

    /// A value fetched less than `max_age` ago. The hot path.
    #[inline]
    pub(crate) fn get(&self, key: KeyRef<'_>, max_age: Duration) -> Option<CachedValue> {
        if max_age.is_zero() {
            return None;
        }
        let lru = self.lru.as_ref()?;
        let mut lru = lru.lock();
        let entry = lru.get(&key as &dyn AsKeyRef)?;
        (entry.fetched_at.elapsed() < max_age).then(|| entry.value.clone())
    }

    /// Stores a fresh answer; returns whether another entry was evicted to make room.
    pub(crate) fn insert(&self, key: CacheKey, value: CachedValue) -> bool {
        let Some(lru) = &self.lru else { return false };
        let entry = Entry {
            value,
            fetched_at: Instant::now(),
        };
        let mut lru = lru.lock();
        // `put` hands back this key's previous entry, if any; a new key into a full cache
        // evicts the least recently used one. (No key clone just to compare keys afterwards.)
        let full = lru.len() == lru.cap().get();
        lru.put(key, entry).is_none() && full
    }

    pub(crate) fn clear(&self) {
        if let Some(lru) = &self.lru {
            lru.lock().clear();
        }
    }

    /// Drops every entry of one parameter (or secret), whatever its version, label or stage.
    pub(crate) fn invalidate(&self, parameter: bool, name: &str) -> usize {
        let Some(lru) = &self.lru else { return 0 };
        let mut lru = lru.lock();
        let doomed: Vec<CacheKey> = lru
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.name() == (parameter, name))
            .cloned()
            .collect();
        for k in &doomed {
            lru.pop(k);
        }
        doomed.len()
    }

    pub(crate) fn len(&self) -> usize {
        self.lru.as_ref().map(|l| l.lock().len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ParameterType, Sensitive};

    fn param(v: &str) -> CachedValue {
        CachedValue::Parameter(Arc::new(Parameter {
            name: "n".into(),
            value: crate::types::Value::String(Sensitive::new(v.into())),
            parameter_type: ParameterType::String,
            version: 1,
            arn: None,
            last_modified: None,
            data_type: None,
            selector: None,
            source_result: None,
        }))
    }

    fn value_of(v: Option<CachedValue>) -> Option<String> {
        match v? {
            CachedValue::Parameter(p) => p.text().map(str::to_string),
            CachedValue::Secret(_) => None,
        }
    }

    const LONG: Duration = Duration::from_secs(60);

    #[test]
    fn keys_distinguish_every_part_of_the_request() {
        let cache = Cache::new(10);
        let reqs = [
            KeyRef::Parameter(ParameterRequest::new("/a")),
            KeyRef::Parameter(ParameterRequest::new("/a").decrypt(false)),
            KeyRef::Parameter(ParameterRequest::new("/a").version(1)),
            KeyRef::Parameter(ParameterRequest::new("/a").label("1")),
            KeyRef::Secret(SecretRequest::new("/a")),
            KeyRef::Secret(SecretRequest::new("/a").version_id("1")),
            KeyRef::Secret(SecretRequest::new("/a").version_stage("1")),
        ];
        for (i, r) in reqs.iter().enumerate() {
            cache.insert(CacheKey::from(*r), param(&i.to_string()));
        }
        for (i, r) in reqs.iter().enumerate() {
            assert_eq!(value_of(cache.get(*r, LONG)), Some(i.to_string()));
        }
        assert_eq!(cache.len(), reqs.len());
    }

    #[test]
    fn entries_expire_after_max_age() {
        let cache = Cache::new(10);
        let k = KeyRef::Parameter(ParameterRequest::new("/a"));
        cache.insert(k.into(), param("v"));
        assert!(cache.get(k, LONG).is_some());
        assert!(cache.get(k, Duration::ZERO).is_none());
        std::thread::sleep(Duration::from_millis(5));
        assert!(cache.get(k, Duration::from_millis(1)).is_none());
        // Still there for stale-if-error.
        assert!(cache.get(k, LONG).is_some());
    }

    #[test]
    fn least_recently_used_is_evicted_first() {
        let cache = Cache::new(2);
        let a = KeyRef::Parameter(ParameterRequest::new("/a"));
        let b = KeyRef::Parameter(ParameterRequest::new("/b"));
        let c = KeyRef::Parameter(ParameterRequest::new("/c"));
        assert!(!cache.insert(a.into(), param("a")));
        assert!(!cache.insert(b.into(), param("b")));
        assert!(cache.get(a, LONG).is_some());
        assert!(cache.insert(c.into(), param("c")));
        assert!(cache.get(b, LONG).is_none());
        assert!(cache.get(a, LONG).is_some());
        // Replacing a key is not an eviction.
        assert!(!cache.insert(a.into(), param("a2")));
        assert_eq!(value_of(cache.get(a, LONG)).as_deref(), Some("a2"));
    }

    #[test]
    fn invalidate_drops_every_variant_of_one_name_and_kind() {
        let cache = Cache::new(10);
        cache.insert(
            KeyRef::Parameter(ParameterRequest::new("/a")).into(),
            param("1"),
        );
        cache.insert(
            KeyRef::Parameter(ParameterRequest::new("/a").version(2)).into(),
            param("2"),
        );
        cache.insert(KeyRef::Secret(SecretRequest::new("/a")).into(), param("3"));
        cache.insert(
            KeyRef::Parameter(ParameterRequest::new("/b")).into(),
            param("4"),
        );
        assert_eq!(cache.invalidate(true, "/a"), 2);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.invalidate(false, "/a"), 1);
        cache.clear();
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn capacity_zero_stores_nothing() {
        let cache = Cache::new(0);
        let k = KeyRef::Parameter(ParameterRequest::new("/a"));
        assert!(!cache.insert(k.into(), param("v")));
        assert!(cache.get(k, LONG).is_none());
    }
}
