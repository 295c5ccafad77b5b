//! The HTTP/1.1 server: accept loop, keep-alive connections, the `/_emulator/*` endpoints,
//! per-request counting and logging. Dialect specifics live in `extension.rs` / `agent.rs`.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

use crate::app::App;
use crate::cache::CacheNote;
use crate::config::Dialect;
use crate::knobs::KnobsPatch;
use crate::store::RawResponse;
use crate::{agent, extension};

pub type Body = Full<Bytes>;

/// What a dialect handler produced, plus what the log line wants to know.
pub struct Outcome {
    pub response: Response<Body>,
    pub cache: CacheNote,
}

impl Outcome {
    pub fn new(response: Response<Body>, cache: CacheNote) -> Self {
        Self { response, cache }
    }

    /// A plain-text answer that never reached the cache.
    pub fn text(status: StatusCode, body: &str, content_type: bool) -> Self {
        Self::new(text(status, body, content_type), CacheNote::None)
    }
}

fn with_status(status: StatusCode, body: Bytes) -> Response<Body> {
    let mut r = Response::new(Full::new(body));
    *r.status_mut() = status;
    r
}

/// A plain-text response. The managed extension labels its text answers `text/plain`; the
/// Agent sets no content type at all, so dialects choose.
pub fn text(status: StatusCode, body: &str, content_type: bool) -> Response<Body> {
    let mut r = with_status(status, Bytes::copy_from_slice(body.as_bytes()));
    if content_type {
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    }
    r
}

pub fn json(status: StatusCode, body: Bytes, content_type: bool) -> Response<Body> {
    let mut r = with_status(status, body);
    if content_type {
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    r
}

/// A `respond` knob's canned answer, verbatim.
pub fn raw(raw: &RawResponse) -> Response<Body> {
    let mut r = with_status(raw.status, raw.body.clone());
    for (name, value) in &raw.headers {
        r.headers_mut().append(name.clone(), value.clone());
    }
    r
}

/// Serialises a response document; these types cannot fail to serialise, but the lints forbid
/// `unwrap`, and an empty object is a harmless fallback.
pub fn to_json_bytes<T: serde::Serialize>(value: &T) -> Bytes {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .unwrap_or_else(|_| Bytes::from_static(b"{}"))
}

/// Whether a path is one of the dialect's API routes (the ones `requests` counts).
fn is_api_route(dialect: Dialect, path: &str) -> bool {
    match dialect {
        Dialect::Extension => matches!(
            path,
            extension::PARAMETERS_PATH | extension::PARAMETERS_PATH_SLASH | extension::SECRETS_PATH
        ),
        Dialect::Agent => path == agent::SECRETS_PATH || path.starts_with(agent::PATH_PREFIX),
    }
}

/// The `/_emulator/*` endpoints: no token, any dialect, never values.
const EMULATOR_PATHS: [&str; 3] = ["/_emulator/stats", "/_emulator/reset", "/_emulator/knobs"];
/// More than any knobs document needs.
const MAX_KNOBS_BODY: usize = 64 * 1024;

fn knobs_json(app: &App) -> Outcome {
    Outcome::new(
        json(StatusCode::OK, to_json_bytes(&app.knobs.get()), true),
        CacheNote::None,
    )
}

/// `POST /_emulator/knobs`: a JSON object with any subset of the knobs; all or nothing.
async fn patch_knobs(app: &App, body: Incoming) -> Outcome {
    let bytes = match Limited::new(body, MAX_KNOBS_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return Outcome::text(
                StatusCode::BAD_REQUEST,
                &format!("cannot read the knobs body: {e}"),
                true,
            );
        }
    };
    let applied = serde_json::from_slice::<KnobsPatch>(&bytes)
        .map_err(|e| format!("invalid knobs JSON: {e}"))
        .and_then(|patch| app.knobs.apply(patch));
    match applied {
        Ok(now) => {
            log::info!(
                "knobs: upstream_latency_ms={} upstream_down={} not_found_status={} connection_lifetime_secs={}",
                now.upstream_latency_ms,
                now.upstream_down,
                now.not_found_status,
                now.connection_lifetime_secs
            );
            knobs_json(app)
        }
        Err(e) => Outcome::text(StatusCode::BAD_REQUEST, &e, true),
    }
}

