"""The walkthrough's hand-written handler, as the AWS Compute Blog post wrote it (its
sample-code/lambda.py, restated here): every invocation asks the extension for the parameter and
the secret with a new urllib3 PoolManager and one GET each, parses the JSON itself, then connects
to the database. No cache in the function: every read is an HTTP request to the extension.
Restated with the local connection rule of examples/python (below) and the port from the secret.

Handler: lambda_function.lambda_handler. Dependencies: urllib3, PyMySQL (requirements.txt).
"""

import json
import os

import pymysql
import urllib3

PORT = os.environ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"]
ENV = os.environ["ENV"]
APP_CONFIG_PATH = os.environ["APP_CONFIG_PATH"]
CREDS_PATH = os.environ["CREDS_PATH"]
FULL_CONFIG_PATH = "/" + ENV + "/" + APP_CONFIG_PATH
# As examples/python/lambda_function.py connects: no TLS to a database on this machine (the local
# MariaDB), PyMySQL's default (TLS when offered) elsewhere. The two handlers differ only in how
# they read their settings.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def retrieve_extension_value(url):
    http = urllib3.PoolManager()
    headers = {"X-Aws-Parameters-Secrets-Token": os.environ.get("AWS_SESSION_TOKEN")}
    response = http.request("GET", "http://localhost:" + PORT + url, headers=headers)
    return json.loads(response.data)


def lambda_handler(event, context):
    config = retrieve_extension_value("/systemsmanager/parameters/get/?name=" + FULL_CONFIG_PATH)["Parameter"]["Value"]
    creds = json.loads(retrieve_extension_value("/secretsmanager/get?secretId=" + CREDS_PATH)["SecretString"])
    try:
        conn = pymysql.connect(
            host=creds["host"],
            port=int(creds.get("port", 3306)),
            user=creds["username"],
            passwd=creds["password"],
            db=creds["dbname"],
            connect_timeout=5,
            ssl_disabled=creds["host"] in LOCAL_HOSTS,
        )
    except Exception as e:
        raise Exception("An error occurred when connecting to the database!") from e
    conn.close()
    return "DemoApp successfully loaded config " + config + " and connected to RDS database " + creds["dbname"] + "!"
