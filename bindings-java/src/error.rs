//! The one exported error. Core's [`paramsecrets::Error`] crosses as a record of its fields;
//! the Java facade maps `code` 1:1 onto `ParamSecretsException` subclasses.

use std::fmt;

/// The fields of a core error. Messages name the parameter or secret, never a value.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ErrorInfo {
    /// The stable code (DESIGN §5), e.g. `not_found`.
    pub code: String,
    pub detail: String,
    /// The HTTP status of the last response, when there was one.
    pub status: Option<u16>,
    /// The AWS error type (`__type`), when given.
    pub aws_type: Option<String>,
    /// HTTP attempts made before giving up (0 when none was made).
    pub attempts: u32,
    /// The underlying cause's text (e.g. the socket error), when there is one.
    pub cause: Option<String>,
}

impl From<&paramsecrets::Error> for ErrorInfo {
    fn from(e: &paramsecrets::Error) -> Self {
        ErrorInfo {
            code: e.code().as_str().to_string(),
            detail: e.message().to_string(),
            status: e.status(),
            aws_type: e.aws_type().map(str::to_string),
            attempts: e.attempts(),
            cause: std::error::Error::source(e).map(|s| s.to_string()),
        }
    }
}

/// What every fallible export throws (Java: `NativeException.Failed`).
#[derive(Debug, uniffi::Error)]
pub enum NativeError {
    Failed { info: ErrorInfo },
}

impl NativeError {
    pub(crate) fn new(code: paramsecrets::ErrorCode, detail: impl Into<String>) -> Self {
        NativeError::from(paramsecrets::Error::new(code, detail))
    }

    pub fn info(&self) -> &ErrorInfo {
        match self {
            NativeError::Failed { info } => info,
        }
    }
}

impl From<paramsecrets::Error> for NativeError {
    fn from(e: paramsecrets::Error) -> Self {
        NativeError::Failed {
            info: ErrorInfo::from(&e),
        }
    }
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.info();
        write!(f, "{}: {}", info.code, info.detail)
    }
}

impl std::error::Error for NativeError {}
