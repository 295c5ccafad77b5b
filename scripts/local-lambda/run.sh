#!/usr/bin/env bash
# Runs a Lambda handler (Python, Node.js or Java) in the local Lambda: AWS's Runtime Interface
# Emulator + the official runtime interface client, layers on /opt in a private mount namespace.
# Installs the pinned parts on first use (scripts/local-lambda/install.sh). Options:
#   scripts/local-lambda/run.sh --help
exec python3 "$(dirname "$0")/local_lambda.py" "$@"
