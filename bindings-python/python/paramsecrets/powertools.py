"""Powertools for AWS Lambda (Python) Parameters providers backed by paramsecrets.

``ExtensionSSMProvider`` and ``ExtensionSecretsProvider`` subclass Powertools'
``BaseProvider``: ``get`` (``max_age``, ``transform``, ``force_fetch``, ``decrypt``),
``get_parameters_by_name`` and Powertools' transform and error rules behave as Powertools
documents, while every read goes to the AWS Parameters and Secrets Lambda Extension through a
:class:`paramsecrets.Client` instead of an SDK call. Install with
``pip install paramsecrets[powertools]``.

What the extension cannot do, the providers refuse with :class:`ExtensionUnsupportedError`
(a ``GetParameterError``) naming the Powertools provider to keep for that call: reads by path
(``get_multiple``: GetParametersByPath) and AppConfig.
"""

from __future__ import annotations

import os
from typing import Any

try:
    from aws_lambda_powertools.shared import constants
    from aws_lambda_powertools.shared.functions import (
        resolve_max_age,
        resolve_truthy_env_var_choice,
    )
    from aws_lambda_powertools.utilities.parameters.base import BaseProvider, transform_value
    from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_MAX_AGE_SECS
    from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
except ImportError as e:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "paramsecrets.powertools needs Powertools for AWS Lambda (Python) 3.x: "
        "pip install 'paramsecrets[powertools]'"
    ) from e

from . import Client

__all__ = ["ExtensionSSMProvider", "ExtensionSecretsProvider", "ExtensionUnsupportedError"]

_ERRORS_KEY = "_errors"


class ExtensionUnsupportedError(GetParameterError):
    """A Powertools call the extension cannot serve; ``powertools_provider`` names the
    Powertools provider that still can (keep it for this call)."""

    def __init__(self, what: str, powertools_provider: str):
        super().__init__(
            f"{what} is not something the Parameters and Secrets extension can do; "
            f"keep Powertools' {powertools_provider} for this call"
        )
        self.powertools_provider = powertools_provider
        """The Powertools provider to keep for this call, e.g. ``SSMProvider (boto3)``."""


def _max_age(choice: int | None) -> int:
    env = os.getenv(constants.PARAMETERS_MAX_AGE_ENV, DEFAULT_MAX_AGE_SECS)
    return resolve_max_age(env=env, choice=choice)


def _no_sdk_options(sdk_options: dict) -> None:
    if sdk_options:
        raise TypeError(
            f"SDK options {sorted(sdk_options)} have no meaning for the extension "
            "(it takes the name and, for SSM, decrypt)"
        )


class _ExtensionProvider(BaseProvider):
    """What both providers share: the client, and ``max_age``/``force_fetch`` passed down to
    the client's own cache so neither cache serves a value older than asked for."""

    def __init__(self, client: Client | None = None):
        super().__init__()
        self.paramsecrets = client if client is not None else Client()

    def _read_options(self, sdk_options: dict) -> dict:
        return {
            "max_age": sdk_options.pop("_max_age"),
            "force_fetch": sdk_options.pop("_force_fetch"),
        }

    def _pass_down(self, max_age: int | None, force_fetch: bool, sdk_options: dict) -> int:
        max_age = _max_age(max_age)
        sdk_options["_max_age"] = float(max_age)
        sdk_options["_force_fetch"] = force_fetch
        return max_age

    def _get_multiple(self, path: str, **sdk_options: Any) -> dict[str, str]:
        raise self._unsupported_multiple()


