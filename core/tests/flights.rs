//! Single-flight requests outlive the read that started them, an answer is as old as the
//! request that brought it, and a read that joins a prefetch keeps its own deadline.
//!
//! Each case is a defect the review found: a read dropped by `tokio::time::timeout` (or a
//! `select!`) used to leave its flight registered and unpolled, so a later read joined it and
//! got its stale answer (cached as new) or its long-expired timeout; and a read that joined a
//! prefetch waited out the prefetch's 10 s start-up window instead of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use paramsecrets::{Client, ClientBuilder, ErrorCode, ParameterRequest, ReadOptions};
use support::faulty::{Action, FaultyServer, ok_parameter, status};

const NOT_READY: &str = "not ready to serve traffic, please wait";

fn builder(endpoint: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .token("t")
        .env(HashMap::new())
}

async fn read(client: &Client) -> Result<String, paramsecrets::Error> {
    client
        .get_parameter(&ParameterRequest::new("/p"), ReadOptions::default())
        .await
        .map(|p| p.text().unwrap_or_default().to_string())
}

/// Sleeps until `at` (no-op if it has passed).
async fn until(at: Instant) {
    tokio::time::sleep(at.saturating_duration_since(Instant::now())).await;
}

#[tokio::test]
async fn a_dropped_read_leaves_a_flight_that_finishes_and_ages_from_its_request() {
    // The first request is answered late with "old"; every later one at once with "new".
    let server = FaultyServer::start(|n| {
        if n == 0 {
            Action::Delay(Duration::from_millis(300), Box::new(ok_parameter("old")))
        } else {
            ok_parameter("new")
        }
    });
    let client = builder(&server.endpoint())
        .ttl(Duration::from_secs(2))
        .build()
        .unwrap();
    let t0 = Instant::now();
    let dropped = tokio::time::timeout(Duration::from_millis(50), read(&client)).await;
    assert!(dropped.is_err(), "the read was dropped mid-flight");

    // The flight went on without its caller and cached its answer.
    until(t0 + Duration::from_millis(1000)).await;
    assert_eq!(read(&client).await.unwrap(), "old");
    assert_eq!(server.count(), 1, "served from what the flight cached");

    // That answer is as old as its request (t0), not as its arrival or its first reader: it has
    // expired 2 s after t0, so this read asks again.
    until(t0 + Duration::from_millis(2200)).await;
    assert_eq!(read(&client).await.unwrap(), "new");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_read_dropped_while_the_server_is_silent_leaves_nothing_for_later_reads_to_join() {
    // Requests in the first 2.5 s get no answer for 10 s; later ones are answered at once.
    let started = Instant::now();
    let server = FaultyServer::start(move |_| {
        if started.elapsed() < Duration::from_millis(2500) {
            Action::Delay(Duration::from_secs(10), Box::new(ok_parameter("late")))
        } else {
            ok_parameter("answered")
        }
    });
    let client = builder(&server.endpoint())
        .timeout(Duration::from_millis(1000))
        .deadline(Duration::from_millis(1200))
        .build()
        .unwrap();
    let dropped = tokio::time::timeout(Duration::from_millis(50), read(&client)).await;
    assert!(dropped.is_err(), "the read was dropped mid-flight");
    // Its flight timed out on its own (1 s, no retry inside a 1.2 s deadline) and is gone. (A
    // whole second per attempt: a fresh connection takes hundreds of ms under qemu.)
    until(started + Duration::from_millis(3000)).await;
    let requests_before = client.stats().requests;
    assert_eq!(read(&client).await.unwrap(), "answered");
    assert_eq!(
        client.stats().requests,
        requests_before + 1,
        "a request of its own, not the abandoned one's timeout"
    );
    assert_eq!(client.stats().coalesced, 0);
}

#[tokio::test]
async fn an_answer_is_as_old_as_its_request_not_its_arrival() {
    let server = FaultyServer::start(|n| {
        if n == 0 {
            Action::Delay(Duration::from_millis(800), Box::new(ok_parameter("v1")))
        } else {
            ok_parameter("v2")
        }
    });
    let client = builder(&server.endpoint())
        .ttl(Duration::from_secs(1))
        .build()
        .unwrap();
    let t0 = Instant::now();
    assert_eq!(read(&client).await.unwrap(), "v1");
    // 1.3 s after the request, 0.5 s after the answer arrived: older than the 1 s TTL.
    until(t0 + Duration::from_millis(1300)).await;
    assert_eq!(read(&client).await.unwrap(), "v2");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_read_joining_a_prefetch_keeps_its_own_deadline_when_nothing_listens() {
    let port = support::closed_port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let client = builder(&endpoint)
        .ready_timeout(Duration::from_millis(500))
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    client
        .prefetch(&[ParameterRequest::new("/p")], &[])
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let joined = Instant::now();
    let err = read(&client).await.unwrap_err();
    let waited = joined.elapsed();
    assert_eq!(err.code(), ErrorCode::Unavailable, "{err:?}");
    assert!(err.message().contains(&port.to_string()), "{err:?}");
    assert_eq!(client.stats().coalesced, 1, "it joined the prefetch");
    // The prefetch itself keeps trying for 10 s; the read gave up within its own 2 s deadline.
    assert!(
        waited < Duration::from_secs(2),
        "waited {waited:?}, past its own deadline"
    );
}

#[tokio::test]
async fn on_lambda_a_read_joining_a_prefetch_fails_not_ready_like_a_read_of_its_own() {
    let server = FaultyServer::start(|_| status(400, NOT_READY));
    let client = Client::builder()
        .endpoint(server.endpoint())
        .token("t")
        .env(HashMap::from([(
            "AWS_LAMBDA_RUNTIME_API".to_string(),
            "127.0.0.1:9001".to_string(),
        )]))
        .build()
        .unwrap();
    client
        .prefetch(&[ParameterRequest::new("/p")], &[])
        .unwrap();
    // Wait for the prefetch to have heard "not ready" at least once.
    let sent = Instant::now();
    while server.count() == 0 && sent.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let joined = Instant::now();
    let err = read(&client).await.unwrap_err();
    let waited = joined.elapsed();
    assert_eq!(err.code(), ErrorCode::NotReady, "{err:?}");
    assert!(err.message().contains("INIT"), "{err:?}");
    assert_eq!(client.stats().coalesced, 1, "it joined the prefetch");
    // A read of its own gives up after the 50 ms start-up race; the 5 s read deadline and
    // Lambda's 3 s default function timeout are far beyond, the prefetch's 10 s further still.
    assert!(
        waited < Duration::from_secs(2),
        "waited {waited:?}: the prefetch's window, not its own"
    );
}
