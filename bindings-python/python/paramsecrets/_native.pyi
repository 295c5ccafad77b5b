# Type stubs for the native module `paramsecrets._native` (written by hand; keep in step with
# src/client.rs, src/types.rs, src/error.rs).
from collections.abc import Awaitable as _Awaitable
from collections.abc import Generator, Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar, final, overload

_T = TypeVar("_T")

__version__: str
"""The package version (the same for the Rust core, the wheel, the npm packages and the jar)."""

@final
class Awaitable(_Awaitable[_T]):
    """What AsyncClient's reads return: awaitable once; also accepted by asyncio.create_task."""

    def __await__(self) -> Generator[Any, None, _T]: ...
    def send(self, value: Any) -> Any: ...
    def throw(self, typ: Any, val: Any = ..., tb: Any = ...) -> Any: ...
    def close(self) -> None: ...

@final
class Parameter:
    """A parameter with its metadata. ``repr`` never shows the value."""

    @property
    def name(self) -> str:
        """The parameter's name, as stored (without a ``:version`` / ``:label`` selector)."""
    @property
    def value(self) -> str | bytes:
        """``bytes`` only for a binary secret read through ``/aws/reference/secretsmanager/``."""
    @property
    def type(self) -> str:
        """``String``, ``StringList`` or ``SecureString``."""
    @property
    def version(self) -> int:
        """The parameter's version number."""
    @property
    def arn(self) -> str | None:
        """The parameter's ARN, when the server sent it."""
    @property
    def last_modified(self) -> datetime | None:
        """When the parameter was last changed (UTC), when the server sent it."""
    @property
    def last_modified_ms(self) -> int | None:
        """``last_modified`` as milliseconds since the Unix epoch."""
    @property
    def data_type(self) -> str | None:
        """``text``, ``aws:ec2:image`` or another data type, when the server sent it."""
    @property
    def selector(self) -> str | None:
        """The ``:version`` or ``:label`` selector the read asked for, if any."""
    @property
    def source_result(self) -> str | None:
        """For ``/aws/reference/secretsmanager/...`` names: the secret as a JSON string."""

@final
class Secret:
    """A secret with its metadata: exactly one of ``secret_string`` / ``secret_binary``.
    ``repr`` never shows the value."""

    @property
    def name(self) -> str | None:
        """The secret's friendly name, when the server sent it."""
    @property
    def arn(self) -> str | None:
        """The secret's ARN, when the server sent it."""
    @property
    def version_id(self) -> str | None:
        """The version's id, when the server sent it."""
    @property
    def version_stages(self) -> list[str]:
        """The version's staging labels (e.g. ``AWSCURRENT``)."""
    @property
    def created_date(self) -> datetime | None:
        """When this version was created (UTC), when the server sent it."""
    @property
    def created_ms(self) -> int | None:
        """``created_date`` as milliseconds since the Unix epoch."""
    @property
    def value(self) -> str | bytes:
        """The value: ``secret_string``, else ``secret_binary``."""
    @property
    def secret_string(self) -> str | None:
        """The secret string, or ``None`` for a binary secret."""
    @property
    def secret_binary(self) -> bytes | None:
        """The secret's bytes, or ``None`` for a string secret."""

@final
class Stats:
    """The client's counters since it was built (``clear_cache`` keeps them); from ``stats()``."""

    hits: int
    """Reads answered from the in-process cache."""
    misses: int
    """Reads that needed a request (or joined one)."""
    stale_served: int
    """Expired values served because a refresh failed transiently (stale-if-error)."""
    coalesced: int
    """Reads that joined a request already in flight (single-flight)."""
    requests: int
    """HTTP requests sent to the server (retries included)."""
    retries: int
    """Retried attempts."""
    errors: int
    """Reads that ended in an error."""
    evictions: int
    """Entries evicted by the LRU bound."""
    def as_dict(self) -> dict[str, int]:
        """The counters as a ``dict`` (``{'hits': ..., 'misses': ..., ...}``)."""

