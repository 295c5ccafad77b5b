"""Read SSM parameters and Secrets Manager secrets through the AWS Parameters and Secrets
Lambda Extension, with an in-process cache in front of it.

    import paramsecrets

    db_url = paramsecrets.get_parameter("/app/db_url")           # str
    config = paramsecrets.get_parameter("/app/config", transform="json")
    password = paramsecrets.get_secret("app/db-password")         # str (or bytes)

The module-level functions use one lazily built :class:`Client` configured from the
environment (see :func:`default_client`). Build your own ``Client(...)`` or
``AsyncClient(...)`` for other settings.

Typing lives in ``__init__.pyi`` (overloads by ``transform``); this module avoids importing
``typing`` to keep ``import paramsecrets`` fast.
"""

from __future__ import annotations

from paramsecrets._native import (
    AsyncClient,
    Client,
    Parameter,
    Secret,
    Stats,
    __version__,
    clear_cache,
    default_client,
    get_parameter,
    get_secret,
    set_default_client,
)
from paramsecrets.exceptions import (
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

# The default client, `clear_cache` and the two hot module-level reads are native (src/client.rs): a read
# through them costs what the same read on a `Client` costs, with no Python frame in between.
# `default_client()` builds the client from the environment on first use;
# `set_default_client(None)` makes the next use build it again.


def get_parameters(names: list[str], **options: object) -> dict[str, object]:
    """Many parameters through the default client (see :meth:`Client.get_parameters`)."""
    return default_client().get_parameters(names, **options)


def get_secrets(secret_ids: list[str], **options: object) -> dict[str, object]:
    """Many secrets through the default client (see :meth:`Client.get_secrets`)."""
    return default_client().get_secrets(secret_ids, **options)


def prefetch(parameters: list[str] = (), secrets: list[str] = ()) -> None:  # type: ignore[assignment]
    """Starts reading these through the default client in the background and returns at once.

    Call it at module scope (the function's INIT phase, when the extension serves nothing
    yet): the handler's first read of each name joins its request or hits the cache. A
    prefetch that fails shows up as the typed error of the first read of that name."""
    default_client().prefetch(list(parameters), list(secrets))


__all__ = [
    "AccessDeniedError",
    "AsyncClient",
    "Client",
    "InternalError",
    "InvalidArgumentError",
    "MissingTokenError",
    "NotFoundError",
    "NotFoundOrDeniedError",
    "NotReadyError",
    "ParamSecretsError",
    "ParamSecretsTimeoutError",
    "Parameter",
    "ProtocolError",
    "Secret",
    "Stats",
    "ThrottledError",
    "UnauthorizedError",
    "UnavailableError",
    "UpstreamError",
    "__version__",
    "clear_cache",
    "default_client",
    "get_parameter",
    "get_parameters",
    "get_secret",
    "get_secrets",
    "prefetch",
    "set_default_client",
]
