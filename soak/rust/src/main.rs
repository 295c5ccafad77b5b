//! The Rust soak driver: one long-lived process reading through `paramsecrets` (the async
//! client from tokio tasks and the blocking facade from OS threads, one shared cache) against
//! the emulator that soak/run.py starts, restarts and feeds new store generations.
//!
//! Every value is `<name>#g<generation>`; each read checks it against the generations the
//! orchestrator logged in `SOAK_GENS` (see soak/README.md, "What a read may return"). One JSON
//! line per second on stdout: reads, wrong values and errors by code since the last line, and
//! the allocator's in-use bytes (glibc `mallinfo2`). No value is ever printed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paramsecrets::blocking::Client as BlockingClient;
use paramsecrets::{Client, ClientBuilder, ParameterRequest, ReadOptions, SecretRequest};

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The generation log: (generation, wall-clock start), ascending.
struct Gens {
    path: String,
    window: f64,
    list: RwLock<Vec<(u64, f64)>>,
}

impl Gens {
    fn reload(&self) {
        let Ok(text) = std::fs::read_to_string(&self.path) else {
            return;
        };
        let mut list = Vec::new();
        for line in text.lines() {
            let mut it = line.split_whitespace();
            if let (Some(g), Some(t)) = (it.next(), it.next())
                && let (Ok(g), Ok(t)) = (g.parse::<u64>(), t.parse::<f64>())
            {
                list.push((g, t));
            }
        }
        if let Ok(mut l) = self.list.write() {
            *l = list;
        }
    }

    /// None when the value is legal now, else why not (names and generations only).
    fn check_once(&self, name: &str, value: &str) -> Result<(), String> {
        let Some((prefix, g)) = value.rsplit_once("#g") else {
            return Err(format!("{name}: value not in the soak format"));
        };
        if prefix != name {
            return Err(format!("{name}: value of another name"));
        }
        let Ok(g) = g.parse::<u64>() else {
            return Err(format!("{name}: unparsable generation"));
        };
        let list = self.list.read().map_err(|_| "poisoned".to_string())?;
        let Some(pos) = list.iter().position(|(gen_, _)| *gen_ == g) else {
            return Err(format!("{name}: generation {g} unknown (from the future)"));
        };
        if let Some((_, next_start)) = list.get(pos + 1) {
            let t = now();
            if *next_start < t - self.window {
                return Err(format!(
                    "{name}: generation {g} superseded {:.1} s ago (window {:.1} s)",
                    t - next_start,
                    self.window
                ));
            }
        }
        Ok(())
    }

    fn check(&self, name: &str, value: &str) -> Result<(), String> {
        match self.check_once(name, value) {
            Err(e) if e.contains("unknown") => {
                self.reload();
                self.check_once(name, value)
            }
            other => other,
        }
    }
}

/// The error codes an injected outage causes (soak/run.py judges when they are allowed).
const INJECTED: [&str; 3] = ["unavailable", "not_ready", "timeout"];

struct Counters {
    reads: AtomicU64,
    wrong: AtomicU64,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    bad: Mutex<Vec<String>>,
}

struct Soak {
    gens: Gens,
    counters: Counters,
    params: Vec<String>,
    secrets: Vec<String>,
    hot_params: usize,
    hot_secrets: usize,
    stop: AtomicBool,
}

impl Soak {
    fn record<T>(&self, name: &str, r: paramsecrets::Result<T>, text: impl Fn(&T) -> Option<&str>) {
        self.counters.reads.fetch_add(1, Relaxed);
        match r {
            Ok(v) => {
                let verdict = match text(&v) {
                    Some(s) => self.gens.check(name, s),
                    None => Err(format!("{name}: binary value")),
                };
                if let Err(why) = verdict {
                    self.counters.wrong.fetch_add(1, Relaxed);
                    self.note(why);
                }
            }
            Err(e) => {
                let code = e.code().as_str();
                if let Ok(mut m) = self.counters.errors.lock() {
                    *m.entry(code).or_insert(0) += 1;
                }
                if !INJECTED.contains(&code) {
                    self.note(format!("{code}: {}", e.message()));
                }
            }
        }
    }

    /// Records each result of a batch under its name (or the batch's own failure).
    fn record_batch<T>(
        &self,
        names: &[&str],
        results: paramsecrets::Result<Vec<paramsecrets::Result<T>>>,
        text: impl Fn(&T) -> Option<&str> + Copy,
    ) {
        match results {
            Ok(results) => {
                for (n, r) in names.iter().zip(results) {
                    self.record(n, r, text);
                }
            }
            Err(e) => self.record::<()>("batch", Err(e), |_| None),
        }
    }

