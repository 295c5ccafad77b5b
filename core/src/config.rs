//! Configuration: the environment gives defaults, explicit builder settings win (DESIGN §3).
//!
//! The environment is read once, when the client is built, never on a read.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use crate::error::{Error, ErrorCode, Result};
use crate::types::Sensitive;

pub const DEFAULT_PORT: u16 = 2773;
pub const PORT_ENV: &str = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
/// Where the token is looked for, in order. A value `file://PATH` is read from that file.
pub const TOKEN_ENV_VARS: [&str; 4] = [
    "PARAMSECRETS_TOKEN",
    "AWS_TOKEN",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
];
pub const TTL_ENV: &str = "PARAMSECRETS_TTL";
pub const EXTENSION_PARAMETER_TTL_ENV: &str = "SSM_PARAMETER_STORE_TTL";
pub const EXTENSION_SECRET_TTL_ENV: &str = "SECRETS_MANAGER_TTL";
pub const CACHE_SIZE_ENV: &str = "PARAMSECRETS_CACHE_SIZE";
pub const TIMEOUT_ENV: &str = "PARAMSECRETS_TIMEOUT_MS";
pub const READY_TIMEOUT_ENV: &str = "PARAMSECRETS_READY_TIMEOUT_MS";
pub const STALE_IF_ERROR_ENV: &str = "PARAMSECRETS_STALE_IF_ERROR";
pub const DEADLINE_ENV: &str = "PARAMSECRETS_DEADLINE_MS";
pub const SERVER_ENV: &str = "PARAMSECRETS_SERVER";
/// Set by Lambda (and the Runtime Interface Emulator) in every execution environment.
pub const LAMBDA_RUNTIME_API_ENV: &str = "AWS_LAMBDA_RUNTIME_API";
/// The header that carries the token (an SSRF guard, DESIGN §2).
pub const TOKEN_HEADER: &str = "X-Aws-Parameters-Secrets-Token";

pub const DEFAULT_TTL: Duration = Duration::from_secs(300);
/// The managed extension clamps its TTLs to this; mirroring its setting never exceeds it.
const EXTENSION_MAX_TTL: Duration = Duration::from_secs(300);
pub const DEFAULT_CACHE_SIZE: usize = 1000;
/// The largest L1 capacity accepted. The cache sets aside room per entry up front (the hash
/// table, a memo slot), so an unbounded value would abort the host process on allocation; the
/// extension itself caches at most 1000 items.
pub const MAX_CACHE_SIZE: usize = 100_000;
/// Per attempt: longer than the Secrets Manager Agent's own SDK retries against an unreachable
/// AWS (about 2–2.5 s), so its answer (a stale value, or 502 `ConnectionError`) reaches the
/// caller instead of our timeout cutting it off.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(3000);
/// The whole read, retries included: one full attempt plus room for quick retries, well
/// inside Lambda's INIT limit (10 s); a function with Lambda's default 3 s timeout ends first.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(5000);
pub const DEFAULT_READY_TIMEOUT: Duration = Duration::from_millis(3000);
/// Response bodies larger than this are refused (DESIGN §3, Security).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Names and ids longer than this are refused before any request.
pub const MAX_NAME_BYTES: usize = 2048;

/// Which server the client talks to. It decides one thing: whether `force_fetch` may send the
/// Agent's `refreshNow=true` (the managed extension documents no such parameter, and the
/// Agent rejects query keys it does not know, so neither gets one it cannot take).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// Learn it from the answers (a secret answer with or without `ResultMetadata`, the
    /// Agent's 403 `Bad Token` or JSON error bodies); until known, act as for the extension.
    Auto,
    /// The AWS Parameters and Secrets Lambda Extension.
    Extension,
    /// The open-source AWS Secrets Manager Agent.
    Agent,
}

impl ServerKind {
    /// The spelling of options and `PARAMSECRETS_SERVER`: `auto`, `extension`, `agent`.
    pub fn parse(s: &str) -> Result<ServerKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ServerKind::Auto),
            "extension" => Ok(ServerKind::Extension),
            "agent" => Ok(ServerKind::Agent),
            other => Err(Error::invalid(format!(
                "unknown server {other:?}: expected \"auto\", \"extension\" or \"agent\""
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::Auto => "auto",
            ServerKind::Extension => "extension",
            ServerKind::Agent => "agent",
        }
    }
}

