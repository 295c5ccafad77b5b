//! The async client: L1 lookups, single-flight fetches, retries, stale-if-error, batches.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use futures_util::future::{BoxFuture, FutureExt, Shared};
use futures_util::stream::{FuturesOrdered, StreamExt};
use parking_lot::Mutex;

use crate::cache::{Cache, CacheKey, CachedValue, Hit, KeyRef, MemoShared, MemoTicket};
use crate::config::{ClientBuilder, Config, ServerKind};
use crate::error::{Error, ErrorCode, Result, Retry};
use crate::protocol;
use crate::retry;
use crate::transport;
use crate::types::{Parameter, ParameterRequest, ReadOptions, Secret, SecretRequest, Stats};

/// At most this many requests of one batch are in flight at once.
pub const BATCH_CONCURRENCY: usize = 8;

/// On Lambda, how long a read retries "not ready" (and refused connections) before deciding it
/// runs during INIT. The managed extension serves nothing until INIT is over, and INIT cannot
/// end while init code waits, so waiting longer only delays the failure (and bills INIT time).
/// What it must absorb is the start-up race: the first invocation's read reaching the
/// extension a few milliseconds before the extension has seen its own INVOKE event (Lambda
/// hands INVOKE to the runtime and to the extensions from separate goroutines). A server that
/// holds a not-ready request for its INVOKE (the emulator: up to 50 ms) absorbs the race in one
/// attempt; one that answers at once gets three or more attempts in this window. Every
/// millisecond past the race is INIT time a mistaken module-scope read bills for nothing
/// (80 ms here made such a read add 70-170 ms to a Java INIT under RIE).
pub const LAMBDA_STARTUP_RACE: Duration = Duration::from_millis(50);

/// How long a prefetch keeps waiting for the extension to serve: Lambda's INIT limit.
pub const PREFETCH_READY_WINDOW: Duration = Duration::from_secs(10);

/// One request in flight, run by a task of its own and awaited by every read that joins it:
/// a read dropped mid-flight (a `timeout`, a `select!`) leaves it running to its end.
type Flight = Shared<BoxFuture<'static, Result<CachedValue>>>;

/// What a prefetch has heard so far, for the reads that join it: such a read waits for the
/// prefetch only as long as a read of its own would have waited (its start-up window, its
/// deadline), not through the prefetch's INIT-long window.
#[derive(Default)]
struct PrefetchProgress {
    /// The last attempt's start-up error ("not ready", refused), or `None` once the server
    /// answered something else.
    startup_error: Mutex<Option<Error>>,
    /// Notified after every attempt.
    attempted: tokio::sync::Notify,
}

impl PrefetchProgress {
    /// An attempt failed with `err`.
    fn record(&self, err: &Error) {
        *self.startup_error.lock() = (err.retry() == Retry::StartUp).then(|| err.clone());
        self.attempted.notify_waiters();
    }
}

/// Reads parameters and secrets through the extension, with an in-process cache.
///
/// Cheap to clone; clones share the cache, the connection pool and the counters.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    cache: Cache,
    flights: Mutex<Flights>,
    counters: Counters,
    /// The server as configured, or as learned from its answers ([`ServerKind`] as u8).
    server: AtomicU8,
    /// Wakes prefetches sleeping between "not ready" attempts: a read that joins one is the
    /// sign that INIT is over, so it should not wait out its backoff.
    wake_prefetches: tokio::sync::Notify,
    /// Bumped with every such wake-up, so a prefetch that was busy with an attempt when it came
    /// does not sleep past it.
    wake_epoch: AtomicU64,
}

struct InFlight {
    id: u64,
    flight: Flight,
    /// Set for a prefetch: see [`PrefetchProgress`].
    progress: Option<Arc<PrefetchProgress>>,
    /// A read joined it: that read gets its outcome, so a prefetch's failure is not also kept
    /// for the next read.
    joined: bool,
}