    /// Keeps a few reasons per report (names, generations and error messages: never a value).
    fn note(&self, why: String) {
        if let Ok(mut bad) = self.counters.bad.lock()
            && bad.len() < 5
        {
            bad.push(why);
        }
    }

    fn pick_param(&self, hot: bool) -> &str {
        pick(&self.params, if hot { self.hot_params } else { usize::MAX })
    }

    fn pick_secret(&self, hot: bool) -> &str {
        pick(
            &self.secrets,
            if hot { self.hot_secrets } else { usize::MAX },
        )
    }
}

/// A random one of the first `first` names (all of them when there are fewer).
fn pick(names: &[String], first: usize) -> &str {
    &names[fastrand::usize(..first.min(names.len()))]
}

fn ptext(p: &Arc<paramsecrets::Parameter>) -> Option<&str> {
    p.text()
}

fn stext(s: &Arc<paramsecrets::Secret>) -> Option<&str> {
    s.secret_string()
}

/// One operation of the mix, through the blocking facade.
fn sync_op(s: &Soak, c: &BlockingClient) {
    let r = fastrand::u32(..1000);
    let opts = ReadOptions::default();
    if r < 700 {
        let n = s.pick_param(true);
        s.record(n, c.get_parameter(&ParameterRequest::new(n), opts), ptext);
    } else if r < 850 {
        let n = s.pick_param(false);
        s.record(n, c.get_parameter(&ParameterRequest::new(n), opts), ptext);
    } else if r < 880 {
        let n = s.pick_secret(r < 870);
        s.record(n, c.get_secret(&SecretRequest::new(n), opts), stext);
    } else if r < 900 {
        let n = s.pick_param(true);
        let o = opts.force_fetch(true);
        s.record(n, c.get_parameter(&ParameterRequest::new(n), o), ptext);
    } else if r < 930 {
        let names: Vec<&str> = (0..8).map(|_| s.pick_param(false)).collect();
        let reqs: Vec<ParameterRequest<'_>> =
            names.iter().map(|n| ParameterRequest::new(n)).collect();
        s.record_batch(&names, c.get_parameters(&reqs, opts), ptext);
    } else if r < 940 {
        let ids: Vec<&str> = (0..4).map(|_| s.pick_secret(false)).collect();
        let reqs: Vec<SecretRequest<'_>> = ids.iter().map(|n| SecretRequest::new(n)).collect();
        s.record_batch(&ids, c.get_secrets(&reqs, opts), stext);
    } else if r < 950 {
        c.invalidate_parameter(s.pick_param(true));
        c.invalidate_secret(s.pick_secret(true));
    } else if r < 952 {
        c.clear_cache();
    } else if r < 960 {
        let names: Vec<&str> = (0..4).map(|_| s.pick_param(false)).collect();
        let reqs: Vec<ParameterRequest<'_>> =
            names.iter().map(|n| ParameterRequest::new(n)).collect();
        let sec = [SecretRequest::new(s.pick_secret(false))];
        if let Err(e) = c.as_async().prefetch(&reqs, &sec) {
            s.record::<()>("prefetch", Err(e), |_| None);
        }
    } else {
        let n = s.pick_param(true);
        let o = opts.max_age(Duration::from_millis(500));
        s.record(n, c.get_parameter(&ParameterRequest::new(n), o), ptext);
    }
}

/// One operation of the mix, through the async client.
async fn async_op(s: &Soak, c: &Client) {
    let r = fastrand::u32(..1000);
    let opts = ReadOptions::default();
    if r < 750 {
        let n = s.pick_param(true);
        s.record(
            n,
            c.get_parameter(&ParameterRequest::new(n), opts).await,
            ptext,
        );
    } else if r < 900 {
        let n = s.pick_param(false);
        s.record(
            n,
            c.get_parameter(&ParameterRequest::new(n), opts).await,
            ptext,
        );
    } else if r < 930 {
        let n = s.pick_secret(r < 920);
        s.record(n, c.get_secret(&SecretRequest::new(n), opts).await, stext);
    } else if r < 950 {
        let n = s.pick_param(false);
        let o = opts.force_fetch(true);
        s.record(
            n,
            c.get_parameter(&ParameterRequest::new(n), o).await,
            ptext,
        );
    } else if r < 980 {
        let names: Vec<&str> = (0..8).map(|_| s.pick_param(false)).collect();
        let reqs: Vec<ParameterRequest<'_>> =
            names.iter().map(|n| ParameterRequest::new(n)).collect();
        s.record_batch(&names, Ok(c.get_parameters(&reqs, opts).await), ptext);
    } else if r < 990 {
        c.invalidate_parameter(s.pick_param(false));
    } else {
        let id = s.pick_secret(true);
        let o = opts.force_fetch(true);
        s.record(id, c.get_secret(&SecretRequest::new(id), o).await, stext);
    }
}

