//! The one public error type. Every failure a caller can see carries a stable [`ErrorCode`];
//! each binding maps the code 1:1 onto its own exception/error hierarchy.
//!
//! Messages name the parameter or secret, never its value, and never the token.

use std::fmt;
use std::sync::Arc;

/// A stable, documented error code (DESIGN §5). The string form (`as_str`) is the contract
/// shared with the Python, Node and Java packages and the conformance scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A bad name, id or option, caught before any request.
    InvalidArgument,
    /// No token source was found.
    MissingToken,
    /// 401/403: the token is missing, wrong or rejected.
    Unauthorized,
    /// A definite not-found (the Agent's ResourceNotFound, ParameterNotFound, …).
    NotFound,
    /// The managed extension's opaque 400: not found, denied or a bad version.
    NotFoundOrDenied,
    /// An explicit AccessDenied from the Agent.
    AccessDenied,
    /// The extension still answered "not ready" when the readiness deadline ran out.
    NotReady,
    /// Nothing listening, or connection failures after retries.
    Unavailable,
    /// 429 or ThrottlingException after retries.
    Throttled,
    /// A request or the overall deadline timed out.
    Timeout,
    /// Other 5xx or AWS errors.
    Upstream,
    /// A response the client cannot parse, or one over the size cap.
    Protocol,
    /// A bug (a caught panic). Never expected.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the DESIGN table.
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::InvalidArgument,
        ErrorCode::MissingToken,
        ErrorCode::Unauthorized,
        ErrorCode::NotFound,
        ErrorCode::NotFoundOrDenied,
        ErrorCode::AccessDenied,
        ErrorCode::NotReady,
        ErrorCode::Unavailable,
        ErrorCode::Throttled,
        ErrorCode::Timeout,
        ErrorCode::Upstream,
        ErrorCode::Protocol,
        ErrorCode::Internal,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::MissingToken => "missing_token",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::NotFound => "not_found",
            ErrorCode::NotFoundOrDenied => "not_found_or_denied",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::NotReady => "not_ready",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Throttled => "throttled",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Upstream => "upstream",
            ErrorCode::Protocol => "protocol",
            ErrorCode::Internal => "internal",
        }
    }

    /// Parses the string form back (used by the conformance runners).
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether a stale cached value may stand in for a fresh one after this error
    /// (stale-if-error): the failure says nothing about the value itself.
    pub const fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorCode::NotReady
                | ErrorCode::Unavailable
                | ErrorCode::Throttled
                | ErrorCode::Timeout
                | ErrorCode::Upstream
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the retry loop treats an error; decided where the error is made, because the same
/// code can come from failures that deserve different treatment (a refused connection at
/// start-up vs a reset mid-run, our own timeout vs a server's 504).
///
/// Every retry also has to fit under the read's overall deadline ([`crate::Config::deadline`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Never retried: the answer will not change (401, not found, bad input).
    Never,
    /// The extension is starting (refused connection, 400 "not ready"): retried until the
    /// readiness deadline, or only through the start-up race on Lambda (see `client`).
    StartUp,
    /// Transient (429, 5xx, resets, answers cut short): at most two extra attempts.
    Transient,
    /// The server already retried upstream before answering (502 `ConnectionError`, 504
    /// `TimeoutError`): at most one extra attempt, and only when a whole attempt still fits
    /// before the deadline.
    ServerRetried,
    /// Our own per-attempt timeout ran out while the server may still be working: at most one
    /// extra attempt, only when a whole attempt fits, and that attempt may use all the time
    /// left (a retry that would only be cut off again duplicates the server's work).
    TimedOut,
}

/// The error every paramsecrets operation returns.
///
/// Cheap to clone (single-flight hands one failure to every waiter).
#[derive(Clone)]
pub struct Error {
    inner: Arc<Inner>,
}

struct Inner {
    code: ErrorCode,
    message: String,
    status: Option<u16>,
    aws_type: Option<String>,
    attempts: u32,
    retry: Retry,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            inner: Arc::new(Inner {
                code,
                message: message.into(),
                status: None,
                aws_type: None,
                attempts: 0,
                retry: Retry::Never,
                source: None,
            }),
        }
    }

    fn edit(mut self, f: impl FnOnce(&mut Inner)) -> Error {
        match Arc::get_mut(&mut self.inner) {
            Some(inner) => f(inner),
            None => {
                let old = &self.inner;
                let mut inner = Inner {
                    code: old.code,
                    message: old.message.clone(),
                    status: old.status,
                    aws_type: old.aws_type.clone(),
                    attempts: old.attempts,
                    retry: old.retry,
                    source: old.source.clone(),
                };
                f(&mut inner);
                self.inner = Arc::new(inner);
            }
        }
        self
    }

    pub(crate) fn with_status(self, status: u16) -> Error {
        self.edit(|i| i.status = Some(status))
    }

    pub(crate) fn with_aws_type(self, aws_type: impl Into<String>) -> Error {
        let t = aws_type.into();
        self.edit(|i| i.aws_type = Some(t))
    }

    pub(crate) fn with_source(
        self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.edit(|i| i.source = Some(Arc::new(source)))
    }

    pub(crate) fn with_retry(self, retry: Retry) -> Error {
        self.edit(|i| i.retry = retry)
    }

    pub(crate) fn with_message(self, message: impl Into<String>) -> Error {
        let m = message.into();
        self.edit(|i| i.message = m)
    }

    pub(crate) fn with_attempts(self, attempts: u32) -> Error {
        self.edit(|i| i.attempts = attempts)
    }

    pub(crate) fn retry(&self) -> Retry {
        self.inner.retry
    }

    /// The stable code (DESIGN §5).
    pub fn code(&self) -> ErrorCode {
        self.inner.code
    }

    /// The human-readable message: names the parameter or secret, never a value.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The HTTP status of the last response, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The AWS error type (`__type` of the Agent, or `x-amzn-errortype`), when given.
    pub fn aws_type(&self) -> Option<&str> {
        self.inner.aws_type.as_deref()
    }

    /// How many HTTP attempts were made before giving up (0 when none was made).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidArgument, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::Internal, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("code", &self.inner.code.as_str())
            .field("message", &self.inner.message);
        if let Some(s) = self.inner.status {
            d.field("status", &s);
        }
        if let Some(t) = &self.inner.aws_type {
            d.field("aws_type", t);
        }
        if self.inner.attempts > 0 {
            d.field("attempts", &self.inner.attempts);
        }
        if let Some(s) = &self.inner.source {
            d.field("source", &s.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::parse("nope"), None);
    }

    #[test]
    fn builders_do_not_disturb_shared_clones() {
        let a = Error::new(ErrorCode::Upstream, "boom");
        let b = a.clone().with_status(502);
        assert_eq!(a.status(), None);
        assert_eq!(b.status(), Some(502));
        assert_eq!(b.code(), ErrorCode::Upstream);
    }
}
