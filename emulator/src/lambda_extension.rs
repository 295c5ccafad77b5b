//! The emulator as a Lambda external extension: a client of the Lambda Extensions API
//! (`$AWS_LAMBDA_RUNTIME_API/2020-01-01/extension/...`) and the lifecycle it drives.
//!
//! Lambda starts every file in `/opt/extensions` and waits for each to register before it
//! starts the runtime (the function's init code). INIT ends when the runtime and every
//! extension ask for their next event; the extension's first INVOKE is therefore the end of
//! INIT, which is when the managed extension starts serving. SHUTDOWN ends the process.
//! Sources: reference/lambda-runtime.md ("Extensions under RIE").

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::app::App;

const API_VERSION: &str = "2020-01-01";
const NAME_HEADER: &str = "Lambda-Extension-Name";
const ID_HEADER: &str = "Lambda-Extension-Identifier";
/// Registration is answered at once by Lambda; a stand-in that never answers must not hang
/// the function's INIT forever without a word.
const REGISTER_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an error answer's body goes into a message.
const BODY_EXCERPT: usize = 300;

/// The name Lambda knows an external extension by: its file name under `/opt/extensions`.
/// Taken from `argv[0]`, not the resolved executable, so a symlink's name counts.
pub fn extension_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "paramsecrets-emulator".to_string())
}

/// One answer from the Extensions API.
struct Answer {
    status: StatusCode,
    identifier: Option<String>,
    body: Bytes,
}

/// `AWS_LAMBDA_RUNTIME_API` is `host:port`; tolerate an `http://` prefix and a trailing `/`.
fn authority(runtime_api: &str) -> &str {
    let a = runtime_api.strip_prefix("http://").unwrap_or(runtime_api);
    a.trim_end_matches('/')
}

/// One request on its own connection: the API sees a handful of calls per invocation, and a
/// fresh connection is immune to a stale keep-alive after a long freeze.
async fn call(authority: &str, request: Request<Full<Bytes>>) -> Result<Answer, String> {
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake failed: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let identifier = response
        .headers()
        .get(ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("reading the answer failed: {e}"))?
        .to_bytes();
    Ok(Answer {
        status,
        identifier,
        body,
    })
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(BODY_EXCERPT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// `POST /extension/register` for INVOKE and SHUTDOWN; returns the extension identifier.
async fn register(authority: &str, name: &str) -> Result<String, String> {
    let url = format!("http://{authority}/{API_VERSION}/extension/register");
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/{API_VERSION}/extension/register"))
        .header(HOST, authority)
        .header(NAME_HEADER, name)
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from_static(
            br#"{"events":["INVOKE","SHUTDOWN"]}"#,
        )))
        .map_err(|e| format!("cannot build the registration request for {url}: {e}"))?;
    let answer = match tokio::time::timeout(REGISTER_TIMEOUT, call(authority, request)).await {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => {
            return Err(format!(
                "cannot register with the Lambda Extensions API at {url}: {e}"
            ));
        }
        Err(_) => {
            return Err(format!(
                "cannot register with the Lambda Extensions API at {url}: no answer within {}s",
                REGISTER_TIMEOUT.as_secs()
            ));
        }
    };
    if !answer.status.is_success() {
        return Err(format!(
            "the Lambda Extensions API at {url} refused the registration: {} {}",
            answer.status,
            excerpt(&answer.body)
        ));
    }
    answer.identifier.ok_or_else(|| {
        format!("the Lambda Extensions API at {url} answered the registration without a {ID_HEADER} header")
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Event {
    Invoke,
    Shutdown {
        reason: String,
    },
    /// Anything else: logged and skipped (we subscribe to INVOKE and SHUTDOWN only).
    Other(String),
}

fn parse_event(body: &[u8]) -> Result<Event, String> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the event is not JSON: {e}"))?;
    let kind = v
        .get("eventType")
        .and_then(|t| t.as_str())
        .ok_or("the event has no eventType")?;
    Ok(match kind {
        "INVOKE" => Event::Invoke,
        "SHUTDOWN" => Event::Shutdown {
            reason: v
                .get("shutdownReason")
                .and_then(|r| r.as_str())
                .unwrap_or("unknown")
                .to_string(),
        },
        other => Event::Other(other.to_string()),
    })
}

/// `GET /extension/event/next`: blocks until Lambda has an event for us.
async fn next_event(authority: &str, id: &str) -> Result<Event, String> {
    let request = Request::builder()
        .method(Method::GET)
        .uri(format!("/{API_VERSION}/extension/event/next"))
        .header(HOST, authority)
        .header(ID_HEADER, id)
        .body(Full::new(Bytes::new()))
        .map_err(|e| format!("cannot build the event request: {e}"))?;
    let answer = call(authority, request).await?;
    if !answer.status.is_success() {
        return Err(format!(
            "answered {} {}",
            answer.status,
            excerpt(&answer.body)
        ));
    }
    parse_event(&answer.body)
}

/// Registers, then follows Lambda's events: the first INVOKE opens the readiness gate,
/// SHUTDOWN returns success. Any failure to talk to the API returns a failure status after
/// logging why (Lambda reports an extension that exits during INIT as `Extension.Crash`).
pub async fn run(runtime_api: &str, app: &App) -> ExitCode {
    let authority = authority(runtime_api);
    let name = extension_name();
    let id = match register(authority, &name).await {
        Ok(id) => id,
        Err(e) => {
            log::error!("{e}");
            return ExitCode::from(1);
        }
    };
    log::info!(
        "registered with the Lambda Extensions API at {authority} as {name:?}; not ready until the first INVOKE"
    );
    loop {
        match next_event(authority, &id).await {
            Ok(Event::Invoke) => {
                if !app.ready() {
                    log::info!("first INVOKE: INIT is over, serving");
                    app.readiness.open();
                }
            }
            Ok(Event::Shutdown { reason }) => {
                log::info!("SHUTDOWN ({reason}): exiting");
                return ExitCode::SUCCESS;
            }
            Ok(Event::Other(kind)) => log::warn!("ignoring Lambda event {kind:?}"),
            Err(e) => {
                log::error!(
                    "lost the Lambda Extensions API at {authority} (event/next: {e}); exiting"
                );
                return ExitCode::from(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_and_authority() {
        assert_eq!(
            parse_event(br#"{"eventType":"INVOKE","deadlineMs":1,"requestId":"r"}"#),
            Ok(Event::Invoke)
        );
        assert_eq!(
            parse_event(br#"{"eventType":"SHUTDOWN","shutdownReason":"spindown"}"#),
            Ok(Event::Shutdown {
                reason: "spindown".into()
            })
        );
        assert_eq!(
            parse_event(br#"{"eventType":"RESTORE"}"#),
            Ok(Event::Other("RESTORE".into()))
        );
        assert!(parse_event(b"nope").is_err());
        assert!(parse_event(b"{}").is_err());
        assert_eq!(authority("127.0.0.1:9001"), "127.0.0.1:9001");
        assert_eq!(authority("http://127.0.0.1:9001/"), "127.0.0.1:9001");
        assert_eq!(excerpt(&[b'x'; 400]).chars().count(), BODY_EXCERPT + 1);
    }
}