/// The resolved settings of one client. Built by [`ClientBuilder`].
#[derive(Clone)]
pub struct Config {
    /// `http://host:port`, no trailing slash.
    pub(crate) base_url: String,
    pub(crate) token: Sensitive<String>,
    pub parameter_ttl: Duration,
    pub secret_ttl: Duration,
    pub cache_size: usize,
    pub timeout: Duration,
    /// The whole read, retries included.
    pub deadline: Duration,
    pub ready_timeout: Duration,
    pub stale_if_error: Duration,
    pub server: ServerKind,
    /// Running inside a Lambda execution environment (`AWS_LAMBDA_RUNTIME_API` is set): a
    /// "not ready" answer then means the function's INIT phase, which cannot end while the read
    /// waits, so only the start-up race is retried (see `client`).
    pub in_lambda: bool,
}

impl Config {
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("parameter_ttl", &self.parameter_ttl)
            .field("secret_ttl", &self.secret_ttl)
            .field("cache_size", &self.cache_size)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("ready_timeout", &self.ready_timeout)
            .field("stale_if_error", &self.stale_if_error)
            .field("server", &self.server)
            .field("in_lambda", &self.in_lambda)
            .finish()
    }
}

/// Builds a [`Config`] (and from it a client). Every setting left unset falls back to the
/// environment, then to the documented default.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    port: Option<u16>,
    token: Option<Sensitive<String>>,
    ttl: Option<Duration>,
    parameter_ttl: Option<Duration>,
    secret_ttl: Option<Duration>,
    cache_size: Option<usize>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    ready_timeout: Option<Duration>,
    stale_if_error: Option<Duration>,
    server: Option<ServerKind>,
    allow_non_loopback: bool,
    env: Option<HashMap<String, String>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("port", &self.port)
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// The extension's port on 127.0.0.1 (default: `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, else 2773).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// A full base URL such as `http://127.0.0.1:2773`. Only loopback hosts are accepted
    /// unless [`allow_non_loopback`](Self::allow_non_loopback) is set.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The token sent in `X-Aws-Parameters-Secrets-Token`. A value `file://PATH` is read from
    /// that file when the client is built.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Sensitive::new(token.into()));
        self
    }

    /// The in-process cache TTL for both kinds. Zero turns the cache off.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    pub fn parameter_ttl(mut self, ttl: Duration) -> Self {
        self.parameter_ttl = Some(ttl);
        self
    }

    pub fn secret_ttl(mut self, ttl: Duration) -> Self {
        self.secret_ttl = Some(ttl);
        self
    }

    /// The cache's capacity in entries (least recently used are evicted). Zero turns it off.
    pub fn cache_size(mut self, entries: usize) -> Self {
        self.cache_size = Some(entries);
        self
    }

    /// The timeout of one HTTP attempt, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest a whole read may take, retries included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Which server answers (default: `PARAMSECRETS_SERVER`, else [`ServerKind::Auto`]).
    pub fn server(mut self, server: ServerKind) -> Self {
        self.server = Some(server);
        self
    }

    /// How long to keep retrying while the extension is starting (refused / "not ready").
    pub fn ready_timeout(mut self, timeout: Duration) -> Self {
        self.ready_timeout = Some(timeout);
        self
    }

    /// Serve an expired value for this long past its TTL when a refresh fails transiently.
    pub fn stale_if_error(mut self, window: Duration) -> Self {
        self.stale_if_error = Some(window);
        self
    }

    /// Accept an endpoint that is not on this machine. The token is part of the function's
    /// credentials, so this is an explicit opt-in.
    pub fn allow_non_loopback(mut self, allow: bool) -> Self {
        self.allow_non_loopback = allow;
        self
    }

    /// Read defaults from this map instead of the process environment (tests, embedding).
    pub fn env(mut self, env: HashMap<String, String>) -> Self {
        self.env = Some(env);
        self
    }

    fn var(&self, key: &str) -> Option<String> {
        let v = match &self.env {
            Some(map) => map.get(key).cloned(),
            None => std::env::var(key).ok(),
        };
        v.filter(|s| !s.trim().is_empty())
    }

    fn var_u64(&self, key: &str) -> Result<Option<u64>> {
        match self.var(key) {
            None => Ok(None),
            Some(v) => v.trim().parse::<u64>().map(Some).map_err(|_| {
                Error::invalid(format!(
                    "environment variable {key} must be a whole number, got {v:?}"
                ))
            }),
        }
    }

    /// Resolves every setting. Fails with `missing_token` or `invalid_argument`.
    pub fn build_config(&self) -> Result<Config> {
        let base_url = self.resolve_base_url()?;
        let token = self.resolve_token()?;
        let both = match self.ttl {
            Some(t) => Some(t),
            None => self.var_u64(TTL_ENV)?.map(Duration::from_secs),
        };
        let from_extension = |key: &str| -> Result<Option<Duration>> {
            Ok(self
                .var_u64(key)?
                .map(|s| Duration::from_secs(s).min(EXTENSION_MAX_TTL)))
        };
        let parameter_ttl = match self.parameter_ttl.or(both) {
            Some(t) => t,
            None => from_extension(EXTENSION_PARAMETER_TTL_ENV)?.unwrap_or(DEFAULT_TTL),
        };
        let secret_ttl = match self.secret_ttl.or(both) {
            Some(t) => t,
            None => from_extension(EXTENSION_SECRET_TTL_ENV)?.unwrap_or(DEFAULT_TTL),
        };
        let (cache_size, origin) = match self.cache_size {
            Some(n) => (n as u64, "the cache_size option"),
            None => match self.var_u64(CACHE_SIZE_ENV)? {
                Some(n) => (n, CACHE_SIZE_ENV),
                None => (DEFAULT_CACHE_SIZE as u64, ""),
            },
        };
        if cache_size > MAX_CACHE_SIZE as u64 {
            return Err(Error::invalid(format!(
                "{origin} is {cache_size} entries; at most {MAX_CACHE_SIZE} are supported (0 turns the cache off)"
            )));
        }
        let cache_size = cache_size as usize;
        let millis =
            |explicit: Option<Duration>, key: &str, default: Duration| -> Result<Duration> {
                match explicit {
                    Some(d) => Ok(d),
                    None => Ok(self
                        .var_u64(key)?
                        .map(Duration::from_millis)
                        .unwrap_or(default)),
                }
            };
        let timeout = millis(self.timeout, TIMEOUT_ENV, DEFAULT_TIMEOUT)?;
        if timeout.is_zero() {
            return Err(Error::invalid(
                "the request timeout must be greater than zero",
            ));
        }
        let deadline = millis(self.deadline, DEADLINE_ENV, DEFAULT_DEADLINE)?;
        if deadline.is_zero() {
            return Err(Error::invalid(format!(
                "the read deadline ({DEADLINE_ENV} or the deadline option) must be greater than zero"
            )));
        }
        let ready_timeout = millis(self.ready_timeout, READY_TIMEOUT_ENV, DEFAULT_READY_TIMEOUT)?;
        let server = match self.server {
            Some(s) => s,
            None => match self.var(SERVER_ENV) {
                Some(v) => ServerKind::parse(&v).map_err(|_| {
                    Error::invalid(format!(
                        "environment variable {SERVER_ENV} must be auto, extension or agent, got {v:?}"
                    ))
                })?,
                None => ServerKind::Auto,
            },
        };
        let in_lambda = self.var(LAMBDA_RUNTIME_API_ENV).is_some();
        let stale_if_error = match self.stale_if_error {
            Some(d) => d,
            None => self
                .var_u64(STALE_IF_ERROR_ENV)?
                .map(Duration::from_secs)
                .unwrap_or(Duration::ZERO),
        };
        Ok(Config {
            base_url,
            token,
            parameter_ttl,
            secret_ttl,
            cache_size,
            timeout,
            deadline,
            ready_timeout,
            stale_if_error,
            server,
            in_lambda,
        })
    }

    fn resolve_base_url(&self) -> Result<String> {
        if let Some(endpoint) = &self.endpoint {
            return check_endpoint(endpoint, self.allow_non_loopback);
        }
        let port = match self.port {
            Some(p) => p,
            None => match self.var(PORT_ENV) {
                None => DEFAULT_PORT,
                Some(v) => match v.trim().parse::<u16>() {
                    Ok(p) if p > 0 => p,
                    _ => {
                        return Err(Error::invalid(format!(
                            "environment variable {PORT_ENV} must be a port number (1-65535), got {v:?}"
                        )));
                    }
                },
            },
        };
        if port == 0 {
            return Err(Error::invalid("the port must be between 1 and 65535"));
        }
        Ok(format!("http://127.0.0.1:{port}"))
    }

    fn resolve_token(&self) -> Result<Sensitive<String>> {
        let (raw, origin) = match &self.token {
            Some(t) => (t.clone(), "the token option".to_string()),
            None => {
                let found = TOKEN_ENV_VARS.iter().find_map(|k| {
                    self.var(k)
                        .map(|v| (Sensitive::new(v), format!("environment variable {k}")))
                });
                match found {
                    Some(f) => f,
                    None => {
                        return Err(Error::new(
                            ErrorCode::MissingToken,
                            format!(
                                "no token for the extension: set one of {} (a value file://PATH is read from that file), or pass a token explicitly",
                                TOKEN_ENV_VARS.join(", ")
                            ),
                        ));
                    }
                }
            }
        };
        let token = match raw.expose().strip_prefix("file://") {
            Some(path) => match std::fs::read_to_string(path) {
                Ok(contents) => Sensitive::new(contents.trim().to_string()),
                Err(e) => {
                    return Err(Error::new(
                        ErrorCode::MissingToken,
                        format!("cannot read the token file {path:?} named by {origin}: {e}"),
                    ));
                }
            },
            None => raw,
        };
        if token.expose().is_empty() {
            return Err(Error::new(
                ErrorCode::MissingToken,
                format!("the token from {origin} is empty"),
            ));
        }
        if token
            .expose()
            .bytes()
            .any(|b| b.is_ascii_control() || !b.is_ascii())
        {
            return Err(Error::invalid(format!(
                "the token from {origin} contains characters that cannot go in an HTTP header"
            )));
        }
        Ok(token)
    }
}

