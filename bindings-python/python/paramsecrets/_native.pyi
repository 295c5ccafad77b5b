# Type stubs for the native module `paramsecrets._native` (written by hand; keep in step with
# src/client.rs, src/types.rs, src/error.rs).
from collections.abc import Awaitable as _Awaitable
from collections.abc import Generator, Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar, final, overload

_T = TypeVar("_T")

__version__: str

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
    def name(self) -> str: ...
    @property
    def value(self) -> str | bytes:
        """``bytes`` only for a binary secret read through ``/aws/reference/secretsmanager/``."""
    @property
    def type(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def arn(self) -> str | None: ...
    @property
    def last_modified(self) -> datetime | None: ...
    @property
    def last_modified_ms(self) -> int | None: ...
    @property
    def data_type(self) -> str | None: ...
    @property
    def selector(self) -> str | None: ...
    @property
    def source_result(self) -> str | None: ...

@final
class Secret:
    """A secret with its metadata: exactly one of ``secret_string`` / ``secret_binary``.
    ``repr`` never shows the value."""

    @property
    def name(self) -> str | None: ...
    @property
    def arn(self) -> str | None: ...
    @property
    def version_id(self) -> str | None: ...
    @property
    def version_stages(self) -> list[str]: ...
    @property
    def created_date(self) -> datetime | None: ...
    @property
    def created_ms(self) -> int | None: ...
    @property
    def value(self) -> str | bytes: ...
    @property
    def secret_string(self) -> str | None: ...
    @property
    def secret_binary(self) -> bytes | None: ...

@final
class Stats:
    hits: int
    misses: int
    stale_served: int
    coalesced: int
    requests: int
    retries: int
    errors: int
    evictions: int
    def as_dict(self) -> dict[str, int]: ...

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
    def endpoint(self) -> str: ...
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
    ) -> Any: ...
    def get_parameter_record(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Parameter: ...
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
    ) -> Any: ...
    def get_secret_record(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Secret: ...
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
    ) -> dict[str, Any]: ...
    def invalidate_parameter(self, name: str) -> int: ...
    def invalidate_secret(self, secret_id: str) -> int: ...
    def clear_cache(self) -> None: ...
    def prefetch(self, parameters: list[str] = ..., secrets: list[str] = ...) -> None: ...
    def stats(self) -> Stats: ...

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
    def endpoint(self) -> str: ...
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
    ) -> Awaitable[Any]: ...
    def get_parameter_record(
        self,
        name: str,
        *,
        decrypt: bool = True,
        version: int | None = None,
        label: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Awaitable[Parameter]: ...
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
    ) -> Awaitable[Any]: ...
    def get_secret_record(
        self,
        secret_id: str,
        *,
        version_id: str | None = None,
        version_stage: str | None = None,
        max_age: float | None = None,
        force_fetch: bool = False,
    ) -> Awaitable[Secret]: ...
    def get_parameters(
        self,
        names: Sequence[str],
        *,
        decrypt: bool = True,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: str | None = None,
        raise_on_error: bool = False,
    ) -> Awaitable[dict[str, Any]]: ...
    def get_secrets(
        self,
        secret_ids: Sequence[str],
        *,
        max_age: float | None = None,
        force_fetch: bool = False,
        transform: str | None = None,
        raise_on_error: bool = False,
    ) -> Awaitable[dict[str, Any]]: ...
    def invalidate_parameter(self, name: str) -> int: ...
    def invalidate_secret(self, secret_id: str) -> int: ...
    def clear_cache(self) -> None: ...
    def prefetch(self, parameters: list[str] = ..., secrets: list[str] = ...) -> None: ...
    def stats(self) -> Stats: ...

class ParamSecretsError(Exception):
    code: str | None
    status: int | None
    aws_type: str | None
    attempts: int

class InvalidArgumentError(ParamSecretsError): ...
class MissingTokenError(ParamSecretsError): ...
class UnauthorizedError(ParamSecretsError): ...
class NotFoundError(ParamSecretsError): ...
class NotFoundOrDeniedError(ParamSecretsError): ...
class AccessDeniedError(ParamSecretsError): ...
class NotReadyError(ParamSecretsError): ...
class UnavailableError(ParamSecretsError): ...
class ThrottledError(ParamSecretsError): ...
class ParamSecretsTimeoutError(ParamSecretsError): ...
class UpstreamError(ParamSecretsError): ...
class ProtocolError(ParamSecretsError): ...
class InternalError(ParamSecretsError): ...

# Module-level reads through the default client (re-exported, with overloads, by the package).
def default_client() -> Client: ...
def set_default_client(client: Client | None) -> None: ...
def clear_cache() -> None: ...
def get_parameter(
    name: str,
    *,
    decrypt: bool = True,
    version: int | None = None,
    label: str | None = None,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: str | None = None,
) -> Any: ...
def get_secret(
    secret_id: str,
    *,
    version_id: str | None = None,
    version_stage: str | None = None,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: str | None = None,
) -> Any: ...
