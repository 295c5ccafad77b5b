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

_default: Client | None = None


def default_client() -> Client:
    """The client behind the module-level functions: built from the environment on first use
    (``PARAMETERS_SECRETS_EXTENSION_HTTP_PORT``, ``AWS_SESSION_TOKEN``, ...), then reused.
    Safe to keep using after ``os.fork()``."""
    global _default
    client = _default
    if client is None:
        # Two threads racing here build two clients; one wins, both work.
        client = _default = Client()
    return client


def set_default_client(client: Client | None) -> None:
    """Replaces the client behind the module-level functions (``None``: build again from the
    environment on next use)."""
    global _default
    _default = client


def get_parameter(name: str, **options: object) -> object:
    """A parameter's value through the default client. Takes the keyword-only options of
    :meth:`Client.get_parameter` (``decrypt``, ``version``, ``label``, ``max_age``,
    ``force_fetch``, ``transform``)."""
    # `**options` forwards nothing when none is given: a hit stays one native call.
    return (_default or default_client()).get_parameter(name, **options)


def get_secret(secret_id: str, **options: object) -> object:
    """A secret's value through the default client. Takes the keyword-only options of
    :meth:`Client.get_secret` (``version_id``, ``version_stage``, ``max_age``,
    ``force_fetch``, ``transform``)."""
    return (_default or default_client()).get_secret(secret_id, **options)


def get_parameters(names: list[str], **options: object) -> dict[str, object]:
    """Many parameters through the default client (see :meth:`Client.get_parameters`)."""
    return (_default or default_client()).get_parameters(names, **options)


def get_secrets(secret_ids: list[str], **options: object) -> dict[str, object]:
    """Many secrets through the default client (see :meth:`Client.get_secrets`)."""
    return (_default or default_client()).get_secrets(secret_ids, **options)


def prefetch(parameters: list[str] = (), secrets: list[str] = ()) -> None:  # type: ignore[assignment]
    """Starts reading these through the default client in the background and returns at once.

    Call it at module scope (the function's INIT phase, when the extension serves nothing
    yet): the handler's first read of each name joins its request or hits the cache. A
    prefetch that fails shows up as the typed error of the first read of that name."""
    (_default or default_client()).prefetch(list(parameters), list(secrets))


def clear_cache() -> None:
    """Empties the default client's cache (when it was built)."""
    if _default is not None:
        _default.clear_cache()


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
