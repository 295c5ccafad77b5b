from typing import Any, Literal, overload

from paramsecrets._native import (
    AsyncClient as AsyncClient,
)
from paramsecrets._native import (
    Client as Client,
)
from paramsecrets._native import (
    Parameter as Parameter,
)
from paramsecrets._native import (
    Secret as Secret,
)
from paramsecrets._native import (
    Stats as Stats,
)
from paramsecrets._native import (
    __version__ as __version__,
)
from paramsecrets.exceptions import (
    AccessDeniedError as AccessDeniedError,
)
from paramsecrets.exceptions import (
    InternalError as InternalError,
)
from paramsecrets.exceptions import (
    InvalidArgumentError as InvalidArgumentError,
)
from paramsecrets.exceptions import (
    MissingTokenError as MissingTokenError,
)
from paramsecrets.exceptions import (
    NotFoundError as NotFoundError,
)
from paramsecrets.exceptions import (
    NotFoundOrDeniedError as NotFoundOrDeniedError,
)
from paramsecrets.exceptions import (
    NotReadyError as NotReadyError,
)
from paramsecrets.exceptions import (
    ParamSecretsError as ParamSecretsError,
)
from paramsecrets.exceptions import (
    ParamSecretsTimeoutError as ParamSecretsTimeoutError,
)
from paramsecrets.exceptions import (
    ProtocolError as ProtocolError,
)
from paramsecrets.exceptions import (
    ThrottledError as ThrottledError,
)
from paramsecrets.exceptions import (
    UnauthorizedError as UnauthorizedError,
)
from paramsecrets.exceptions import (
    UnavailableError as UnavailableError,
)
from paramsecrets.exceptions import (
    UpstreamError as UpstreamError,
)

def default_client() -> Client: ...
def set_default_client(client: Client | None) -> None: ...
@overload
def get_parameter(
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
    name: str,
    *,
    decrypt: bool = True,
    version: int | None = None,
    label: str | None = None,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: Literal["auto"] | str,
) -> Any: ...
@overload
def get_secret(
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
    secret_id: str,
    *,
    version_id: str | None = None,
    version_stage: str | None = None,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: Literal["auto"] | str,
) -> Any: ...
def get_parameters(
    names: list[str],
    *,
    decrypt: bool = True,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: str | None = None,
    raise_on_error: bool = False,
) -> dict[str, Any]: ...
def get_secrets(
    secret_ids: list[str],
    *,
    max_age: float | None = None,
    force_fetch: bool = False,
    transform: str | None = None,
    raise_on_error: bool = False,
) -> dict[str, Any]: ...
def prefetch(parameters: list[str] = ..., secrets: list[str] = ...) -> None: ...
def clear_cache() -> None: ...
