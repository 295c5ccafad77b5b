//! The L1 cache: a bounded LRU of parsed answers keyed by the exact request.
//!
//! Lookups take a borrowed [`KeyRef`], so a hit is one lock, one hash lookup, a TTL check and
//! an `Arc` clone: no allocation, no runtime, no environment read.
//!
//! ## Host memos ([`MemoShared`])
//!
//! In Node and Java one native call costs more than a map lookup, so those bindings keep a
//! host-side memo of core's answers and serve repeated reads from it without calling in. Core
//! stays the one place that decides; the memo only repeats an answer while core would give the
//! same one. Two words of shared memory make that possible, both read by the host without a
//! call:
//!
//! * the **generation**: bumped (under the cache lock, with `Release`) whenever the cache drops,
//!   replaces or evicts anything: `invalidate`, `clear`, a refill of a present key, an
//!   eviction at capacity. Every lookup that hands out a [`MemoTicket`] reads it under the same
//!   lock, so a memo entry stamped with generation `g` is exactly as current as the cache while
//!   the counter still reads `g`; an insert of a new key into free room changes nothing the
//!   memo holds and does not bump.
//! * the **touch flags**: one byte per slot (an entry keeps its slot while it is cached). A memo
//!   hit writes 1 into its entry's slot; before evicting, the cache gives every flagged entry
//!   at the cold end a second chance (clears the flag, moves it to the hot end), so a key read
//!   only through the memo is not evicted as if it were cold. Reads that reach core promote the
//!   entry themselves, as before.
//!
//! Freshness (TTL, `max_age`) is decided from the ticket's `age` and `ttl`; hit counts are kept
//! by the host and added to [`Stats`](crate::Stats) by the binding (see [`MemoTicket`]).

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
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

    pub(crate) fn name(&self) -> (bool, &str) {
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
    /// This entry's index into [`MemoShared`]'s touch flags.
    slot: u32,
}

/// The memory a host memo reads without a call (see the module docs). Lives as long as the
/// longest holder of its `Arc`: the client, and any host view of it (a napi external buffer's
/// finaliser, a Java `MemorySegment` owner).
///
/// Layout, native byte order:
///
/// | where | what |
/// |---|---|
/// | header + 0 | generation, `u64`; written with `Release`, read it with acquire semantics (Java: `VarHandle.getAcquire`) |
/// | header + 8 | the same generation as an IEEE-754 `f64` (exact below 2^53), for hosts whose numbers are doubles (a JavaScript `Float64Array`) |
/// | header + 16 .. 64 | reserved, zero |
/// | touch + slot | one byte per slot, `0..capacity`: the host writes 1 on a memo hit; core clears it |
#[derive(Debug)]
pub struct MemoShared {
    header: Header,
    touched: Box<[AtomicU8]>,
}

// The layout hosts rely on (see the table above).
const _: () = assert!(std::mem::size_of::<Header>() == 64);

#[derive(Debug, Default)]
#[repr(C, align(64))]
struct Header {
    generation: AtomicU64,
    generation_f64: AtomicU64,
    reserved: [u64; 6],
}

impl MemoShared {
    /// Bytes of the header (generation words and reserved space).
    pub const HEADER_LEN: usize = std::mem::size_of::<Header>();

    fn new(slots: usize) -> MemoShared {
        MemoShared {
            header: Header::default(),
            touched: (0..slots).map(|_| AtomicU8::new(0)).collect(),
        }
    }

    /// The current generation (what a host reads at header + 0).
    pub fn generation(&self) -> u64 {
        self.header.generation.load(Ordering::Acquire)
    }

    /// Only under the cache lock: lookups that stamp tickets read the counter under the same
    /// lock, so no ticket can carry the new generation with a value this change dropped.
    fn bump(&self) {
        let g = self
            .header
            .generation
            .load(Ordering::Relaxed)
            .wrapping_add(1);
        self.header.generation.store(g, Ordering::Release);
        // Precision loss past 2^53 bumps could make two generations equal: unreachable (at
        // one bump per nanosecond it takes 104 days).
        #[allow(clippy::cast_precision_loss)]
        self.header
            .generation_f64
            .store((g as f64).to_bits(), Ordering::Release);
    }

    /// Start of the header, [`HEADER_LEN`](Self::HEADER_LEN) bytes, for a host view. Hosts
    /// only read it.
    pub fn header_ptr(&self) -> *mut u8 {
        std::ptr::from_ref(&self.header).cast_mut().cast()
    }

