//! The host-side memo of core's cache answers, as in bindings-node/lib/memo.js and
//! bindings-java's `Memo`: a repeated `get_parameter(name)` / `get_secret(secret_id)` without
//! options is answered from a dict keyed by the very `str` the caller passed, without entering
//! core's cache, and hands out the same (immutable) `str` or `bytes` object again. Core stays
//! the one place that decides; the memo only repeats an answer core gave while core would give
//! the same one:
//!
//! * Every entry comes from a core cache hit, with core's [`MemoTicket`]. Nothing else fills
//!   it: not a miss, not a read with options, not a batch.
//! * Dropped anywhere in core means dropped here. Core bumps one generation per client (in
//!   [`MemoShared`]) on every invalidate, clear, refill and eviction; the entries were filled at
//!   the generation `seen`, and once core's reads anything else none is served and all are
//!   forgotten at the next look, so no value stays here after core let it go.
//! * Freshness is decided on core's clock (`Instant`), read *before* core's lookup and with
//!   core's age subtracted: the memo's fetched-at is no later than core's, so it can only stop
//!   serving early, never late.
//! * LRU recency: a memo hit sets its entry's touch flag, which core honours before evicting.
//! * Stats: core never sees memo hits; the memo counts them and `stats()` adds them.
//!
//! All of it runs with the GIL held: the dicts are only touched from here, with exact `str`
//! keys (a `str` subclass could run Python code in `__eq__`; those reads go to core).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use paramsecrets::{MemoShared, MemoTicket};

/// One remembered answer: the object handed out, fresh until `until`, core's touch slot.
#[pyclass(frozen, module = "paramsecrets")]
struct Entry {
    value: Py<PyAny>,
    until: Instant,
    slot: u32,
}

/// Which reads a memo answers: one dict per kind, so a parameter and a secret of the same
/// name never meet.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Parameter,
    Secret,
}

pub(crate) struct Memo {
    shared: Arc<MemoShared>,
    /// The generation every entry was filled at (`u64::MAX`: none yet).
    seen: AtomicU64,
    parameters: Py<PyDict>,
    secrets: Py<PyDict>,
    hits: AtomicU64,
}

impl Memo {
    pub(crate) fn new(py: Python<'_>, shared: Arc<MemoShared>) -> Memo {
        Memo {
            shared,
            seen: AtomicU64::new(u64::MAX),
            parameters: PyDict::new(py).unbind(),
            secrets: PyDict::new(py).unbind(),
            hits: AtomicU64::new(0),
        }
    }

    fn map<'py>(&self, py: Python<'py>, kind: Kind) -> &Bound<'py, PyDict> {
        match kind {
            Kind::Parameter => self.parameters.bind(py),
            Kind::Secret => self.secrets.bind(py),
        }
    }

    /// The object core would answer this read with now, if the memo has it; counts the hit
    /// and touches core's entry. `None`: ask core.
    #[inline]
    pub(crate) fn read(
        &self,
        py: Python<'_>,
        kind: Kind,
        key: &Bound<'_, PyString>,
    ) -> Option<Py<PyAny>> {
        let generation = self.shared.generation();
        if generation != self.seen.load(Relaxed) {
            self.forget(py);
            return None;
        }
        if !key.is_exact_instance_of::<PyString>() {
            return None;
        }
        let found = self.map(py, kind).get_item(key).ok()??;
        let entry = found.cast::<Entry>().ok()?.get();
        if Instant::now() >= entry.until {
            return None;
        }
        self.shared.touch(entry.slot);
        self.hits.fetch_add(1, Relaxed);
        Some(entry.value.clone_ref(py))
    }

    /// Keeps core's hit (`value`, made from it for this read, and its ticket) under `key`;
    /// `t0` is the clock read before core's lookup.
    pub(crate) fn remember(
        &self,
        py: Python<'_>,
        kind: Kind,
        key: &Bound<'_, PyString>,
        value: &Py<PyAny>,
        ticket: MemoTicket,
        t0: Instant,
    ) {
        if !key.is_exact_instance_of::<PyString>()
            // Core changed since the lookup: the value may already be gone there.
            || self.shared.generation() != ticket.generation
        {
            return;
        }
        let Some(until) = t0
            .checked_sub(ticket.age)
            .and_then(|fetched| fetched.checked_add(ticket.ttl))
        else {
            return;
        };
        if self.seen.load(Relaxed) != ticket.generation {
            self.forget(py);
            self.seen.store(ticket.generation, Relaxed);
        }
        let entry = Entry {
            value: value.clone_ref(py),
            until,
            slot: ticket.slot,
        };
        // Only a failed allocation can fail here; the read still has its value.
        let _ = Bound::new(py, entry).and_then(|e| self.map(py, kind).set_item(key, e));
    }

    /// Drops every entry (an invalidate, a clear, a moved generation).
    pub(crate) fn forget(&self, py: Python<'_>) {
        self.parameters.bind(py).clear();
        self.secrets.bind(py).clear();
    }

    /// The reads this memo answered (core's `hits` does not count them).
    pub(crate) fn hits(&self) -> u64 {
        self.hits.load(Relaxed)
    }
}
