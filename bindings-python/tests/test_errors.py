"""The exception hierarchy: one class per core error code, attributes, cause chaining."""

from __future__ import annotations

import pickle
import socket

import pytest

import paramsecrets
import paramsecrets.exceptions as exc
from conftest import TOKEN

#: DESIGN §5, in order.
CODES = {
    "invalid_argument": exc.InvalidArgumentError,
    "missing_token": exc.MissingTokenError,
    "unauthorized": exc.UnauthorizedError,
    "not_found": exc.NotFoundError,
    "not_found_or_denied": exc.NotFoundOrDeniedError,
    "access_denied": exc.AccessDeniedError,
    "not_ready": exc.NotReadyError,
    "unavailable": exc.UnavailableError,
    "throttled": exc.ThrottledError,
    "timeout": exc.ParamSecretsTimeoutError,
    "upstream": exc.UpstreamError,
    "protocol": exc.ProtocolError,
    "internal": exc.InternalError,
}


def test_one_class_per_code_under_one_base():
    assert exc.BY_CODE == CODES
    for code, cls in CODES.items():
        assert cls.code == code
        assert issubclass(cls, paramsecrets.ParamSecretsError)
        assert issubclass(cls, Exception)
        assert getattr(paramsecrets, cls.__name__) is cls
        assert cls.__module__ == "paramsecrets"
    assert len(set(CODES.values())) == 13
    assert paramsecrets.ParamSecretsError.code is None


def test_the_timeout_error_does_not_shadow_the_builtin():
    assert paramsecrets.ParamSecretsTimeoutError is not TimeoutError
    assert "TimeoutError" not in paramsecrets.__all__
    assert not hasattr(paramsecrets, "TimeoutError")
    assert TimeoutError.__module__ == "builtins"


def test_extension_errors_carry_code_and_status(client):
    with pytest.raises(paramsecrets.NotFoundOrDeniedError) as e:
        client.get_parameter("/app/missing")
    err = e.value
    assert (err.code, err.status, err.attempts) == ("not_found_or_denied", 400, 1)
    assert "/app/missing" in str(err)
    assert err.__cause__ is None


def test_retried_errors_count_attempts(client):
    with pytest.raises(paramsecrets.UpstreamError) as e:
        client.get_parameter("/app/busy")
    assert (e.value.code, e.value.status, e.value.attempts) == ("upstream", 503, 3)


def test_agent_errors_carry_the_aws_type(agent_emulator):
    c = agent_emulator.client()
    with pytest.raises(paramsecrets.NotFoundError) as e:
        c.get_secret("app/missing")
    assert e.value.aws_type == "ResourceNotFoundException"
    assert e.value.status == 400
    bad = agent_emulator.client(token="wrong")
    with pytest.raises(paramsecrets.UnauthorizedError) as e:
        bad.get_secret("app/db")
    assert e.value.status == 403


def test_a_wrong_token_is_unauthorized(emulator):
    with pytest.raises(paramsecrets.UnauthorizedError) as e:
        emulator.client(token="not-it").get_parameter("/app/plain")
    assert e.value.status == 401
    assert "not-it" not in str(e.value)


def test_connection_failures_chain_the_cause():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = paramsecrets.Client(port=port, token=TOKEN, ready_timeout=0.2)
    with pytest.raises(paramsecrets.UnavailableError) as e:
        c.get_parameter("/app/plain")
    assert e.value.code == "unavailable"
    assert e.value.status is None
    assert isinstance(e.value.__cause__, ConnectionError)
    assert str(e.value.__cause__)


def test_missing_token_names_the_variables(monkeypatch):
    for var in (
        "PARAMSECRETS_TOKEN",
        "AWS_TOKEN",
        "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(paramsecrets.MissingTokenError) as e:
        paramsecrets.Client()
    assert e.value.code == "missing_token"
    assert "AWS_SESSION_TOKEN" in str(e.value)


def test_errors_pickle_with_their_fields(client):
    with pytest.raises(paramsecrets.NotFoundOrDeniedError) as e:
        client.get_parameter("/app/missing")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is paramsecrets.NotFoundOrDeniedError
    assert (back.code, back.status, str(back)) == (e.value.code, 400, str(e.value))


def test_errors_can_be_raised_and_caught_by_users():
    with pytest.raises(paramsecrets.ParamSecretsError) as e:
        raise paramsecrets.ThrottledError("slow down")
    assert e.value.code == "throttled"
    assert e.value.status is None