async fn emulator_endpoint(app: &App, req: Request<Incoming>) -> Outcome {
    let (parts, body) = req.into_parts();
    match (parts.uri.path(), &parts.method) {
        ("/_emulator/stats", &Method::GET) => Outcome::new(
            json(StatusCode::OK, to_json_bytes(&app.stats.snapshot()), true),
            CacheNote::None,
        ),
        ("/_emulator/reset", &Method::POST) => {
            app.stats.reset();
            app.cache.clear();
            app.knobs.reset();
            Outcome::new(
                json(
                    StatusCode::OK,
                    Bytes::from_static(b"{\"reset\":true}"),
                    true,
                ),
                CacheNote::None,
            )
        }
        ("/_emulator/knobs", &Method::GET) => knobs_json(app),
        ("/_emulator/knobs", &Method::POST) => patch_knobs(app, body).await,
        _ => Outcome::text(StatusCode::METHOD_NOT_ALLOWED, "Not allowed", true),
    }
}

/// Query keys whose values are names or selectors, safe to show in the log. Anything else
/// is shown by key only, so an odd client can never make a value or token reach the log.
const LOGGABLE_KEYS: [&str; 8] = [
    "name",
    "version",
    "label",
    "withDecryption",
    "secretId",
    "versionId",
    "versionStage",
    "refreshNow",
];

fn describe_query(query: Option<&str>) -> String {
    let Some(q) = query else {
        return String::new();
    };
    let parts: Vec<String> = crate::query::parse_pairs(q)
        .into_iter()
        .map(|(k, v)| {
            if LOGGABLE_KEYS.contains(&k.as_str()) {
                format!("{k}={v:?}")
            } else {
                format!("{k}=…")
            }
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(" "))
    }
}

async fn handle(app: &App, req: Request<Incoming>) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = log::log_enabled!(log::Level::Debug).then(|| describe_query(req.uri().query()));
    let api = is_api_route(app.dialect, &path);
    if api {
        app.stats.request();
    }
    let outcome = if EMULATOR_PATHS.contains(&path.as_str()) {
        emulator_endpoint(app, req).await
    } else {
        match app.dialect {
            Dialect::Extension => extension::handle(app, &req).await,
            Dialect::Agent => agent::handle(app, &req).await,
        }
    };
    let status = outcome.response.status();
    if api && !status.is_success() {
        app.stats.error();
    }
    if let Some(query) = query {
        log::debug!(
            "{method} {path}{query} -> {} cache={} {:.2}ms",
            status.as_u16(),
            outcome.cache.as_str(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    outcome.response
}

/// During the Agent's not-ready window the real thing is simply not listening yet; the closest
/// we can do on an already-bound socket is to reset each connection (clients see "connection
/// reset", which they retry like "connection refused").
fn reset_connection(stream: TcpStream) {
    // SO_LINGER 0 makes close() send RST instead of FIN.
    let _ = stream.set_zero_linger();
    drop(stream);
}

fn serve_connection(app: Arc<App>, stream: TcpStream) {
    // Small request/response pairs on keep-alive connections: Nagle would only add latency.
    let _ = stream.set_nodelay(true);
    let lifetime = app.knobs.get().connection_lifetime();
    tokio::spawn(async move {
        let service = service_fn(move |req| {
            let app = app.clone();
            async move { Ok::<_, Infallible>(handle(&app, req).await) }
        });
        // No timer, hence no header-read timeout: like the real (Go) server, an idle
        // keep-alive connection stays open until the client closes it.
        let mut builder = http1::Builder::new();
        builder.keep_alive(true);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let ended = match lifetime {
            // The Agent's way: a timeout around the whole connection; when it fires the
            // connection is dropped, idle or mid-request (no response, no graceful close).
            Some(limit) => match tokio::time::timeout(limit, connection).await {
                Ok(ended) => ended,
                Err(_) => {
                    log::debug!("connection closed after its {limit:?} lifetime");
                    return;
                }
            },
            None => connection.await,
        };
        if let Err(e) = ended {
            log::debug!("connection ended with an error: {e}");
        }
    });
}

/// Accepts connections until `shutdown` completes.
pub async fn run(app: Arc<App>, listener: TcpListener, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    if app.dialect == Dialect::Agent && !app.ready() {
                        // Off the accept loop: a Lambda extension's gate may open within the hold.
                        let app = app.clone();
                        tokio::spawn(async move {
                            if app.readiness.ready_or_hold().await {
                                serve_connection(app, stream);
                            } else {
                                reset_connection(stream);
                            }
                        });
                    } else {
                        serve_connection(app.clone(), stream);
                    }
                }
                Err(e) => {
                    // Typically EMFILE under extreme load: back off briefly, keep serving.
                    log::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
        }
    }
}
