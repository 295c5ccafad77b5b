"""The paramsecrets exception hierarchy (created in Rust, re-exported here).

Every error is a :class:`ParamSecretsError` with a stable ``.code`` string (one subclass per
code), the HTTP ``.status`` of the last answer (or ``None``), the AWS error ``.aws_type`` (or
``None``) and the number of HTTP ``.attempts``. A transport failure underneath is chained as
``__cause__`` (a builtin ``ConnectionError``, ``TimeoutError`` or ``OSError``).

A timeout is :class:`ParamSecretsTimeoutError`, so it does not shadow the builtin
``TimeoutError``. Messages name the parameter or secret, never its value or the token.
"""

from paramsecrets._native import (
    AccessDeniedError,
    InternalError,
    InvalidArgumentError,
    MissingTokenError,
    NotFoundError,
    NotFoundOrDeniedError,
    NotReadyError,
    ParamSecretsError,
    ParamSecretsTimeoutError,
    ProtocolError,
    ThrottledError,
    UnauthorizedError,
    UnavailableError,
    UpstreamError,
)

#: Every error class by its ``code``.
BY_CODE: dict[str, type[ParamSecretsError]] = {
    cls.code: cls
    for cls in (
        InvalidArgumentError,
        MissingTokenError,
        UnauthorizedError,
        NotFoundError,
        NotFoundOrDeniedError,
        AccessDeniedError,
        NotReadyError,
        UnavailableError,
        ThrottledError,
        ParamSecretsTimeoutError,
        UpstreamError,
        ProtocolError,
        InternalError,
    )
}
"""Every error class by its ``code``, e.g. ``BY_CODE["not_found_or_denied"]``."""

__all__ = [
    "BY_CODE",
    "AccessDeniedError",
    "InternalError",
    "InvalidArgumentError",
    "MissingTokenError",
    "NotFoundError",
    "NotFoundOrDeniedError",
    "NotReadyError",
    "ParamSecretsError",
    "ParamSecretsTimeoutError",
    "ProtocolError",
    "ThrottledError",
    "UnauthorizedError",
    "UnavailableError",
    "UpstreamError",
]
