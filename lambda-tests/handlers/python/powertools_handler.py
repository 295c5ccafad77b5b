"""Powertools for AWS Lambda (Python) Parameters' documented examples on paramsecrets'
providers, in the local Lambda (lambda-tests/powertools.py). Returns
{"results": {exampleName: value | {"error": "ClassName"}}}; store: lambda-tests/powertools.store.json.
Only the providers changed from Powertools' examples: SSMProvider -> ExtensionSSMProvider,
SecretsProvider -> ExtensionSecretsProvider."""

from paramsecrets.powertools import ExtensionSecretsProvider, ExtensionSSMProvider

# Module scope, as in Powertools' examples: built at INIT; nothing is read until the handler.
ssm_provider = ExtensionSSMProvider()
secrets_provider = ExtensionSecretsProvider(client=ssm_provider.paramsecrets)


def _run(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the class name is the result
        return {"error": type(e).__name__}
    return value.decode() if isinstance(value, bytes) else value


def handler(event, context):
    examples = {
        "get": lambda: ssm_provider.get("/powertools/plain"),
        "getDecrypted": lambda: ssm_provider.get("/powertools/secure", decrypt=True),
        "getWithMaxAge": lambda: ssm_provider.get("/powertools/plain", max_age=60),
        "transformJson": lambda: "{host}:{port}".format(
            **ssm_provider.get("/powertools/config", transform="json")
        ),
        "transformBase64": lambda: ssm_provider.get("/powertools/base64", transform="binary"),
        "forceFetch": lambda: ssm_provider.get("/powertools/plain", force_fetch=True),
        "getMissing": lambda: ssm_provider.get("/powertools/missing"),
        "getMultiple": lambda: ssm_provider.get_multiple("/powertools"),
        "getParametersByName": lambda: ssm_provider.get_parameters_by_name(
            {
                "/powertools/plain": {},
                "/powertools/config": {"transform": "json"},
                "/powertools/missing": {},
            },
            raise_on_error=False,
        ),
        "secret": lambda: secrets_provider.get("powertools/text"),
        "secretJson": lambda: secrets_provider.get("powertools/db", transform="json")["username"],
    }
    return {"results": {name: _run(fn) for name, fn in examples.items()}}
