//! One HTTP attempt on reqwest: keep-alive pool, per-attempt timeout covering the body, the
//! 1 MiB body cap, and the mapping of connection failures to error codes.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use zeroize::Zeroizing;

use crate::config::{Config, MAX_BODY_BYTES, TOKEN_HEADER};
use crate::error::{Error, ErrorCode, Result, Retry};
use crate::protocol::Subject;

/// The raw answer of one attempt. The body is zeroized on drop: it may hold a secret.
pub(crate) struct Answer {
    pub status: u16,
    pub errortype: Option<String>,
    pub body: Zeroizing<Vec<u8>>,
}

/// The HTTP client: loopback, plain HTTP/1.1, keep-alive, proxies ignored (a Lambda's
/// `HTTP_PROXY` must never see the token). No `User-Agent`: nothing reads it, and every extra
/// header is bytes to write and parse on each miss (measured: ~1 % of a miss on loopback).
pub(crate) fn build_http(config: &Config) -> Result<reqwest::Client> {
    let mut token = HeaderValue::from_str(config.token.expose())
        .map_err(|_| Error::invalid("the token cannot go in an HTTP header"))?;
    token.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(TOKEN_HEADER, token);
    reqwest::Client::builder()
        .default_headers(headers)
        .no_proxy()
        .tcp_nodelay(true)
        .http1_only()
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(32)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::internal("cannot build the HTTP client").with_source(e))
}

/// Sends one GET and reads the whole answer, within `timeout`.
pub(crate) async fn get(
    http: &reqwest::Client,
    url: &str,
    timeout: Duration,
    subject: &Subject<'_>,
) -> Result<Answer> {
    let attempt = async {
        let mut resp = http
            .get(url)
            .send()
            .await
            .map_err(|e| send_error(e, url, subject))?;
        let status = resp.status().as_u16();
        // Only error answers are classified by their type.
        let errortype = if status == 200 {
            None
        } else {
            resp.headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let too_large = |n: String| {
            Error::new(
                ErrorCode::Protocol,
                format!(
                    "the answer for {subject} is {n} bytes, over the {MAX_BODY_BYTES}-byte limit"
                ),
            )
            .with_status(status)
        };
        let declared = resp.content_length();
        if let Some(len) = declared {
            if len > MAX_BODY_BYTES as u64 {
                return Err(too_large(len.to_string()));
            }
        }
        let capacity = declared.map(|l| l as usize).unwrap_or(8 * 1024);
        let mut body = Zeroizing::new(Vec::with_capacity(capacity));
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(too_large(format!("more than {}", body.len() + chunk.len())));
                    }
                    extend_wiping(&mut body, &chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(Error::new(
                        ErrorCode::Protocol,
                        format!(
                            "the connection closed before the whole answer for {subject} arrived"
                        ),
                    )
                    .with_status(status)
                    .with_retry(Retry::Transient)
                    .with_source(e));
                }
            }
        }
        Ok(Answer {
            status,
            errortype,
            body,
        })
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(r) => r,
        Err(_) => Err(Error::new(
            ErrorCode::Timeout,
            format!("no answer for {subject} within {} ms", timeout.as_millis()),
        )
        .with_retry(Retry::TimedOut)),
    }
}

fn base_of(url: &str) -> &str {
    match url.match_indices('/').nth(2) {
        Some((i, _)) => &url[..i],
        None => url,
    }
}

fn send_error(e: reqwest::Error, url: &str, subject: &Subject<'_>) -> Error {
    let base = base_of(url);
    let reset = {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        let mut found = false;
        while let Some(s) = src {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                found = matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
                );
                break;
            }
            src = s.source();
        }
        found
    };
    let (retry, message) = if e.is_connect() {
        (
            Retry::StartUp,
            format!(
                "nothing is listening at {base} (reading {subject}): is the Parameters and Secrets extension layer attached and PARAMETERS_SECRETS_EXTENSION_HTTP_PORT right?"
            ),
        )
    } else if reset {
        (
            Retry::StartUp,
            format!(
                "the connection to {base} was reset (reading {subject}); the extension may be restarting"
            ),
        )
    } else if e.is_timeout() {
        return Error::new(
            ErrorCode::Timeout,
            format!("the request for {subject} timed out"),
        )
        .with_retry(Retry::TimedOut)
        .with_source(e);
    } else {
        (
            Retry::Transient,
            format!("the connection to {base} failed before an answer (reading {subject})"),
        )
    };
    Error::new(ErrorCode::Unavailable, message)
        .with_retry(retry)
        .with_source(e.without_url())
}

/// Appends `more` to `body`, growing it by hand: `Vec`'s own growth would free the old buffer
/// with the bytes of the answer so far still in it. The old buffer is wiped as it goes.
fn extend_wiping(body: &mut Zeroizing<Vec<u8>>, more: &[u8]) {
    let needed = body.len() + more.len();
    if needed > body.capacity() {
        let mut grown = Zeroizing::new(Vec::with_capacity(needed.max(body.capacity() * 2)));
        grown.extend_from_slice(body);
        // The old buffer is zeroized when `grown` replaces it.
        *body = grown;
    }
    body.extend_from_slice(more);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_growing_body_keeps_every_byte_in_order() {
        let mut body = Zeroizing::new(Vec::with_capacity(4));
        let mut expected = Vec::new();
        for i in 0..100u8 {
            let piece = vec![i; usize::from(i % 7) + 1];
            extend_wiping(&mut body, &piece);
            expected.extend_from_slice(&piece);
        }
        assert_eq!(body.as_slice(), expected.as_slice());
        assert!(body.capacity() >= expected.len());
    }
}
