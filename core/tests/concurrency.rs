//! Single-flight under load, against the real emulator: however many threads or tasks read
//! one cold key at once, exactly one request reaches the extension.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use paramsecrets::{Client, ParameterRequest, ReadOptions, SecretRequest, blocking};
use support::faulty::{Action, FaultyServer, ok_parameter};
use support::{Emulator, TOKEN};

fn client(emulator: &Emulator) -> Client {
    Client::builder()
        .endpoint(emulator.endpoint())
        .token(TOKEN)
        .env(HashMap::new())
        .build()
        .unwrap()
}

#[test]
fn sixty_four_threads_times_ten_thousand_reads_make_one_request() {
    let emulator = Emulator::main_store("extension");
    let client = blocking::Client::new(client(&emulator));
    let barrier = Arc::new(std::sync::Barrier::new(64));
    let threads: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                for _ in 0..10_000 {
                    let p = client
                        .get_parameter(
                            &ParameterRequest::new("/conf/plain"),
                            ReadOptions::default(),
                        )
                        .unwrap();
                    assert_eq!(p.text(), Some("hello"));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(
        rt.block_on(emulator.requests_for("parameter:/conf/plain")),
        1
    );
    let s = client.stats();
    assert_eq!(s.requests, 1);
    assert_eq!(s.hits + s.misses, 640_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_tasks_make_one_request() {
    let emulator = Emulator::main_store("agent");
    let client = client(&emulator);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .get_secret(&SecretRequest::new("conf/binary"), ReadOptions::default())
                    .await
                    .map(|s| s.secret_binary().map(<[u8]>::to_vec))
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), Some(vec![0, 1, 2, 255]));
    }
    assert_eq!(emulator.requests_for("secret:conf/binary").await, 1);
    let s = client.stats();
    assert_eq!(s.requests, 1);
    assert_eq!(s.hits + s.misses, 1000);
}

#[tokio::test]
async fn batches_fan_out_and_keep_per_item_results() {
    let emulator = Emulator::main_store("extension");
    let client = client(&emulator);
    let names = [
        "/conf/plain",
        "/conf/missing",
        "/conf/list",
        "",
        "/conf/plain",
    ];
    let reqs: Vec<_> = names.iter().map(|n| ParameterRequest::new(n)).collect();
    // Spawned, so the batch future must be `Send` (the bindings rely on it).
    let spawned = {
        let client = client.clone();
        tokio::spawn(async move {
            let names = [
                "/conf/plain",
                "/conf/missing",
                "/conf/list",
                "",
                "/conf/plain",
            ];
            let reqs: Vec<_> = names.iter().map(|n| ParameterRequest::new(n)).collect();
            client
                .get_parameters(&reqs, ReadOptions::default())
                .await
                .len()
        })
    };
    assert_eq!(spawned.await.unwrap(), 5);
    client.clear_cache();
    let results = client.get_parameters(&reqs, ReadOptions::default()).await;
    assert_eq!(results.len(), 5);
    assert_eq!(results[0].as_ref().unwrap().text(), Some("hello"));
    assert_eq!(
        results[1].as_ref().unwrap_err().code().as_str(),
        "not_found_or_denied"
    );
    assert_eq!(results[2].as_ref().unwrap().text(), Some("a,b,c"));
    assert_eq!(
        results[3].as_ref().unwrap_err().code().as_str(),
        "invalid_argument"
    );
    assert_eq!(results[4].as_ref().unwrap().text(), Some("hello"));
    assert_eq!(emulator.requests_for("parameter:/conf/plain").await, 2);
    let ids = [
        SecretRequest::new("conf/string"),
        SecretRequest::new("conf/missing"),
    ];
    let secrets = tokio::spawn({
        let client = client.clone();
        async move {
            let ids = [
                SecretRequest::new("conf/string"),
                SecretRequest::new("conf/missing"),
            ];
            client.get_secrets(&ids, ReadOptions::default()).await.len()
        }
    });
    assert_eq!(secrets.await.unwrap(), 2);
    let results = client.get_secrets(&ids, ReadOptions::default()).await;
    assert!(results[0].is_ok() && results[1].is_err());
}

