"""Records, stats, redaction (repr/str/logs), and the packaging of the native module."""

from __future__ import annotations

import datetime
import logging
import subprocess
from pathlib import Path

import pytest

import paramsecrets
from conftest import SECRET_VALUES, TOKEN


def test_parameter_record(client):
    p = client.get_parameter_record("/app/versioned", version=1)
    assert isinstance(p, paramsecrets.Parameter)
    assert (p.name, p.value, p.type, p.version, p.selector) == (
        "/app/versioned",
        "v1",
        "String",
        1,
        ":1",
    )
    assert p.arn and p.arn.startswith("arn:aws:ssm:")
    assert isinstance(p.last_modified, datetime.datetime)
    assert p.last_modified.tzinfo is datetime.timezone.utc
    assert p.last_modified_ms == int(p.last_modified.timestamp() * 1000)
    assert p.data_type == "text"
    assert p.source_result is None
    latest = client.get_parameter_record("/app/versioned")
    assert (latest.version, latest.selector) == (2, None)
    assert client.get_parameter_record("/app/secure").type == "SecureString"


def test_secret_records(client):
    s = client.get_secret_record("app/db")
    assert isinstance(s, paramsecrets.Secret)
    assert s.name == "app/db"
    assert s.version_stages == ["AWSCURRENT"]
    assert s.version_id
    assert isinstance(s.value, str) and s.secret_string == s.value
    assert s.secret_binary is None
    assert isinstance(s.created_date, datetime.datetime)
    assert s.created_ms == int(s.created_date.timestamp() * 1000)
    b = client.get_secret_record("app/blob")
    assert b.value == b.secret_binary == SECRET_VALUES[2].encode()
    assert b.secret_string is None


def test_nothing_shows_values_or_the_token(client):
    p = client.get_parameter_record("/app/secure")
    s = client.get_secret_record("app/db")
    b = client.get_secret_record("app/blob")
    texts = [
        repr(p),
        str(p),
        repr(s),
        str(s),
        repr(b),
        str(b),
        repr(client),
        str(client),
        repr(client.stats()),
    ]
    assert "value=<redacted>" in repr(p)
    assert "string=<redacted>" in repr(s) and "binary=<redacted>" in repr(b)
    assert "'app/db'" in repr(s)
    for text in texts:
        for secret in (*SECRET_VALUES, TOKEN):
            assert secret not in text, text


def test_debug_logs_never_carry_values_or_the_token(emulator, caplog):
    caplog.set_level(logging.DEBUG)
    c = emulator.client()
    c.get_parameter("/app/secure")
    c.get_secret("app/db")
    with pytest.raises(paramsecrets.UpstreamError):
        c.get_parameter("/app/busy")  # retried: core logs each failed attempt at debug
    with pytest.raises(paramsecrets.ProtocolError):
        c.get_parameter("/app/notjson.json", transform="json")
    records = [r for r in caplog.records if r.name.startswith("paramsecrets")]
    assert records, "core's debug logs should reach Python logging"
    assert any("/app/busy" in r.getMessage() for r in records)
    for r in caplog.records:
        for secret in (*SECRET_VALUES, TOKEN):
            assert secret not in r.getMessage()


def test_stats(client):
    client.get_parameter("/app/plain")
    client.get_parameter("/app/plain")
    with pytest.raises(paramsecrets.NotFoundOrDeniedError):
        client.get_parameter("/app/missing")
    s = client.stats()
    assert isinstance(s, paramsecrets.Stats)
    assert s.as_dict() == {
        "hits": 1,
        "misses": 2,
        "stale_served": 0,
        "coalesced": 0,
        "requests": 2,
        "retries": 0,
        "errors": 1,
        "evictions": 0,
    }
    assert s == client.stats()
    assert repr(s).startswith("Stats(hits=1, misses=2")


def test_json_transform_types(client):
    v = client.get_parameter("/app/config.json", transform="json")
    assert isinstance(v, dict) and isinstance(v["b"][0], int) and isinstance(v["b"][1], float)
    assert v["b"][2] is None and v["b"][3] is True


def test_the_package_is_typed_and_versioned():
    root = Path(paramsecrets.__file__).parent
    assert (root / "py.typed").exists()
    assert (root / "__init__.pyi").exists() and (root / "_native.pyi").exists()
    assert paramsecrets.__version__.count(".") == 2


def test_the_native_module_needs_nothing_newer_than_glibc_2_17():
    so = Path(paramsecrets._native.__file__)
    out = subprocess.run(
        ["objdump", "-T", str(so)], check=True, capture_output=True, text=True
    ).stdout
    versions = sorted(
        {
            tuple(int(x) for x in v.split("_")[1].split("."))
            for v in __import__("re").findall(r"GLIBC_[0-9.]+", out)
        }
    )
    assert versions, "objdump found no GLIBC symbol versions"
    assert versions[-1] <= (2, 17), versions[-1]