/// State that does not survive `fork()`: the connection pool belongs to the parent's runtime
/// and the requests in flight will never finish in the child.
struct Flights {
    pid: u32,
    http: reqwest::Client,
    /// The request in flight per key, with its id: a flight removes itself only if it is
    /// still the one there (an invalidation may have detached it and a newer one taken its
    /// place).
    in_flight: HashMap<CacheKey, InFlight>,
    next_flight: u64,
    /// Prefetches that failed for a reason a new request would not change (not found,
    /// denied, a bad token): handed to the first read of that key, once.
    prefetch_failures: HashMap<CacheKey, Error>,
}

/// How a flight was started: it decides the URL and how long start-up errors are retried.
#[derive(Clone, Copy, Default)]
struct FlightKind {
    /// `force_fetch`: ask the Agent to bypass its own cache too (`refreshNow=true`).
    refresh: bool,
    /// Started by `prefetch`: waits out INIT in the background.
    prefetch: bool,
}

const SERVER_AUTO: u8 = 0;
const SERVER_EXTENSION: u8 = 1;
const SERVER_AGENT: u8 = 2;

fn server_code(kind: ServerKind) -> u8 {
    match kind {
        ServerKind::Auto => SERVER_AUTO,
        ServerKind::Extension => SERVER_EXTENSION,
        ServerKind::Agent => SERVER_AGENT,
    }
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    stale_served: AtomicU64,
    coalesced: AtomicU64,
    requests: AtomicU64,
    retries: AtomicU64,
    errors: AtomicU64,
    evictions: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Relaxed);
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("cached_entries", &self.inner.cache.len())
            .finish()
    }
}

impl ClientBuilder {
    /// Resolves the configuration and builds the client.
    pub fn build(&self) -> Result<Client> {
        Client::from_config(self.build_config()?)
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment alone.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().build()
    }