    /// Start of the touch flags, [`slots`](Self::slots) bytes (none when the cache is off).
    pub fn touch_ptr(&self) -> *mut u8 {
        self.touched.as_ptr().cast_mut().cast()
    }

    /// How many touch flags there are: the cache's capacity.
    pub fn slots(&self) -> usize {
        self.touched.len()
    }

    /// What a host does on a memo hit, for hosts that call rather than write the byte.
    pub fn touch(&self, slot: u32) {
        if let Some(t) = self.touched.get(slot as usize) {
            t.store(1, Ordering::Relaxed);
        }
    }

    fn take_touch(&self, slot: u32) -> bool {
        self.touched
            .get(slot as usize)
            .is_some_and(|t| t.swap(0, Ordering::Relaxed) != 0)
    }
}

/// What a lookup hands a host memo along with the value: the generation it was read at, the
/// entry's touch slot and its age. The client adds the TTL that applies (see
/// `Client::cached_parameter_memo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoTicket {
    /// The generation under the same lock as the lookup: the memo entry is good while
    /// [`MemoShared::generation`] still equals it.
    pub generation: u64,
    /// The entry's touch slot: write 1 at touch + slot on every memo hit.
    pub slot: u32,
    /// How old the value was at the lookup. A host takes its own monotonic clock *before*
    /// the call and subtracts this: its fetched-at is then no later than core's, so every
    /// age the host computes is at least the real one (conservative).
    pub age: Duration,
    /// How long a value of this kind stays fresh without `max_age` (the kind's TTL). A read
    /// with `max_age` compares the age with `max_age` instead, exactly as core does.
    pub ttl: Duration,
}

struct Lru {
    map: LruCache<CacheKey, Entry>,
    /// Slots of dropped entries, to reuse.
    free: Vec<u32>,
    /// Slots `next..capacity` were never used.
    next: u32,
}

impl Lru {
    fn release(&mut self, slot: u32) {
        self.free.push(slot);
    }

    fn take_slot(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            let s = self.next;
            self.next += 1;
            s
        })
    }
}

/// A hit: the value, with what a host memo needs to repeat it.
pub(crate) struct Hit {
    pub(crate) value: CachedValue,
    pub(crate) generation: u64,
    pub(crate) slot: u32,
    pub(crate) age: Duration,
}

/// The bounded LRU. Capacity 0 turns it off.
pub(crate) struct Cache {
    lru: Option<Mutex<Lru>>,
    shared: Arc<MemoShared>,
    /// Bumped (under the lock) by every `invalidate` and `clear`, whatever they dropped. A
    /// fetch notes it when its request starts and stores its answer only if it has not moved
    /// ([`insert_since`](Self::insert_since)): an answer requested before an invalidation
    /// must not refill the cache after it.
    drops: AtomicU64,
}

impl Cache {
    pub(crate) fn new(capacity: usize) -> Cache {
        // Slots are u32: no cache this size fits in memory anyway.
        let capacity = capacity.min(u32::MAX as usize);
        let lru = NonZeroUsize::new(capacity).map(|c| {
            Mutex::new(Lru {
                map: LruCache::new(c),
                free: Vec::new(),
                next: 0,
            })
        });
        let slots = if lru.is_some() { capacity } else { 0 };
        Cache {
            lru,
            shared: Arc::new(MemoShared::new(slots)),
            drops: AtomicU64::new(0),
        }
    }

    /// How many `invalidate`/`clear` calls there have been: note it before a request, pass
    /// it to [`insert_since`](Self::insert_since) with the answer.
    pub(crate) fn drops(&self) -> u64 {
        self.drops.load(Ordering::Acquire)
    }

    fn dropped(&self) {
        self.drops.fetch_add(1, Ordering::Release);
    }

    pub(crate) fn shared(&self) -> &Arc<MemoShared> {
        &self.shared
    }

    /// A value fetched less than `max_age` ago. The hot path: one lock, one lookup.
    #[inline]
    pub(crate) fn get(&self, key: KeyRef<'_>, max_age: Duration) -> Option<Hit> {
        if max_age.is_zero() {
            return None;
        }
        let lru = self.lru.as_ref()?;
        let mut lru = lru.lock();
        // Read under the lock that every bump holds: see `MemoShared::bump`.
        let generation = self.shared.header.generation.load(Ordering::Relaxed);
        let entry = lru.map.get(&key as &dyn AsKeyRef)?;
        let age = entry.fetched_at.elapsed();
        (age < max_age).then(|| Hit {
            value: entry.value.clone(),
            generation,
            slot: entry.slot,
            age,
        })
    }

