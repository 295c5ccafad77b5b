"""One fresh process of the footprint benchmark (bench/footprint/footprint.py runs it).

    python probe.py paramsecrets|boto3 NAME EXPECTED [SSM_ENDPOINT]

Prints one JSON line: the process's RSS (VmRSS), thread ids and names (/proc/self/task) and open
file descriptors (/proc/self/fd) at three stages: `baseline` (interpreter started, nothing
imported beyond what `python` itself loads), `client` (after import + client construction) and
`first_read` (after the first read, a miss through the emulator or the SSM stub). Only `os` and
`sys`, already loaded by the interpreter, are used before the last stage.
"""

import os
import sys


def sample() -> dict:
    with open("/proc/self/status") as f:
        rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    threads = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                threads[tid] = f.read().strip()
        except OSError:
            pass
    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return {"rss_kb": rss_kb, "threads": threads, "fds": fds}


def main() -> None:
    which, name, expected = sys.argv[1:4]
    stages = {"baseline": sample()}
    if which == "paramsecrets":
        import paramsecrets

        client = paramsecrets.Client()  # port and token from the Lambda environment variables
        stages["client"] = sample()
        value = client.get_parameter(name)
    elif which == "boto3":
        import boto3

        client = boto3.client("ssm", endpoint_url=sys.argv[4])  # region, keys from environment
        stages["client"] = sample()
        value = client.get_parameter(Name=name)["Parameter"]["Value"]
    else:
        raise SystemExit(f"unknown client {which!r}")
    stages["first_read"] = sample()
    if value != expected:
        raise SystemExit("the first read returned a wrong value")
    import json

    print(json.dumps({"runtime": sys.version.split()[0], "stages": stages}))


if __name__ == "__main__":
    main()