    pub fn from_config(config: Config) -> Result<Client> {
        let http = transport::build_http(&config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                cache: Cache::new(config.cache_size),
                flights: Mutex::new(Flights {
                    pid: std::process::id(),
                    http,
                    in_flight: HashMap::new(),
                    next_flight: 0,
                    prefetch_failures: HashMap::new(),
                }),
                counters: Counters::default(),
                server: AtomicU8::new(server_code(config.server)),
                wake_prefetches: tokio::sync::Notify::new(),
                wake_epoch: AtomicU64::new(0),
                config,
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The server this client talks to: as configured, or as learned from its answers
    /// (`Auto` until one told).
    pub fn server(&self) -> ServerKind {
        match self.inner.server.load(Relaxed) {
            SERVER_EXTENSION => ServerKind::Extension,
            SERVER_AGENT => ServerKind::Agent,
            _ => ServerKind::Auto,
        }
    }

    /// Starts reading these parameters and secrets in the background and returns at once.
    ///
    /// Meant for the function's INIT phase (module scope), when the extension serves nothing:
    /// each read waits, in the background, until the extension serves (up to
    /// [`PREFETCH_READY_WINDOW`]), then fills the cache. A later read of the same request joins
    /// the one in flight or hits the cache. A prefetch that fails with an error a new request
    /// would not change (not found, denied, bad token) hands that error to the first read of
    /// the name; one that failed transiently is simply read again by that read. Nothing is
    /// logged above debug level and nothing of it outlives the process. The reads run where a
    /// miss's would: on the runtime this is called in, if any, else on the shared one.
    ///
    /// Fails only on invalid names (before anything starts).
    pub fn prefetch(
        &self,
        parameters: &[ParameterRequest<'_>],
        secrets: &[SecretRequest<'_>],
    ) -> Result<()> {
        for p in parameters {
            protocol::validate_parameter(p)?;
        }
        for s in secrets {
            protocol::validate_secret(s)?;
        }
        let handle = crate::runtime::current_or_shared()?;
        let keys = parameters
            .iter()
            .map(|p| KeyRef::Parameter(*p))
            .chain(secrets.iter().map(|s| KeyRef::Secret(*s)));
        for key in keys {
            if self
                .inner
                .cache
                .get(key, self.max_age(key, ReadOptions::default()))
                .is_some()
            {
                continue;
            }
            let mut flights = self.inner.flights.lock();
            self.inner.adopt_process(&mut flights)?;
            let owned = CacheKey::from(key);
            if flights.in_flight.contains_key(&owned) {
                continue;
            }
            let kind = FlightKind {
                refresh: false,
                prefetch: true,
            };
            let flight = self.inner.start_flight(&mut flights, &handle, owned, kind);
            // Its task runs whether or not anyone waits for it; reads join it through
            // `in_flight`.
            drop(flight);
        }
        Ok(())
    }

    fn max_age(&self, key: KeyRef<'_>, opts: ReadOptions) -> Duration {
        opts.max_age.unwrap_or(match key {
            KeyRef::Parameter(_) => self.inner.config.parameter_ttl,
            KeyRef::Secret(_) => self.inner.config.secret_ttl,
        })
    }

    fn lookup(&self, key: KeyRef<'_>, opts: ReadOptions) -> Option<Hit> {
        if opts.force_fetch {
            return None;
        }
        let hit = self.inner.cache.get(key, self.max_age(key, opts))?;
        bump(&self.inner.counters.hits);
        Some(hit)
    }

    /// The shared memory a host memo reads without a call (generation, touch flags): see
    /// [`MemoShared`]. The same for the client's whole life.
    pub fn memo_shared(&self) -> &Arc<MemoShared> {
        self.inner.cache.shared()
    }

    fn ticket(&self, key: KeyRef<'_>, hit: &Hit) -> MemoTicket {
        MemoTicket {
            generation: hit.generation,
            slot: hit.slot,
            age: hit.age,
            ttl: self.max_age(key, ReadOptions::default()),
        }
    }

    /// [`cached_parameter`](Self::cached_parameter), with the ticket a host memo needs to
    /// repeat this answer without calling (see [`MemoShared`]). Counted as a hit, like every
    /// lookup that finds a value; the host counts the hits it serves itself.
    #[inline]
    pub fn cached_parameter_memo(
        &self,
        req: &ParameterRequest<'_>,
        opts: ReadOptions,
    ) -> Option<(Arc<Parameter>, MemoTicket)> {
        let key = KeyRef::Parameter(*req);
        let hit = self.lookup(key, opts)?;
        let ticket = self.ticket(key, &hit);
        match hit.value {
            CachedValue::Parameter(p) => Some((p, ticket)),
            CachedValue::Secret(_) => None,
        }
    }

    /// [`cached_secret`](Self::cached_secret) with a memo ticket (see
    /// [`cached_parameter_memo`](Self::cached_parameter_memo)).
    #[inline]
    pub fn cached_secret_memo(
        &self,
        req: &SecretRequest<'_>,
        opts: ReadOptions,
    ) -> Option<(Arc<Secret>, MemoTicket)> {
        let key = KeyRef::Secret(*req);
        let hit = self.lookup(key, opts)?;
        let ticket = self.ticket(key, &hit);
        match hit.value {
            CachedValue::Secret(s) => Some((s, ticket)),
            CachedValue::Parameter(_) => None,
        }
    }

    /// The cached parameter, when a fresh one is there: synchronous, for bindings that want
    /// to answer a hit without entering any runtime.
    #[inline]
    pub fn cached_parameter(
        &self,
        req: &ParameterRequest<'_>,
        opts: ReadOptions,
    ) -> Option<Arc<Parameter>> {
        match self.lookup(KeyRef::Parameter(*req), opts)?.value {
            CachedValue::Parameter(p) => Some(p),
            CachedValue::Secret(_) => None,
        }
    }

    /// The cached secret, when a fresh one is there (see [`cached_parameter`](Self::cached_parameter)).
    #[inline]
    pub fn cached_secret(&self, req: &SecretRequest<'_>, opts: ReadOptions) -> Option<Arc<Secret>> {
        match self.lookup(KeyRef::Secret(*req), opts)?.value {
            CachedValue::Secret(s) => Some(s),
            CachedValue::Parameter(_) => None,
        }
    }

    /// Reads a parameter: from the cache when fresh, else from the extension.
    pub async fn get_parameter(
        &self,
        req: &ParameterRequest<'_>,
        opts: ReadOptions,
    ) -> Result<Arc<Parameter>> {
        if let Some(p) = self.cached_parameter(req, opts) {
            return Ok(p);
        }
        if let Err(e) = protocol::validate_parameter(req) {
            bump(&self.inner.counters.errors);
            return Err(e);
        }
        match self.fetch(KeyRef::Parameter(*req), opts).await? {
            CachedValue::Parameter(p) => Ok(p),
            CachedValue::Secret(_) => {
                Err(Error::internal("a secret was cached under a parameter key"))
            }
        }
    }

    /// Reads a secret: from the cache when fresh, else from the extension.
    pub async fn get_secret(
        &self,
        req: &SecretRequest<'_>,
        opts: ReadOptions,
    ) -> Result<Arc<Secret>> {
        if let Some(s) = self.cached_secret(req, opts) {
            return Ok(s);
        }
        if let Err(e) = protocol::validate_secret(req) {
            bump(&self.inner.counters.errors);
            return Err(e);
        }
        match self.fetch(KeyRef::Secret(*req), opts).await? {
            CachedValue::Secret(s) => Ok(s),
            CachedValue::Parameter(_) => {
                Err(Error::internal("a parameter was cached under a secret key"))
            }
        }
    }

    /// Reads many parameters, at most [`BATCH_CONCURRENCY`] requests at once, one result per
    /// request in the same order: one failure does not hide the others.
    pub async fn get_parameters(
        &self,
        reqs: &[ParameterRequest<'_>],
        opts: ReadOptions,
    ) -> Vec<Result<Arc<Parameter>>> {
        let mut results = Vec::with_capacity(reqs.len());
        let mut pending = FuturesOrdered::new();
        let mut next = reqs.iter();
        // A plain loop rather than `stream::iter(..).map(closure)`: the closure's
        // higher-ranked borrow makes the future impossible to prove `Send`, and the
        // bindings spawn these futures on multi-threaded runtimes.
        for r in next.by_ref().take(BATCH_CONCURRENCY) {
            pending.push_back(self.get_parameter(r, opts));
        }
        while let Some(result) = pending.next().await {
            results.push(result);
            if let Some(r) = next.next() {
                pending.push_back(self.get_parameter(r, opts));
            }
        }
        results
    }

    /// Reads many secrets (see [`get_parameters`](Self::get_parameters)).
    pub async fn get_secrets(
        &self,
        reqs: &[SecretRequest<'_>],
        opts: ReadOptions,
    ) -> Vec<Result<Arc<Secret>>> {
        let mut results = Vec::with_capacity(reqs.len());
        let mut pending = FuturesOrdered::new();
        let mut next = reqs.iter();
        for r in next.by_ref().take(BATCH_CONCURRENCY) {
            pending.push_back(self.get_secret(r, opts));
        }
        while let Some(result) = pending.next().await {
            results.push(result);
            if let Some(r) = next.next() {
                pending.push_back(self.get_secret(r, opts));
            }
        }
        results
    }

    /// Drops every cached entry of this parameter (all versions, labels, decrypt flags). A
    /// request for it already in flight is not joined by later reads and its answer is not
    /// cached: a read that starts after this returns asks the server again.
    pub fn invalidate_parameter(&self, name: &str) -> usize {
        self.inner.detach_flights(|k| k.name() == (true, name));
        self.inner.cache.invalidate(true, name)
    }

    /// Drops every cached entry of this secret (all version ids and stages), as
    /// [`invalidate_parameter`](Self::invalidate_parameter) does for a parameter.
    pub fn invalidate_secret(&self, secret_id: &str) -> usize {
        self.inner
            .detach_flights(|k| k.name() == (false, secret_id));
        self.inner.cache.invalidate(false, secret_id)
    }

    /// Empties the cache (the counters are kept); requests in flight are detached as by
    /// [`invalidate_parameter`](Self::invalidate_parameter).
    pub fn clear_cache(&self) {
        self.inner.detach_flights(|_| true);
        self.inner.cache.clear();
    }

    pub fn stats(&self) -> Stats {
        let c = &self.inner.counters;
        Stats {
            hits: c.hits.load(Relaxed),
            misses: c.misses.load(Relaxed),
            stale_served: c.stale_served.load(Relaxed),
            coalesced: c.coalesced.load(Relaxed),
            requests: c.requests.load(Relaxed),
            retries: c.retries.load(Relaxed),
            errors: c.errors.load(Relaxed),
            evictions: c.evictions.load(Relaxed),
        }
    }

    /// A miss: join the request in flight for this key, or start one.
    async fn fetch(&self, key: KeyRef<'_>, opts: ReadOptions) -> Result<CachedValue> {
        let handle = crate::runtime::current_or_shared()?;
        let (flight, progress) = {
            let mut flights = self.inner.flights.lock();
            self.inner.adopt_process(&mut flights)?;
            let owned = CacheKey::from(key);
            match flights.in_flight.get_mut(&owned) {
                Some(InFlight {
                    flight: f,
                    joined,
                    progress,
                    ..
                }) => {
                    *joined = true;
                    bump(&self.inner.counters.coalesced);
                    // Perhaps a prefetch waiting out INIT: a read means INIT is over.
                    self.inner.wake_epoch.fetch_add(1, Relaxed);
                    self.inner.wake_prefetches.notify_waiters();
                    (f.clone(), progress.clone())
                }
                None => {
                    if !flights.prefetch_failures.is_empty() {
                        if let Some(e) = flights.prefetch_failures.remove(&owned) {
                            drop(flights);
                            bump(&self.inner.counters.misses);
                            bump(&self.inner.counters.errors);
                            return Err(e);
                        }
                    }
                    // A flight may have landed between our lookup and this lock.
                    if let Some(hit) = self.lookup(key, opts) {
                        return Ok(hit.value);
                    }
                    let kind = FlightKind {
                        refresh: opts.force_fetch,
                        prefetch: false,
                    };
                    let f = self.inner.start_flight(&mut flights, &handle, owned, kind);
                    (f, None)
                }
            }
        };
        bump(&self.inner.counters.misses);
        let result = match progress {
            None => flight.await,
            Some(progress) => self.inner.join_prefetch(flight, &progress, key).await,
        };
        if result.is_err() {
            bump(&self.inner.counters.errors);
        }
        result
    }
}

impl Inner {
    /// After `fork()` the child starts with a fresh pool and nothing in flight; the cached
    /// values stay valid.
    fn adopt_process(&self, flights: &mut Flights) -> Result<()> {
        let pid = std::process::id();
        if flights.pid != pid {
            let http = transport::build_http(&self.config)?;
            let old = std::mem::replace(&mut flights.http, http);
            // Its connections belong to the parent's runtime; dropping them here could block.
            std::mem::forget(old);
            std::mem::forget(std::mem::take(&mut flights.in_flight));
            flights.prefetch_failures.clear();
            flights.pid = pid;
        }
        Ok(())
    }

    /// Starts the one request for `key` as a task on `rt` and registers it for others to
    /// join. Notes the cache's drop count first: an invalidation after this point keeps its
    /// answer out of the cache.
    ///
    /// The task, not its readers, drives the request: a read that stops waiting (dropped by a
    /// timeout or a `select!`) cannot leave a flight registered that nobody polls, whose stale
    /// answer or long-expired timeout a later read would join. The task ends, and removes the
    /// flight, within the request's own deadline.
    fn start_flight(
        self: &Arc<Self>,
        flights: &mut Flights,
        rt: &tokio::runtime::Handle,
        key: CacheKey,
        kind: FlightKind,
    ) -> Flight {
        let since = self.cache.drops();
        let id = flights.next_flight;
        flights.next_flight = id.wrapping_add(1);
        let progress = kind.prefetch.then(Arc::default);
        let task = rt.spawn(Inner::fly(
            self.clone(),
            flights.http.clone(),
            key.clone(),
            kind,
            id,
            since,
            progress.clone(),
        ));
        let f = async move {
            task.await.unwrap_or_else(|e| {
                Err(Error::internal(if e.is_panic() {
                    "a paramsecrets request task panicked"
                } else {
                    "a paramsecrets request task was cancelled (its runtime shut down)"
                }))
            })
        }
        .boxed()
        .shared();
        flights.in_flight.insert(
            key,
            InFlight {
                id,
                flight: f.clone(),
                progress,
                joined: false,
            },
        );
        f
    }

    /// How long start-up errors are retried for a read (not a prefetch).
    fn read_startup_window(&self) -> Duration {
        if self.config.in_lambda {
            LAMBDA_STARTUP_RACE.min(self.config.ready_timeout)
        } else {
            self.config.ready_timeout
        }
    }

    /// A read that joined a prefetch: its answer, or, when the read's own time is up first,
    /// the error a read of its own would have ended with. Its start-up window (the start-up
    /// race on Lambda, the readiness deadline elsewhere) and its deadline count from the
    /// join. The prefetch goes on in the background and may still fill the cache.
    async fn join_prefetch(
        &self,
        mut flight: Flight,
        progress: &PrefetchProgress,
        key: KeyRef<'_>,
    ) -> Result<CachedValue> {
        let joined = Instant::now();
        let startup_until = joined + self.read_startup_window();
        let deadline = joined + self.config.deadline;
        let subject = match key {
            KeyRef::Parameter(p) => protocol::Subject::Parameter(p.name),
            KeyRef::Secret(s) => protocol::Subject::Secret(s.secret_id),
        };
        loop {
            let attempted = progress.attempted.notified();
            tokio::pin!(attempted);
            attempted.as_mut().enable();
            let now = Instant::now();
            if now >= startup_until {
                if let Some(e) = progress.startup_error.lock().clone() {
                    return Err(self.startup_failure(e, &subject));
                }
            }
            if now >= deadline {
                return Err(Error::new(
                    ErrorCode::Timeout,
                    format!(
                        "no answer for {subject} within the read deadline ({} ms)",
                        self.config.deadline.as_millis()
                    ),
                ));
            }
            let wake = if now < startup_until {
                startup_until.min(deadline)
            } else {
                deadline
            };
            tokio::select! {
                r = &mut flight => return r,
                _ = attempted => {}
                _ = tokio::time::sleep_until(wake.into()) => {}
            }
        }
    }

    /// Detaches the requests in flight for the keys `doomed` picks (an invalidation): reads
    /// from now on start their own, and the detached ones store nothing (see `start_flight`).
    fn detach_flights(&self, doomed: impl Fn(&CacheKey) -> bool) {
        self.flights.lock().in_flight.retain(|k, _| !doomed(k));
    }

    fn ttl(&self, key: &CacheKey) -> Duration {
        match key {
            CacheKey::Parameter { .. } => self.config.parameter_ttl,
            CacheKey::Secret { .. } => self.config.secret_ttl,
        }
    }

    /// One single-flight fetch: request (with retries), store, or fall back to a stale value.
    async fn fly(
        inner: Arc<Inner>,
        http: reqwest::Client,
        key: CacheKey,
        kind: FlightKind,
        id: u64,
        since: u64,
        progress: Option<Arc<PrefetchProgress>>,
    ) -> Result<CachedValue> {
        let result = inner.request(&http, &key, kind, progress.as_deref()).await;
        let ttl = inner.ttl(&key);
        let window = inner.config.stale_if_error;
        let out = match result {
            Ok((v, sent)) => {
                if !(ttl.is_zero() && window.is_zero())
                    && inner
                        .cache
                        .insert_since(key.clone(), v.clone(), since, sent)
                {
                    bump(&inner.counters.evictions);
                }
                Ok(v)
            }
            Err(e) if e.code().is_transient() && !window.is_zero() => {
                match inner.cache.get(key.as_ref(), ttl.saturating_add(window)) {
                    Some(Hit { value: stale, .. }) => {
                        log::debug!(
                            "paramsecrets: serving a stale value after a {} error",
                            e.code()
                        );
                        bump(&inner.counters.stale_served);
                        Ok(stale)
                    }
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        let mut flights = inner.flights.lock();
        let mut joined = false;
        let current = flights.in_flight.get(&key).is_some_and(|f| f.id == id);
        if current {
            joined = flights.in_flight.remove(&key).is_some_and(|f| f.joined);
        }
        // A detached prefetch's failure belongs to nobody: the invalidation forgot the key. One
        // a read joined was that read's answer already.
        if kind.prefetch && current && !joined {
            match &out {
                Err(e) if !e.code().is_transient() => {
                    log::debug!("paramsecrets: a prefetch failed: {}", e.code());
                    flights.prefetch_failures.insert(key, e.clone());
                }
                _ => {}
            }
        }
        out
    }

    /// Learns the server from an answer that tells (only while the kind is `Auto`).
    fn learn_server(&self, kind: ServerKind) {
        let _ = self
            .server
            .compare_exchange(SERVER_AUTO, server_code(kind), Relaxed, Relaxed);
    }

    /// Sends the request, retrying as the [`Retry`] of each failure allows, within the read's
    /// deadline.
    ///
    /// Start-up errors (refused, "not ready") are retried until the readiness deadline, except
    /// on Lambda: there they are retried only through [`LAMBDA_STARTUP_RACE`], because a
    /// "not ready" that lasts longer means the read runs during INIT, which cannot end while it
    /// waits; the read then fails with `not_ready` and says what to do. Off Lambda nothing
    /// changes. A prefetch waits up to [`PREFETCH_READY_WINDOW`] instead, and its deadline
    /// counts from the extension's first real answer; it reports every attempt to `progress`.
    ///
    /// Returns the value with the time its attempt was sent: the value is at least that old.
    async fn request(
        &self,
        http: &reqwest::Client,
        key: &CacheKey,
        kind: FlightKind,
        progress: Option<&PrefetchProgress>,
    ) -> Result<(CachedValue, Instant)> {
        let req = key.as_ref();
        let (mut path, subject) = match req {
            KeyRef::Parameter(p) => (
                protocol::parameter_path(&p),
                protocol::Subject::Parameter(p.name),
            ),
            KeyRef::Secret(s) => (
                protocol::secret_path(&s),
                protocol::Subject::Secret(s.secret_id),
            ),
        };
        if kind.refresh
            && matches!(req, KeyRef::Secret(_))
            && self.server.load(Relaxed) == SERVER_AGENT
        {
            protocol::push_refresh_now(&mut path);
        }
        let url = [self.config.base_url.as_str(), &path].concat();
        let cfg = &self.config;
        let started = Instant::now();
        let startup_window = if kind.prefetch {
            PREFETCH_READY_WINDOW.max(cfg.ready_timeout)
        } else {
            self.read_startup_window()
        };
        // A prefetch polls gently while nobody waits for it (INIT); once a read joined one,
        // INIT is over and it retries like that read would.
        let unjoined_epoch = self.wake_epoch.load(Relaxed);
        // Where the deadline counts from; a prefetch moves it past the start-up errors.
        let mut clock = started;
        let mut attempt: u32 = 0;
        let mut transient_retries: u32 = 0;
        let mut stretched = false;
        let mut last_startup: Option<Error> = None;
        loop {
            attempt += 1;
            let epoch = self.wake_epoch.load(Relaxed);
            let now = Instant::now();
            let left = (clock + cfg.deadline).saturating_duration_since(now);
            let mut timeout = if stretched {
                left
            } else {
                cfg.timeout.min(left)
            };
            // On Lambda, an attempt inside the start-up race ends with the race: a server
            // that holds "not ready" answers must not stretch INIT.
            let race_left = (started + startup_window).saturating_duration_since(now);
            let race_capped = last_startup.is_some() && !kind.prefetch && race_left < timeout;
            if race_capped {
                timeout = race_left;
            }
            bump(&self.counters.requests);
            let sent = Instant::now();
            let err = match self.attempt(http, &url, req, &subject, timeout).await {
                Ok(v) => return Ok((v, sent)),
                Err(e) => e,
            };
            if let Some(p) = progress {
                p.record(&err);
            }
            if race_capped && err.retry() == Retry::TimedOut {
                if let Some(e) = last_startup.take() {
                    return Err(self.startup_failure(e, &subject).with_attempts(attempt));
                }
            }
            let now = Instant::now();
            let wait = retry::jittered(attempt);
            let left = (clock + cfg.deadline).saturating_duration_since(now);
            let again = match err.retry() {
                Retry::Never => false,
                Retry::StartUp => {
                    now.saturating_duration_since(started).saturating_add(wait) < startup_window
                        && (kind.prefetch || wait < left)
                }
                Retry::Transient => transient_retries < retry::MAX_TRANSIENT_RETRIES && wait < left,
                Retry::ServerRetried | Retry::TimedOut => {
                    transient_retries == 0 && wait.saturating_add(cfg.timeout) <= left
                }
            };
            log::debug!(
                "paramsecrets: {subject} attempt {attempt} failed: {}{}",
                err.code(),
                if again { ", retrying" } else { "" }
            );
            if !again {
                let err = if err.retry() == Retry::StartUp {
                    self.startup_failure(err, &subject)
                } else {
                    err
                };
                return Err(err.with_attempts(attempt));
            }
            let retry_kind = err.retry();
            match retry_kind {
                Retry::StartUp => {
                    if kind.prefetch {
                        clock = now;
                    }
                    last_startup = Some(err);
                }
                Retry::TimedOut => {
                    // The one retry of a timed-out attempt may use all the time left: a
                    // slow-but-working server fits, and nothing is sent a third time.
                    stretched = true;
                    transient_retries += 1;
                }
                _ => transient_retries += 1,
            }
            bump(&self.counters.retries);
            if kind.prefetch {
                // While the extension is not ready (INIT), poll gently: every request competes
                // with the function's init code for the CPU. A read that joins this prefetch
                // means INIT is over and wakes it at once, so nobody waits for the long sleep.
                let wait = if retry_kind == Retry::StartUp
                    && self.wake_epoch.load(Relaxed) == unjoined_epoch
                {
                    retry::CAP
                } else {
                    wait
                };
                let woken = self.wake_prefetches.notified();
                if self.wake_epoch.load(Relaxed) == epoch {
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = woken => {}
                    }
                }
            } else {
                tokio::time::sleep(wait).await;
            }
        }
    }

    /// The error a read ends with when the server was still starting. On Lambda a lasting
    /// "not ready" means INIT: say so, and what to do instead.
    fn startup_failure(&self, err: Error, subject: &protocol::Subject<'_>) -> Error {
        if self.config.in_lambda && err.code() == ErrorCode::NotReady {
            err.with_message(format!(
                "{subject} cannot be read yet: the Parameters and Secrets extension serves nothing during the function's INIT phase, and INIT cannot end while this read waits. Read it inside the handler, or call prefetch(...) at module scope to fetch it in the background as soon as the extension serves"
            ))
        } else {
            err
        }
    }

    async fn attempt(
        &self,
        http: &reqwest::Client,
        url: &str,
        req: KeyRef<'_>,
        subject: &protocol::Subject<'_>,
        timeout: Duration,
    ) -> Result<CachedValue> {
        let answer = transport::get(http, url, timeout, subject).await?;
        if answer.status != 200 {
            let err = protocol::classify(
                answer.status,
                answer.errortype.as_deref(),
                &answer.body,
                &subject.to_string(),
            );
            if let Some(kind) = protocol::server_of_error(answer.status, &answer.body, &err) {
                self.learn_server(kind);
            }
            return Err(err);
        }
        let parsed = match req {
            KeyRef::Parameter(p) => {
                self.learn_server(ServerKind::Extension);
                protocol::parse_parameter(&answer.body, &p)
                    .map(|p| CachedValue::Parameter(Arc::new(p)))
            }
            KeyRef::Secret(s) => {
                protocol::parse_secret_answer(&answer.body, &s).map(|(s, server)| {
                    self.learn_server(server);
                    CachedValue::Secret(Arc::new(s))
                })
            }
        };
        parsed.map_err(|e| e.with_status(200))
    }
}