    /// Stores a fresh answer requested when [`drops`](Self::drops) read `since`; returns
    /// whether another entry was evicted to make room. Stores nothing when an `invalidate` or
    /// `clear` came in between: the answer may hold what they dropped (it goes to the reads
    /// that waited for it, not to later ones). `fetched_at` is when the request that brought
    /// it was sent: the value may be that old already, so its age counts from there.
    pub(crate) fn insert_since(
        &self,
        key: CacheKey,
        value: CachedValue,
        since: u64,
        fetched_at: Instant,
    ) -> bool {
        let Some(lru) = &self.lru else { return false };
        let mut lru = lru.lock();
        if self.drops.load(Ordering::Relaxed) != since {
            return false;
        }
        if let Some(e) = lru.map.get_mut(&key) {
            // A refill: the old value goes, so memo entries holding it must too.
            e.value = value;
            e.fetched_at = fetched_at;
            self.shared.bump();
            return false;
        }
        let mut evicted = false;
        if lru.map.len() == lru.map.cap().get() {
            self.second_chances(&mut lru.map);
            if let Some((_, old)) = lru.map.pop_lru() {
                lru.release(old.slot);
                evicted = true;
                self.shared.bump();
            }
        }
        let slot = lru.take_slot();
        // A touch left by the slot's previous entry says nothing about this one.
        self.shared.take_touch(slot);
        lru.map.push(
            key,
            Entry {
                value,
                fetched_at,
                slot,
            },
        );
        evicted
    }

    /// Moves entries at the cold end that a host memo touched since they were last looked at
    /// to the hot end (clearing their flags), so the eviction that follows takes an entry
    /// nobody read. Bounded by the length: each turn clears a flag.
    fn second_chances(&self, map: &mut LruCache<CacheKey, Entry>) {
        for _ in 0..map.len() {
            let touched = match map.peek_lru() {
                Some((_, e)) => self.shared.take_touch(e.slot),
                None => return,
            };
            if !touched {
                return;
            }
            if let Some((k, e)) = map.pop_lru() {
                map.push(k, e);
            }
        }
    }

    pub(crate) fn clear(&self) {
        if let Some(lru) = &self.lru {
            let mut lru = lru.lock();
            lru.map.clear();
            lru.free.clear();
            lru.next = 0;
            self.dropped();
            self.shared.bump();
        }
    }

    /// Drops every entry of one parameter (or secret), whatever its version, label or stage.
    pub(crate) fn invalidate(&self, parameter: bool, name: &str) -> usize {
        let Some(lru) = &self.lru else { return 0 };
        let mut lru = lru.lock();
        self.dropped();
        let doomed: Vec<CacheKey> = lru
            .map
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.name() == (parameter, name))
            .cloned()
            .collect();
        for k in &doomed {
            if let Some(e) = lru.map.pop(k) {
                lru.release(e.slot);
            }
        }
        if !doomed.is_empty() {
            self.shared.bump();
        }
        doomed.len()
    }

    pub(crate) fn len(&self) -> usize {
        self.lru.as_ref().map(|l| l.lock().map.len()).unwrap_or(0)
    }
}

