"""The walkthrough's Lambda function, with paramsecrets instead of hand-written urllib3 calls.

Reads the app's configuration from Parameter Store (``/$ENV/$APP_CONFIG_PATH``) and the
database credentials from Secrets Manager (``$CREDS_PATH``) through the AWS Parameters and
Secrets Lambda Extension, connects to the database with PyMySQL and runs a real query.

Handler: ``lambda_function.lambda_handler``. Runtime: python3.10 or newer.
"""

import os

import paramsecrets
import pymysql

# Once per execution environment (the INIT phase), like the walkthrough's module-level setup.
# The port and token come from the Lambda environment (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
# AWS_SESSION_TOKEN); every warm invocation then reads both values from the in-process cache.
ENV = os.environ["ENV"]
APP_CONFIG_PATH = os.environ["APP_CONFIG_PATH"]
CREDS_PATH = os.environ["CREDS_PATH"]
FULL_CONFIG_PATH = f"/{ENV}/{APP_CONFIG_PATH}"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

client = paramsecrets.Client()


def lambda_handler(event, context):
    response = respond()
    # One line per invocation in the function's log: how many reads the in-process cache answered.
    s = client.stats()
    print(f"paramsecrets L1: hits={s.hits} misses={s.misses} requests={s.requests} errors={s.errors}")
    return response


def respond():
    try:
        config = client.get_parameter(FULL_CONFIG_PATH, transform="json")
        creds = client.get_secret(CREDS_PATH, transform="json")
    except paramsecrets.ParamSecretsError as e:
        # e.code is stable (not_found_or_denied, unauthorized, ...); the message names the
        # parameter or secret, never a value.
        print(f"reading settings failed: {e.code}: {e}")
        return {"statusCode": 500, "body": f"Could not read settings: {e.code}: {e}"}

    try:
        conn = pymysql.connect(
            host=creds["host"],
            port=int(creds.get("port", 3306)),
            user=creds["username"],
            password=creds["password"],
            database=creds["dbname"],
            connect_timeout=5,
            # The local MariaDB has no TLS; keep PyMySQL's default (TLS when offered) for RDS.
            ssl_disabled=creds["host"] in LOCAL_HOSTS,
        )
    except pymysql.MySQLError as e:
        print(f"database connection failed: {e}")
        return {"statusCode": 500, "body": f"Could not connect to the database: {e}"}
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            (version,) = cur.fetchone()
    finally:
        conn.close()

    return {
        "statusCode": 200,
        "body": f"Successfully connected to {version} "
        f"(database {creds['dbname']} on {creds['host']}:{creds.get('port', 3306)}, "
        f"config {FULL_CONFIG_PATH} with {len(config)} settings)",
    }