@final
class Client:
    """A blocking client. Thread-safe and fork-safe; build one per process and reuse it.

    Every option is keyword-only and falls back to the environment, then to the default.
    Durations are seconds (int or float).
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        endpoint: str | None = None,
        token: str | None = None,
        ttl: float | None = None,
        parameter_ttl: float | None = None,
        secret_ttl: float | None = None,
        cache_size: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        ready_timeout: float | None = None,
        stale_if_error: float | None = None,
        server: Literal["auto", "extension", "agent"] | None = None,
        allow_non_loopback: bool = False,
    ) -> None: ...
    @property
    def endpoint(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:2773``."""
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: None = None,
    ) -> str: ...
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["json"],
    ) -> Any: ...
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["binary"],
    ) -> bytes: ...
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["auto"] | str,
    ) -> Any:
        """Read a parameter's value: ``str`` (``bytes`` for a binary secret read through
        ``/aws/reference/secretsmanager/``), or transformed: ``transform="json"`` parses it,
        ``"binary"`` base64-decodes it, ``"auto"`` picks by the name's suffix (``.json``,
        ``.binary``). ``version`` or ``label`` select a version (not both); ``max_age`` accepts
        a cached value at most that many seconds old; ``force_fetch`` skips the in-process
        cache (and, against the Secrets Manager Agent, the Agent's: ``refreshNow=true``)."""
    def get_parameter_record(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Parameter:
        """Read a parameter with its metadata: a :class:`Parameter`."""
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: None = None,
    ) -> str | bytes: ...
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["json"],
    ) -> Any: ...
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["binary"],
    ) -> bytes: ...
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["auto"] | str,
    ) -> Any:
        """Read a secret's value: its string, or ``bytes`` for a binary secret; transformed as
        in :meth:`get_parameter`. ``version_id`` or ``version_stage`` select a version (not
        both; default ``AWSCURRENT``); ``max_age`` and ``force_fetch`` as in
        :meth:`get_parameter`."""
    def get_secret_record(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Secret:
        """Read a secret with its metadata: a :class:`Secret`."""
    def get_parameters(
        self,
        names: Sequence[str],
        *,
        decrypt: bool = True,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: str | None = None,
        raise_on_error: bool = False,
    ) -> dict[str, Any]:
        """``{name: value}``; a name that failed maps to its exception instance instead
        (or the first failure is raised, with ``raise_on_error=True``)."""
    def get_secrets(
        self,
        secret_ids: Sequence[str],
        *,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: str | None = None,
        raise_on_error: bool = False,
    ) -> dict[str, Any]:
        """Read several secrets concurrently: ``{secret_id: value}``; an id that failed maps to its exception instance instead (or the first failure is raised, with ``raise_on_error=True``)."""
    def invalidate_parameter(self, name: str) -> int:
        """Drop every cached entry of this parameter (all versions, labels, decrypt flags); return how many. A read that starts afterwards asks the server again."""
    def invalidate_secret(self, secret_id: str) -> int:
        """Drop every cached entry of this secret (all version ids and stages); return how many. A read that starts afterwards asks the server again."""
    def clear_cache(self) -> None:
        """Empty the in-process cache (the counters are kept)."""
    def prefetch(self, parameters: list[str] = ..., secrets: list[str] = ...) -> None:
        """Start background reads of these names and return at once: they wait until the extension serves (up to 10 s, Lambda's INIT limit) and fill the cache; the first read of a name joins its request. Never raises for a failed read: that read's typed error is the first read's."""
    def stats(self) -> Stats:
        """The client's counters (:class:`Stats`)."""

@final
class AsyncClient:
    """An asyncio client: the same options and methods as :class:`Client`, returning awaitables."""

    def __init__(
        self,
        *,
        port: int | None = None,
        endpoint: str | None = None,
        token: str | None = None,
        ttl: float | None = None,
        parameter_ttl: float | None = None,
        secret_ttl: float | None = None,
        cache_size: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        ready_timeout: float | None = None,
        stale_if_error: float | None = None,
        server: Literal["auto", "extension", "agent"] | None = None,
        allow_non_loopback: bool = False,
    ) -> None: ...
    @property
    def endpoint(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:2773``."""
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: None = None,
    ) -> Awaitable[str]: ...
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["json"],
    ) -> Awaitable[Any]: ...
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["binary"],
    ) -> Awaitable[bytes]: ...
    @overload
    def get_parameter(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["auto"] | str,
    ) -> Awaitable[Any]:
        """:meth:`Client.get_parameter`, as an awaitable."""
    def get_parameter_record(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Awaitable[Parameter]:
        """Read a parameter with its metadata: an awaitable of a :class:`Parameter`."""
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: None = None,
    ) -> Awaitable[str | bytes]: ...
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["json"],
    ) -> Awaitable[Any]: ...
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["binary"],
    ) -> Awaitable[bytes]: ...
    @overload
    def get_secret(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: Literal["auto"] | str,
    ) -> Awaitable[Any]:
        """:meth:`Client.get_secret`, as an awaitable."""
    def get_secret_record(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Awaitable[Secret]:
        """Read a secret with its metadata: an awaitable of a :class:`Secret`."""
    def get_parameters(
        self,
        names: Sequence[str],
        *,
        decrypt: bool = True,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: str | None = None,
        raise_on_error: bool = False,
    ) -> Awaitable[dict[str, Any]]:
        """Read several parameters concurrently: an awaitable of ``{name: value}``; a name that failed maps to its exception instance instead (or the first failure is raised, with ``raise_on_error=True``)."""
    def get_secrets(
        self,
        secret_ids: Sequence[str],
        *,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: str | None = None,
        raise_on_error: bool = False,
    ) -> Awaitable[dict[str, Any]]:
        """Read several secrets concurrently: an awaitable of ``{secret_id: value}``; an id that failed maps to its exception instance instead (or the first failure is raised, with ``raise_on_error=True``)."""
    def invalidate_parameter(self, name: str) -> int:
        """Drop every cached entry of this parameter (all versions, labels, decrypt flags); return how many. A read that starts afterwards asks the server again."""
    def invalidate_secret(self, secret_id: str) -> int:
        """Drop every cached entry of this secret (all version ids and stages); return how many. A read that starts afterwards asks the server again."""
    def clear_cache(self) -> None:
        """Empty the in-process cache (the counters are kept)."""
    def prefetch(self, parameters: list[str] = ..., secrets: list[str] = ...) -> None:
        """Start background reads of these names and return at once: they wait until the extension serves (up to 10 s, Lambda's INIT limit) and fill the cache; the first read of a name joins its request. Never raises for a failed read: that read's typed error is the first read's."""
    def stats(self) -> Stats:
        """The client's counters (:class:`Stats`)."""

class ParamSecretsError(Exception):
    """The base of every paramsecrets error: one subclass per stable ``code``. Messages name the parameter or secret, never its value or the token."""

    code: str | None
    """The stable error code (``not_found_or_denied``, ``timeout``, ...): one per subclass."""
    status: int | None
    """The HTTP status of the last answer, or ``None`` when there was none."""
    aws_type: str | None
    """The AWS error type (``__type`` / ``x-amzn-errortype``), when the server gave one."""
    attempts: int
    """HTTP attempts made before giving up (0 when none was made)."""

class InvalidArgumentError(ParamSecretsError):
    """``invalid_argument``: a bad name, id or option, caught before any request, or a request the server refused as invalid."""

class MissingTokenError(ParamSecretsError):
    """``missing_token``: no token source was found (the message names the variables tried), or an unreadable ``file://`` token."""

class UnauthorizedError(ParamSecretsError):
    """``unauthorized``: 401/403 without an AWS error type: the token is missing, wrong or rejected."""

class NotFoundError(ParamSecretsError):
    """``not_found``: ``ResourceNotFoundException`` / ``ParameterNotFound`` in a typed error body."""

class NotFoundOrDeniedError(ParamSecretsError):
    """``not_found_or_denied``: the managed extension's opaque 400 (not found, denied and a bad version look alike: see its CloudWatch logs and the execution role)."""

class AccessDeniedError(ParamSecretsError):
    """``access_denied``: an explicit ``AccessDeniedException`` from the Secrets Manager Agent."""

class NotReadyError(ParamSecretsError):
    """``not_ready``: still "not ready to serve traffic" when the readiness deadline ran out; on Lambda, a read during INIT (read in the handler, or prefetch)."""

class UnavailableError(ParamSecretsError):
    """``unavailable``: nothing listening, or connection failures after retries."""

class ThrottledError(ParamSecretsError):
    """``throttled``: 429 or ``ThrottlingException``, after retries."""

class ParamSecretsTimeoutError(ParamSecretsError):
    """``timeout``: an attempt timed out and no retry fitted before the deadline, or a 504 / ``TimeoutError`` from the server. Not the builtin ``TimeoutError``."""

class UpstreamError(ParamSecretsError):
    """``upstream``: other 5xx or AWS errors, with the status and the AWS error type (``ConnectionError``: the server could not reach AWS)."""

class ProtocolError(ParamSecretsError):
    """``protocol``: an answer the client cannot parse, over the 1 MiB cap, cut short, or an untyped 404/405 from a server without that route."""

class InternalError(ParamSecretsError):
    """``internal``: a bug (a caught panic); never expected."""

# Module-level reads through the default client (re-exported, with overloads, by the package).
def default_client() -> Client:
    """The client the module-level functions use, built from the environment on first use."""

def set_default_client(client: Client | None) -> None:
    """Replace the default client (``None``: the next use builds a new one from the environment)."""

def clear_cache() -> None:
    """Empty the default client's in-process cache (its counters are kept)."""

def get_parameter(
    name: str,
    *,
    decrypt: bool = True,
    version: int | None = None,
    label: str | None = None,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: str | None = None,
) -> Any:
    """Read a parameter through the default client; the arguments are :meth:`Client.get_parameter`'s."""

def get_secret(
    secret_id: str,
    *,
    version_id: str | None = None,
    version_stage: str | None = None,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: str | None = None,
) -> Any:
    """Read a secret through the default client; the arguments are :meth:`Client.get_secret`'s."""