/// Accepts `http://HOST:PORT` (no path, no TLS: the extension speaks plain HTTP on loopback).
fn check_endpoint(endpoint: &str, allow_non_loopback: bool) -> Result<String> {
    let trimmed = endpoint.trim().trim_end_matches('/');
    let Some(authority) = trimmed.strip_prefix("http://") else {
        return Err(Error::invalid(format!(
            "endpoint {endpoint:?} must look like http://127.0.0.1:2773"
        )));
    };
    // The URL parser is built with the ASCII-only IDNA back end (Cargo.toml): say so here rather
    // than fail at the first request. A Unicode host name works in its `xn--` form.
    if !authority.is_ascii() {
        return Err(Error::invalid(format!(
            "endpoint {endpoint:?} has a non-ASCII host name; write it in its punycode (xn--) form"
        )));
    }
    if authority.is_empty() || authority.contains('/') || authority.contains('@') {
        return Err(Error::invalid(format!(
            "endpoint {endpoint:?} must be http://HOST:PORT with no path"
        )));
    }
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
            if p.parse::<u16>().map(|p| p == 0).unwrap_or(true) {
                return Err(Error::invalid(format!(
                    "endpoint {endpoint:?} has no valid port"
                )));
            }
            h
        }
        _ => authority,
    };
    let host_unbracketed = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host_unbracketed.eq_ignore_ascii_case("localhost")
        || host_unbracketed
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false);
    if !loopback && !allow_non_loopback {
        return Err(Error::invalid(format!(
            "endpoint {endpoint:?} is not on this machine; the token is part of the function's credentials, so a remote endpoint needs allow_non_loopback"
        )));
    }
    // `localhost` is pinned to 127.0.0.1, never looked up: the system resolver (a hosts file, an
    // NSS module) could send the token elsewhere, and would cost a lookup per connection.
    if host_unbracketed.eq_ignore_ascii_case("localhost") {
        let port = &authority[host.len()..];
        return Ok(format!("http://127.0.0.1{port}"));
    }
    Ok(format!("http://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_from_an_empty_environment_except_the_token() {
        let c = ClientBuilder::new()
            .env(env(&[("AWS_SESSION_TOKEN", "tok")]))
            .build_config()
            .expect("config");
        assert_eq!(c.base_url(), "http://127.0.0.1:2773");
        assert_eq!(c.parameter_ttl, DEFAULT_TTL);
        assert_eq!(c.secret_ttl, DEFAULT_TTL);
        assert_eq!(c.cache_size, 1000);
        assert_eq!(c.timeout, Duration::from_millis(3000));
        assert_eq!(c.deadline, Duration::from_millis(5000));
        assert_eq!(c.ready_timeout, Duration::from_millis(3000));
        assert_eq!(c.server, ServerKind::Auto);
        assert!(!c.in_lambda);
        assert_eq!(c.stale_if_error, Duration::ZERO);
        assert_eq!(c.token.expose(), "tok");
    }

    #[test]
    fn missing_token_names_every_variable_tried() {
        let err = ClientBuilder::new()
            .env(env(&[]))
            .build_config()
            .expect_err("no token");
        assert_eq!(err.code(), ErrorCode::MissingToken);
        for k in TOKEN_ENV_VARS {
            assert!(err.message().contains(k), "{}", err.message());
        }
    }

    #[test]
    fn token_chain_order_and_file_values() {
        let dir = std::env::temp_dir().join(format!("paramsecrets-token-{}", std::process::id()));
        std::fs::write(&dir, "from-file\n").expect("write");
        let file = format!("file://{}", dir.display());
        let c = ClientBuilder::new()
            .env(env(&[
                ("AWS_SESSION_TOKEN", "session"),
                ("AWS_TOKEN", &file),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container"),
            ]))
            .build_config()
            .expect("config");
        assert_eq!(c.token.expose(), "from-file");
        let c = ClientBuilder::new()
            .env(env(&[
                ("PARAMSECRETS_TOKEN", "mine"),
                ("AWS_SESSION_TOKEN", "session"),
            ]))
            .build_config()
            .expect("config");
        assert_eq!(c.token.expose(), "mine");
        let c = ClientBuilder::new()
            .token("explicit")
            .env(env(&[("PARAMSECRETS_TOKEN", "mine")]))
            .build_config()
            .expect("config");
        assert_eq!(c.token.expose(), "explicit");
        let _ = std::fs::remove_file(&dir);
        let err = ClientBuilder::new()
            .env(env(&[("AWS_TOKEN", "file:///nonexistent/paramsecrets")]))
            .build_config()
            .expect_err("unreadable file");
        assert_eq!(err.code(), ErrorCode::MissingToken);
        assert!(err.message().contains("/nonexistent/paramsecrets"));
    }

    #[test]
    fn explicit_settings_beat_the_environment() {
        let c = ClientBuilder::new()
            .env(env(&[
                ("AWS_SESSION_TOKEN", "t"),
                (PORT_ENV, "9999"),
                (TTL_ENV, "10"),
                (CACHE_SIZE_ENV, "5"),
                (TIMEOUT_ENV, "250"),
                (READY_TIMEOUT_ENV, "500"),
                (STALE_IF_ERROR_ENV, "60"),
                (DEADLINE_ENV, "900"),
                (SERVER_ENV, "Agent"),
                (LAMBDA_RUNTIME_API_ENV, "127.0.0.1:9001"),
            ]))
            .port(1234)
            .secret_ttl(Duration::from_secs(7))
            .build_config()
            .expect("config");
        assert_eq!(c.base_url(), "http://127.0.0.1:1234");
        assert_eq!(c.parameter_ttl, Duration::from_secs(10));
        assert_eq!(c.secret_ttl, Duration::from_secs(7));
        assert_eq!(c.cache_size, 5);
        assert_eq!(c.timeout, Duration::from_millis(250));
        assert_eq!(c.ready_timeout, Duration::from_millis(500));
        assert_eq!(c.stale_if_error, Duration::from_secs(60));
        assert_eq!(c.deadline, Duration::from_millis(900));
        assert_eq!(c.server, ServerKind::Agent);
        assert!(c.in_lambda);
        let c = ClientBuilder::new()
            .env(env(&[("AWS_SESSION_TOKEN", "t"), (SERVER_ENV, "agent")]))
            .server(ServerKind::Extension)
            .build_config()
            .expect("config");
        assert_eq!(c.server, ServerKind::Extension);
    }

    #[test]
    fn extension_ttls_are_mirrored_and_clamped() {
        let c = ClientBuilder::new()
            .env(env(&[
                ("AWS_SESSION_TOKEN", "t"),
                (EXTENSION_PARAMETER_TTL_ENV, "0"),
                (EXTENSION_SECRET_TTL_ENV, "900"),
            ]))
            .build_config()
            .expect("config");
        assert_eq!(c.parameter_ttl, Duration::ZERO);
        assert_eq!(c.secret_ttl, Duration::from_secs(300));
    }

    #[test]
    fn bad_environment_values_are_invalid_arguments() {
        for (k, v) in [
            (PORT_ENV, "http"),
            (PORT_ENV, "0"),
            (TTL_ENV, "-1"),
            (TIMEOUT_ENV, "1.5"),
            (DEADLINE_ENV, "0"),
            (SERVER_ENV, "proxy"),
        ] {
            let err = ClientBuilder::new()
                .env(env(&[("AWS_SESSION_TOKEN", "t"), (k, v)]))
                .build_config()
                .expect_err("bad value");
            assert_eq!(err.code(), ErrorCode::InvalidArgument, "{k}={v}");
            assert!(err.message().contains(k));
        }
    }

    #[test]
    fn endpoints_must_be_loopback_unless_allowed() {
        let ok = |e: &str| check_endpoint(e, false);
        assert_eq!(
            ok("http://127.0.0.1:2773/").expect("ok"),
            "http://127.0.0.1:2773"
        );
        assert_eq!(
            ok("http://localhost:2773").expect("ok"),
            "http://127.0.0.1:2773",
            "localhost is pinned to loopback, not resolved"
        );
        assert_eq!(ok("http://LocalHost").expect("ok"), "http://127.0.0.1");
        assert!(ok("http://[::1]:2773").is_ok());
        assert!(ok("http://127.0.0.2:80").is_ok());
        for bad in [
            "http://10.0.0.1:2773",
            "http://example.com:2773",
            "https://127.0.0.1:2773",
            "127.0.0.1:2773",
            "http://127.0.0.1:2773/path",
            "http://user@127.0.0.1:1",
        ] {
            let err = ok(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::InvalidArgument, "{bad}");
        }
        assert!(check_endpoint("http://10.0.0.1:2773", true).is_ok());
        assert!(check_endpoint("http://xn--bcher-kva.example:2773", true).is_ok());
        let err = check_endpoint("http://bücher.example:2773", true).expect_err("non-ASCII");
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(err.message().contains("punycode"), "{}", err.message());
    }

    /// The ASCII-only IDNA back end still parses every endpoint `check_endpoint` accepts.
    #[test]
    fn accepted_endpoints_parse_as_urls() {
        for e in [
            "http://127.0.0.1:2773",
            "http://localhost:2773",
            "http://[::1]:2773",
            "http://xn--bcher-kva.example:2773",
        ] {
            let base = check_endpoint(e, true).expect(e);
            let url =
                reqwest::Url::parse(&format!("{base}/systemsmanager/parameters/get?name=%2Fa"));
            assert!(url.is_ok(), "{e}: {url:?}");
        }
    }

    #[test]
    fn cache_size_is_capped_before_anything_is_allocated() {
        let base = || ClientBuilder::new().token("t").env(env(&[]));
        let max = base()
            .cache_size(MAX_CACHE_SIZE)
            .build_config()
            .expect("max");
        assert_eq!(max.cache_size, MAX_CACHE_SIZE);
        let err = base()
            .cache_size(usize::MAX)
            .build_config()
            .expect_err("huge");
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(
            err.message().contains("cache_size option"),
            "{}",
            err.message()
        );
        assert!(err.message().contains(&MAX_CACHE_SIZE.to_string()));
        let err = ClientBuilder::new()
            .token("t")
            .env(env(&[(CACHE_SIZE_ENV, "18446744073709551615")]))
            .build_config()
            .expect_err("huge from the environment");
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(err.message().contains(CACHE_SIZE_ENV), "{}", err.message());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let b = ClientBuilder::new().token("s3cr3t-token");
        let c = b.clone().env(env(&[])).build_config().expect("config");
        let s = format!("{b:?} {c:?}");
        assert!(!s.contains("s3cr3t-token"), "{s}");
    }
}
