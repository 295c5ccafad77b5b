//! The memo support a host binding builds on (issue 15), against the real emulator: tickets
//! carry the TTL and age a host needs, and a ticket whose generation still reads current is
//! stamped on exactly the value core holds, even while other threads refill and invalidate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use paramsecrets::{Client, ParameterRequest, ReadOptions, SecretRequest, blocking};
use support::{Emulator, TOKEN};

fn client(emulator: &Emulator, ttl: Duration, cache_size: usize) -> Client {
    Client::builder()
        .endpoint(emulator.endpoint())
        .token(TOKEN)
        .env(HashMap::new())
        .parameter_ttl(ttl)
        .secret_ttl(ttl * 2)
        .cache_size(cache_size)
        .build()
        .unwrap()
}

#[test]
fn a_ticket_carries_the_ttl_of_its_kind_and_the_age() {
    let emulator = Emulator::main_store("extension");
    let c = blocking::Client::new(client(&emulator, Duration::from_secs(7), 10));
    let p = ParameterRequest::new("/conf/plain");
    let s = SecretRequest::new("conf/string");
    let none = ReadOptions::default();
    assert!(c.as_async().cached_parameter_memo(&p, none).is_none());
    c.get_parameter(&p, none).unwrap();
    c.get_secret(&s, none).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let (value, t) = c.as_async().cached_parameter_memo(&p, none).unwrap();
    assert_eq!(value.text(), Some("hello"));
    assert_eq!(t.ttl, Duration::from_secs(7));
    assert!(t.age >= Duration::from_millis(5) && t.age < Duration::from_secs(7));
    assert_eq!(t.generation, c.as_async().memo_shared().generation());
    let (_, ts) = c.as_async().cached_secret_memo(&s, none).unwrap();
    assert_eq!(ts.ttl, Duration::from_secs(14));
    assert_ne!(ts.slot, t.slot);
    // A ticketed lookup is a lookup: counted, and refused for force_fetch.
    let forced = ReadOptions::default().force_fetch(true);
    assert!(c.as_async().cached_parameter_memo(&p, forced).is_none());
    assert_eq!(c.stats().hits, 2);
    assert_eq!(c.as_async().memo_shared().slots(), 10);
}

#[test]
fn a_current_generation_means_the_same_value_under_refills_and_invalidations() {
    let emulator = Emulator::main_store("extension");
    let c = blocking::Client::new(client(&emulator, Duration::from_secs(300), 10));
    let p = ParameterRequest::new("/conf/plain");
    c.get_parameter(&p, ReadOptions::default()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let checked = Arc::new(AtomicU64::new(0));
    let writer = {
        let c = c.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let p = ParameterRequest::new("/conf/plain");
            let mut rounds = 0;
            while !stop.load(Ordering::Relaxed) || rounds < 20 {
                // A refill (replace) and an invalidation, each a new generation.
                c.get_parameter(&p, ReadOptions::default().force_fetch(true))
                    .unwrap();
                c.invalidate_parameter("/conf/plain");
                c.get_parameter(&p, ReadOptions::default()).unwrap();
                rounds += 1;
            }
        })
    };
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            let checked = checked.clone();
            std::thread::spawn(move || {
                let core = c.as_async();
                let shared = core.memo_shared();
                let p = ParameterRequest::new("/conf/plain");
                for _ in 0..20_000 {
                    let Some((memo, t)) = core.cached_parameter_memo(&p, ReadOptions::default())
                    else {
                        continue;
                    };
                    // What a host memo does: trust `memo` while the generation reads `t`'s.
                    // Whenever it does both before and after a real lookup, the lookup must
                    // find that very value.
                    if shared.generation() != t.generation {
                        continue;
                    }
                    let now = core.cached_parameter(&p, ReadOptions::default());
                    if shared.generation() == t.generation {
                        let now = now.expect("a current ticket, yet core has no value");
                        assert!(
                            Arc::ptr_eq(&now, &memo),
                            "a current ticket on a dropped value"
                        );
                        checked.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for r in readers {
        r.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    assert!(
        checked.load(Ordering::Relaxed) > 0,
        "the invariant was never exercised"
    );
    assert!(c.as_async().memo_shared().generation() >= 40);
}