#[tokio::test]
async fn cache_controls_reach_the_extension_only_when_asked() {
    let emulator = Emulator::main_store("extension");
    let client = client(&emulator);
    let req = ParameterRequest::new("/conf/versioned").version(1);
    let read = |opts| {
        let client = client.clone();
        async move {
            client
                .get_parameter(&req, opts)
                .await
                .unwrap()
                .text()
                .unwrap_or_default()
                .to_string()
        }
    };
    assert_eq!(read(ReadOptions::default()).await, "v1");
    assert_eq!(read(ReadOptions::default()).await, "v1");
    assert_eq!(emulator.requests_for("parameter:/conf/versioned").await, 1);
    read(ReadOptions::default().force_fetch(true)).await;
    assert_eq!(emulator.requests_for("parameter:/conf/versioned").await, 2);
    read(ReadOptions::default().max_age(std::time::Duration::ZERO)).await;
    assert_eq!(emulator.requests_for("parameter:/conf/versioned").await, 3);
    assert_eq!(client.invalidate_parameter("/conf/versioned"), 1);
    read(ReadOptions::default()).await;
    assert_eq!(emulator.requests_for("parameter:/conf/versioned").await, 4);
    client.clear_cache();
    read(ReadOptions::default()).await;
    assert_eq!(emulator.requests_for("parameter:/conf/versioned").await, 5);
    let s = client.stats();
    assert_eq!((s.hits, s.misses, s.requests), (1, 5, 5));
}

#[test]
fn the_blocking_client_works_in_a_forked_child() {
    let emulator = Emulator::main_store("extension");
    let client = blocking::Client::new(client(&emulator));
    // Warm the runtime and the connection pool in the parent.
    let req = ParameterRequest::new("/conf/plain");
    assert_eq!(
        client
            .get_parameter(&req, ReadOptions::default())
            .unwrap()
            .text(),
        Some("hello")
    );
    // SAFETY: the child only uses the client and then leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let cached = client.get_parameter(&req, ReadOptions::default());
        let fresh = client.get_parameter(&req, ReadOptions::default().force_fetch(true));
        let ok = matches!((&cached, &fresh), (Ok(a), Ok(b)) if a.text() == Some("hello") && b.text() == Some("hello"));
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waiting for the child we just forked.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed: {status}"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(
        rt.block_on(emulator.requests_for("parameter:/conf/plain")),
        2,
        "the child's forced read reached the emulator"
    );
    // The parent still works too.
    assert!(
        client
            .get_parameter(&req, ReadOptions::default().force_fetch(true))
            .is_ok()
    );
}

/// An answer requested before `invalidate_parameter` or `clear_cache` goes to the reads that
/// were waiting for it, never into the cache, and reads that start after the call ask again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalidation_during_a_request_keeps_its_answer_out_of_the_cache() {
    for clear in [false, true] {
        // The first request is answered late, with the value from before the change.
        let server = FaultyServer::start(|n| {
            if n == 0 {
                Action::Delay(Duration::from_millis(500), Box::new(ok_parameter("old")))
            } else {
                ok_parameter("new")
            }
        });
        let client = Client::builder()
            .endpoint(server.endpoint())
            .token(TOKEN)
            .env(HashMap::new())
            .build()
            .unwrap();
        let read = |client: Client| async move {
            client
                .get_parameter(&ParameterRequest::new("/p"), ReadOptions::default())
                .await
                .unwrap()
                .text()
                .map(str::to_string)
        };
        let early = tokio::spawn(read(client.clone()));
        while server.count() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        if clear {
            client.clear_cache();
        } else {
            assert_eq!(client.invalidate_parameter("/p"), 0);
        }
        // Does not join the early request: its own, answered at once.
        assert_eq!(read(client.clone()).await.as_deref(), Some("new"));
        assert_eq!(server.count(), 2);
        assert_eq!(early.await.unwrap().as_deref(), Some("old"));
        // The late "old" did not overwrite the cache.
        assert_eq!(read(client.clone()).await.as_deref(), Some("new"));
        assert_eq!(server.count(), 2, "the third read is a cache hit");
    }
}