class ExtensionSSMProvider(_ExtensionProvider):
    """Powertools' ``SSMProvider``, reading through the extension.

    ``decrypt`` defaults as in Powertools (``POWERTOOLS_PARAMETERS_SSM_DECRYPT``, else off).
    """

    def get(  # type: ignore[override]
        self,
        name: str,
        max_age: int | None = None,
        transform: Any = None,
        decrypt: bool | None = None,
        force_fetch: bool = False,
        **sdk_options: Any,
    ) -> str | bytes | dict | None:
        """Powertools' ``get``: one parameter, cached for ``max_age`` seconds (default 5, or
        ``POWERTOOLS_PARAMETERS_MAX_AGE``), transformed by ``transform``; ``force_fetch`` skips
        the cache; ``decrypt`` defaults to ``POWERTOOLS_PARAMETERS_SSM_DECRYPT``, else off. An
        SDK option raises ``TypeError``: the extension takes the name and ``decrypt`` only."""
        max_age = self._pass_down(max_age, force_fetch, sdk_options)
        sdk_options["decrypt"] = resolve_truthy_env_var_choice(
            env=os.getenv(constants.PARAMETERS_SSM_DECRYPT_ENV, "false"), choice=decrypt
        )
        return super().get(name, max_age, transform, force_fetch, **sdk_options)

    def _get(self, name: str, decrypt: bool = False, **sdk_options: Any) -> str:
        opts = self._read_options(sdk_options)
        _no_sdk_options(sdk_options)
        return self.paramsecrets.get_parameter(name, decrypt=decrypt, **opts)

    def get_multiple(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Always raises :class:`ExtensionUnsupportedError`: the extension has no
        GetParametersByPath (keep Powertools' ``SSMProvider`` for this call)."""
        raise self._unsupported_multiple()

    @staticmethod
    def _unsupported_multiple() -> ExtensionUnsupportedError:
        return ExtensionUnsupportedError(
            "get_multiple (GetParametersByPath)", "SSMProvider (boto3)"
        )

    def get_parameters_by_name(
        self,
        parameters: dict[str, dict],
        transform: Any = None,
        decrypt: bool | None = None,
        max_age: int | None = None,
        raise_on_error: bool = True,
    ) -> dict[str, Any]:
        """Powertools' ``get_parameters_by_name``: per-name overrides of ``transform``,
        ``decrypt`` and ``max_age``; fail fast, or with ``raise_on_error=False`` the failed
        names under ``"_errors"``. Misses go out as paramsecrets batches (concurrent reads),
        one per decrypt setting; hits come from Powertools' cache as in Powertools."""
        max_age = _max_age(max_age)
        decrypt = resolve_truthy_env_var_choice(
            env=os.getenv(constants.PARAMETERS_SSM_DECRYPT_ENV, "false"), choice=decrypt
        )
        if not raise_on_error and _ERRORS_KEY in parameters:
            raise GetParameterError(
                f"You cannot fetch a parameter named '{_ERRORS_KEY}' in graceful error mode."
            )
        merged: dict[str, dict] = {}
        for name, options in parameters.items():
            o = dict(options or {})
            o["transform"] = o.get("transform") or transform
            o.setdefault("decrypt", decrypt)
            o.setdefault("max_age", max_age)
            merged[name] = o
        found: dict[str, Any] = {}
        missing: dict[bool, list[str]] = {}
        for name, o in merged.items():
            key = self._build_cache_key(name=name, transform=o["transform"])
            if self.has_not_expired_in_cache(key):
                found[name] = self.fetch_from_cache(key)
            else:
                missing.setdefault(bool(o["decrypt"]), []).append(name)
        errors: list[str] = []
        for dec, names in missing.items():
            got = self.paramsecrets.get_parameters(names, decrypt=dec)
            for name in names:
                value = got[name]
                if isinstance(value, BaseException):
                    if raise_on_error:
                        raise GetParameterError(str(value)) from value
                    errors.append(name)
                    continue
                o = merged[name]
                if o["transform"]:
                    value = transform_value(
                        key=name,
                        value=value,
                        transform=o["transform"],
                        raise_on_transform_error=raise_on_error,
                    )
                if value is not None:
                    key = self._build_cache_key(name=name, transform=o["transform"])
                    self.add_to_cache(key=key, value=value, max_age=o["max_age"])
                found[name] = value
        if not raise_on_error:
            return {_ERRORS_KEY: errors, **found}
        return found


class ExtensionSecretsProvider(_ExtensionProvider):
    """Powertools' ``SecretsProvider``, reading through the extension."""

    def get(  # type: ignore[override]
        self,
        name: str,
        max_age: int | None = None,
        transform: Any = None,
        force_fetch: bool = False,
        **sdk_options: Any,
    ) -> str | bytes | dict | None:
        """Powertools' ``get``: one secret, cached for ``max_age`` seconds (default 5, or
        ``POWERTOOLS_PARAMETERS_MAX_AGE``), transformed by ``transform``; ``force_fetch`` skips
        the cache. The SDK options ``VersionId`` / ``VersionStage`` select a version; any
        other raises ``TypeError``."""
        max_age = self._pass_down(max_age, force_fetch, sdk_options)
        return super().get(name, max_age, transform, force_fetch, **sdk_options)

    def _get(self, name: str, **sdk_options: Any) -> str | bytes:
        opts = self._read_options(sdk_options)
        version_id = sdk_options.pop("VersionId", None)
        version_stage = sdk_options.pop("VersionStage", None)
        _no_sdk_options(sdk_options)
        return self.paramsecrets.get_secret(
            name, version_id=version_id, version_stage=version_stage, **opts
        )

    def get_multiple(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Always raises :class:`ExtensionUnsupportedError` (keep Powertools'
        ``SecretsProvider`` for this call)."""
        raise self._unsupported_multiple()

    @staticmethod
    def _unsupported_multiple() -> ExtensionUnsupportedError:
        return ExtensionUnsupportedError("get_multiple", "SecretsProvider (boto3)")
