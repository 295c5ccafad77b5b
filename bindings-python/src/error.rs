//! Core's [`paramsecrets::Error`] as Python exceptions: one class per [`ErrorCode`], all under
//! `ParamSecretsError`, carrying `code`, `status`, `aws_type` and `attempts`, with the
//! transport failure (when there is one) chained as `__cause__`.

use pyo3::exceptions::{PyConnectionError, PyException, PyOSError, PyTimeoutError};
use pyo3::prelude::*;
use pyo3::types::PyType;
use pyo3::{create_exception, intern};

use paramsecrets::{Error, ErrorCode};

create_exception!(
    paramsecrets,
    ParamSecretsError,
    PyException,
    "Base of every paramsecrets error: `.code` (stable string), `.status` (HTTP status or None), `.aws_type`, `.attempts`."
);
create_exception!(
    paramsecrets,
    InvalidArgumentError,
    ParamSecretsError,
    "A bad name, id or option, caught before any request."
);
create_exception!(
    paramsecrets,
    MissingTokenError,
    ParamSecretsError,
    "No token source was found."
);
create_exception!(
    paramsecrets,
    UnauthorizedError,
    ParamSecretsError,
    "401/403: the token is missing, wrong or rejected."
);
create_exception!(
    paramsecrets,
    NotFoundError,
    ParamSecretsError,
    "A definite not-found."
);
create_exception!(
    paramsecrets,
    NotFoundOrDeniedError,
    ParamSecretsError,
    "The managed extension's opaque 400: not found, access denied or a bad version (see the extension's CloudWatch logs and the function's IAM policy)."
);
create_exception!(
    paramsecrets,
    AccessDeniedError,
    ParamSecretsError,
    "An explicit AccessDenied."
);
create_exception!(
    paramsecrets,
    NotReadyError,
    ParamSecretsError,
    "The extension still answered \"not ready\" when the readiness deadline ran out."
);
create_exception!(
    paramsecrets,
    UnavailableError,
    ParamSecretsError,
    "Nothing listening, or connection failures after retries."
);
create_exception!(
    paramsecrets,
    ThrottledError,
    ParamSecretsError,
    "429 or ThrottlingException after retries."
);
create_exception!(
    paramsecrets,
    ParamSecretsTimeoutError,
    ParamSecretsError,
    "A request or the overall deadline timed out (not the builtin TimeoutError)."
);
create_exception!(
    paramsecrets,
    UpstreamError,
    ParamSecretsError,
    "Another 5xx or AWS error."
);
create_exception!(
    paramsecrets,
    ProtocolError,
    ParamSecretsError,
    "An answer the client cannot parse, one over the size cap, or a value a transform cannot decode."
);
create_exception!(
    paramsecrets,
    InternalError,
    ParamSecretsError,
    "A bug in paramsecrets (a caught panic). Never expected."
);

/// The exception class of a code.
pub(crate) fn class_of(py: Python<'_>, code: ErrorCode) -> Bound<'_, PyType> {
    match code {
        ErrorCode::InvalidArgument => py.get_type::<InvalidArgumentError>(),
        ErrorCode::MissingToken => py.get_type::<MissingTokenError>(),
        ErrorCode::Unauthorized => py.get_type::<UnauthorizedError>(),
        ErrorCode::NotFound => py.get_type::<NotFoundError>(),
        ErrorCode::NotFoundOrDenied => py.get_type::<NotFoundOrDeniedError>(),
        ErrorCode::AccessDenied => py.get_type::<AccessDeniedError>(),
        ErrorCode::NotReady => py.get_type::<NotReadyError>(),
        ErrorCode::Unavailable => py.get_type::<UnavailableError>(),
        ErrorCode::Throttled => py.get_type::<ThrottledError>(),
        ErrorCode::Timeout => py.get_type::<ParamSecretsTimeoutError>(),
        ErrorCode::Upstream => py.get_type::<UpstreamError>(),
        ErrorCode::Protocol => py.get_type::<ProtocolError>(),
        ErrorCode::Internal => py.get_type::<InternalError>(),
        _ => py.get_type::<ParamSecretsError>(),
    }
}

/// Registers every class on the module and gives each its `code` (and the base its defaults),
/// so `NotFoundError.code == "not_found"` holds on the class too.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<ParamSecretsError>();
    base.setattr("code", py.None())?;
    base.setattr("status", py.None())?;
    base.setattr("aws_type", py.None())?;
    base.setattr("attempts", 0)?;
    m.add("ParamSecretsError", base)?;
    for code in ErrorCode::ALL {
        let class = class_of(py, code);
        class.setattr("code", code.as_str())?;
        m.add(class.name()?, class)?;
    }
    Ok(())
}

/// The Python exception for a core error.
pub(crate) fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    match build(py, e) {
        Ok(err) => err,
        Err(other) => other,
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let exc = class_of(py, e.code()).call1((e.message(),))?;
    exc.setattr(intern!(py, "code"), e.code().as_str())?;
    exc.setattr(intern!(py, "status"), e.status())?;
    exc.setattr(intern!(py, "aws_type"), e.aws_type())?;
    exc.setattr(intern!(py, "attempts"), e.attempts())?;
    let err = PyErr::from_value(exc);
    if let Some(source) = std::error::Error::source(e) {
        // The transport's own failure, as the builtin it corresponds to. Its text names the
        // endpoint at most: requests carry the token in a header, never in the URL.
        let mut text = source.to_string();
        let mut next = source.source();
        while let Some(s) = next {
            text.push_str(": ");
            text.push_str(&s.to_string());
            next = s.source();
        }
        let cause = match e.code() {
            ErrorCode::Unavailable => PyConnectionError::new_err(text),
            ErrorCode::Timeout => PyTimeoutError::new_err(text),
            _ => PyOSError::new_err(text),
        };
        err.set_cause(py, Some(cause));
    }
    Ok(err)
}

/// An `invalid_argument` error raised by the binding itself (a bad option value).
pub(crate) fn invalid(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_pyerr(py, &Error::new(ErrorCode::InvalidArgument, message))
}

/// An `internal` error: what a caught panic becomes.
pub(crate) fn internal(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_pyerr(py, &Error::new(ErrorCode::Internal, message))
}