fn heap_in_use() -> u64 {
    // SAFETY: mallinfo2 only reads glibc's allocator statistics.
    let info = unsafe { libc::mallinfo2() };
    (info.uordblks + info.hblkhd) as u64
}

/// What the mutex holds, leaving it empty.
fn take<T: Default>(m: &Mutex<T>) -> T {
    m.lock()
        .map(|mut v| std::mem::take(&mut *v))
        .unwrap_or_default()
}

fn report(s: &Soak) {
    let reads = s.counters.reads.swap(0, Relaxed);
    let wrong = s.counters.wrong.swap(0, Relaxed);
    let errors = take(&s.counters.errors);
    let bad = take(&s.counters.bad);
    let errors: Vec<String> = errors.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    let bad: Vec<String> = bad
        .iter()
        .map(|b| format!("\"{}\"", b.replace(['"', '\\'], "'")))
        .collect();
    println!(
        "{{\"t\":{:.3},\"reads\":{reads},\"wrong\":{wrong},\"errors\":{{{}}},\"heap\":{},\"bad\":[{}]}}",
        now(),
        errors.join(","),
        heap_in_use(),
        bad.join(",")
    );
}

fn main() {
    let seconds = env_f64("SOAK_SECONDS", 60.0);
    let ttl = env_f64("SOAK_TTL", 2.0);
    let stale = env_f64("SOAK_STALE", 3.0);
    let nparams = env_f64("SOAK_PARAMS", 400.0) as usize;
    let nsecrets = env_f64("SOAK_SECRETS", 40.0) as usize;
    let soak = Arc::new(Soak {
        gens: Gens {
            path: std::env::var("SOAK_GENS").unwrap_or_default(),
            window: env_f64("SOAK_WINDOW", 10.0),
            list: RwLock::new(Vec::new()),
        },
        counters: Counters {
            reads: AtomicU64::new(0),
            wrong: AtomicU64::new(0),
            errors: Mutex::new(BTreeMap::new()),
            bad: Mutex::new(Vec::new()),
        },
        params: (0..nparams).map(|i| format!("/soak/p/{i:04}")).collect(),
        secrets: (0..nsecrets).map(|i| format!("soak/s/{i:03}")).collect(),
        hot_params: 8.min(nparams),
        hot_secrets: 4.min(nsecrets),
        stop: AtomicBool::new(false),
    });
    soak.gens.reload();
    let client = match ClientBuilder::new()
        .ttl(Duration::from_secs_f64(ttl))
        .stale_if_error(Duration::from_secs_f64(stale))
        .cache_size(env_f64("SOAK_CACHE", 64.0) as usize)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "soak: cannot build the client: {} ({})",
                e.code().as_str(),
                e.message()
            );
            std::process::exit(2);
        }
    };
    let mut threads = Vec::new();
    for _ in 0..3 {
        let s = Arc::clone(&soak);
        let c = BlockingClient::new(client.clone());
        threads.push(std::thread::spawn(move || {
            while !s.stop.load(Relaxed) {
                for _ in 0..20 {
                    if s.stop.load(Relaxed) {
                        return;
                    }
                    sync_op(&s, &c);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }));
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("soak: no tokio runtime: {e}");
            std::process::exit(2);
        }
    };
    for _ in 0..3 {
        let s = Arc::clone(&soak);
        let c = client.clone();
        rt.spawn(async move {
            while !s.stop.load(Relaxed) {
                for _ in 0..20 {
                    if s.stop.load(Relaxed) {
                        return;
                    }
                    async_op(&s, &c).await;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
    }
    let end = now() + seconds;
    let mut tick = 0u64;
    while now() < end {
        std::thread::sleep(Duration::from_millis(500));
        soak.gens.reload();
        tick += 1;
        if tick.is_multiple_of(2) {
            report(&soak);
        }
    }
    soak.stop.store(true, Relaxed);
    for t in threads {
        let _ = t.join();
    }
    rt.shutdown_timeout(Duration::from_secs(5));
    report(&soak);
}
