"""paramsecrets.powertools: Powertools' documented Parameters examples, with only the provider
swapped, against the real emulator serving lambda-tests/powertools.store.json (the store the
local-Lambda handler reads too). Values and error classes are what Powertools documents."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from aws_lambda_powertools.utilities.parameters.exceptions import (
    GetParameterError,
    TransformParameterError,
)

from conftest import REPO, Emulator
from paramsecrets.powertools import (
    ExtensionSecretsProvider,
    ExtensionSSMProvider,
    ExtensionUnsupportedError,
)

PLAIN, SECURE = "pt-plain-value-3e1a", "pt-secure-value-8b2c"


@pytest.fixture(scope="module")
def pt_emulator():
    emu = Emulator(REPO / "lambda-tests" / "powertools.store.json")
    yield emu
    emu.stop()


@pytest.fixture
def ssm(pt_emulator) -> ExtensionSSMProvider:
    pt_emulator.reset()
    return ExtensionSSMProvider(client=pt_emulator.client())


@pytest.fixture
def secrets(ssm) -> ExtensionSecretsProvider:
    return ExtensionSecretsProvider(client=ssm.paramsecrets)


def test_get_decrypt_and_max_age_cache(ssm, pt_emulator):
    assert ssm.get("/powertools/plain") == PLAIN
    assert ssm.get("/powertools/secure", decrypt=True) == SECURE
    assert ssm.get("/powertools/plain", max_age=60) == PLAIN
    # The second plain read came from Powertools' cache: one request for it.
    assert pt_emulator.requests("parameter:/powertools/plain") == 1


def test_force_fetch_reaches_the_extension_past_both_caches(ssm, pt_emulator):
    assert ssm.get("/powertools/plain") == PLAIN
    assert ssm.get("/powertools/plain", force_fetch=True) == PLAIN
    assert pt_emulator.requests("parameter:/powertools/plain") == 2


def test_a_short_max_age_also_bounds_the_clients_own_cache(ssm, pt_emulator):
    assert ssm.get("/powertools/plain", max_age=1) == PLAIN
    time.sleep(1.1)
    assert ssm.get("/powertools/plain", max_age=1) == PLAIN
    assert pt_emulator.requests("parameter:/powertools/plain") == 2


def test_transforms(ssm):
    assert ssm.get("/powertools/config", transform="json") == {"host": "db.internal", "port": 5432}
    assert ssm.get("/powertools/base64", transform="binary") == b"hello world"
    # "auto" decides by the name's suffix (.json / .binary): none here, so the raw string.
    assert ssm.get("/powertools/config", transform="auto").startswith("{")


def test_a_failed_transform_is_a_transform_error(ssm):
    with pytest.raises(TransformParameterError):
        ssm.get("/powertools/plain", transform="json")


def test_a_missing_name_is_a_get_parameter_error_without_any_value(ssm):
    with pytest.raises(GetParameterError) as e:
        ssm.get("/powertools/missing")
    assert "/powertools/missing" in str(e.value)
    assert PLAIN not in str(e.value)


def test_sdk_options_the_extension_cannot_take_are_refused(ssm):
    with pytest.raises(GetParameterError, match="SDK options"):
        ssm.get("/powertools/plain", WithDecryption=True)


@pytest.mark.parametrize("provider", ["ssm", "secrets"])
def test_get_multiple_by_path_is_refused_with_the_provider_to_keep(request, provider):
    p = request.getfixturevalue(provider)
    with pytest.raises(ExtensionUnsupportedError) as e:
        p.get_multiple("/powertools")
    assert isinstance(e.value, GetParameterError)
    expected = "SSMProvider" if provider == "ssm" else "SecretsProvider"
    assert expected in e.value.powertools_provider
    assert expected in str(e.value)


def test_get_parameters_by_name_graceful(ssm, pt_emulator):
    params = {
        "/powertools/plain": {},
        "/powertools/config": {"transform": "json"},
        "/powertools/missing": {},
    }
    got = ssm.get_parameters_by_name(params, raise_on_error=False)
    assert got == {
        "_errors": ["/powertools/missing"],
        "/powertools/plain": PLAIN,
        "/powertools/config": {"host": "db.internal", "port": 5432},
    }
    # Cached as Powertools caches them: asking again sends nothing for the found names.
    before = pt_emulator.requests()
    again = ssm.get_parameters_by_name(
        {"/powertools/plain": {}, "/powertools/config": {"transform": "json"}}
    )
    assert again["/powertools/plain"] == PLAIN
    assert pt_emulator.requests() == before


def test_get_parameters_by_name_fail_fast_and_decrypt_overrides(ssm):
    with pytest.raises(GetParameterError):
        ssm.get_parameters_by_name({"/powertools/plain": {}, "/powertools/missing": {}})
    got = ssm.get_parameters_by_name(
        {"/powertools/secure": {"decrypt": True}, "/powertools/plain": {}}
    )
    assert got == {"/powertools/secure": SECURE, "/powertools/plain": PLAIN}
    with pytest.raises(GetParameterError, match="_errors"):
        ssm.get_parameters_by_name({"_errors": {}}, raise_on_error=False)


def test_secrets(secrets):
    assert secrets.get("powertools/text") == "pt-text-secret-a7f4"
    assert secrets.get("powertools/db", transform="json")["username"] == "admin"
    with pytest.raises(GetParameterError):
        secrets.get("powertools/missing")


def test_importing_without_powertools_says_what_to_install():
    code = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'aws_lambda_powertools':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "import paramsecrets.powertools\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode != 0
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError:") and "paramsecrets[powertools]" in last, r.stderr