#[cfg(test)]
impl Cache {
    fn insert(&self, key: CacheKey, value: CachedValue) -> bool {
        self.insert_since(key, value, self.drops(), Instant::now())
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

    fn value_of(v: Option<Hit>) -> Option<String> {
        match v?.value {
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

    fn gen_of(cache: &Cache) -> u64 {
        cache.shared().generation()
    }

    fn f64_gen_of(cache: &Cache) -> f64 {
        // What a JavaScript `Float64Array` over the header reads at offset 8.
        let words = cache.shared().header_ptr().cast::<u64>();
        // SAFETY: the header is 64 aligned bytes, alive while `cache` is.
        f64::from_bits(unsafe { words.add(1).read_volatile() })
    }

    #[test]
    fn the_generation_moves_on_every_drop_replace_and_eviction_only() {
        let cache = Cache::new(2);
        let a = KeyRef::Parameter(ParameterRequest::new("/a"));
        let b = KeyRef::Parameter(ParameterRequest::new("/b"));
        let c = KeyRef::Parameter(ParameterRequest::new("/c"));
        let g0 = gen_of(&cache);
        cache.insert(a.into(), param("a"));
        cache.insert(b.into(), param("b"));
        assert_eq!(gen_of(&cache), g0, "a new key into free room drops nothing");
        let hit = cache.get(a, LONG).map(|h| h.generation);
        assert_eq!(
            hit,
            Some(g0),
            "a ticket carries the generation of its lookup"
        );
        cache.insert(a.into(), param("a2"));
        assert_eq!(gen_of(&cache), g0 + 1, "a refill replaces the value");
        cache.insert(c.into(), param("c"));
        assert_eq!(gen_of(&cache), g0 + 2, "an eviction at capacity");
        assert_eq!(cache.invalidate(true, "/nothing"), 0);
        assert_eq!(gen_of(&cache), g0 + 2, "invalidating nothing drops nothing");
        assert_eq!(cache.invalidate(true, "/a"), 1);
        assert_eq!(gen_of(&cache), g0 + 3, "invalidate");
        cache.clear();
        assert_eq!(gen_of(&cache), g0 + 4, "clear");
        assert_eq!(
            f64_gen_of(&cache),
            (g0 + 4) as f64,
            "the f64 word says the same"
        );
        assert_eq!(cache.get(c, LONG).map(|h| h.generation), None);
    }

    #[test]
    fn a_touched_entry_gets_a_second_chance_before_eviction() {
        let cache = Cache::new(2);
        let a = KeyRef::Parameter(ParameterRequest::new("/a"));
        let b = KeyRef::Parameter(ParameterRequest::new("/b"));
        let c = KeyRef::Parameter(ParameterRequest::new("/c"));
        let d = KeyRef::Parameter(ParameterRequest::new("/d"));
        cache.insert(a.into(), param("a"));
        let slot_a = cache.get(a, LONG).map(|h| h.slot);
        cache.insert(b.into(), param("b"));
        let slot_b = cache.get(b, LONG).map(|h| h.slot);
        assert_ne!(slot_a, slot_b);
        // `a` is now the cold end as far as core knows; a memo serves it and touches it.
        let slot_a = slot_a.unwrap_or(u32::MAX);
        cache.shared().touch(slot_a);
        assert!(cache.insert(c.into(), param("c")));
        assert!(cache.get(a, LONG).is_some(), "the memo's hot key stays");
        assert!(cache.get(b, LONG).is_none(), "the cold one goes");
        // The flag was spent: untouched since, `a` is the cold end again after `c` is read.
        assert!(cache.get(c, LONG).is_some());
        assert!(cache.insert(d.into(), param("d")));
        assert!(cache.get(a, LONG).is_none());
        // The freed slot is reused.
        let slot_d = cache.get(d, LONG).map(|h| h.slot);
        assert_eq!(slot_d, Some(slot_a));
    }

    #[test]
    fn every_entry_touched_still_evicts_one() {
        let cache = Cache::new(3);
        let keys = ["/a", "/b", "/c"].map(|n| KeyRef::Parameter(ParameterRequest::new(n)));
        for k in keys {
            cache.insert(k.into(), param("v"));
        }
        for slot in 0..3 {
            cache.shared().touch(slot);
        }
        let d = KeyRef::Parameter(ParameterRequest::new("/d"));
        assert!(cache.insert(d.into(), param("d")));
        assert_eq!(cache.len(), 3);
        assert!(
            cache.get(keys[0], LONG).is_none(),
            "all equal: the oldest goes"
        );
    }

    #[test]
    fn a_ticket_tells_the_age() {
        let cache = Cache::new(2);
        let a = KeyRef::Parameter(ParameterRequest::new("/a"));
        cache.insert(a.into(), param("a"));
        std::thread::sleep(Duration::from_millis(3));
        let age = cache.get(a, LONG).map(|h| h.age).unwrap_or_default();
        assert!(age >= Duration::from_millis(3) && age < LONG, "{age:?}");
    }

    #[test]
    fn capacity_zero_stores_nothing() {
        let cache = Cache::new(0);
        let k = KeyRef::Parameter(ParameterRequest::new("/a"));
        assert!(!cache.insert(k.into(), param("v")));
        assert!(cache.get(k, LONG).is_none());
        assert_eq!(cache.shared().slots(), 0);
    }
}
