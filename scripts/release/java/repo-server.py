#!/usr/bin/env python3
"""A Maven repository on 127.0.0.1, for the release test: the Maven repository protocol is plain
HTTP, GET (and HEAD) to download, PUT to publish. Files are stored under ROOT as they are PUT.

    repo-server.py --root DIR --user NAME --password-file FILE [--port 0]

Prints one line, `listening on http://127.0.0.1:<port>/`, once the socket is bound (port 0
picks a free one), and logs one line per request on stderr. GET is anonymous, as on Maven
Central; PUT needs HTTP Basic credentials equal to --user and the password in FILE (401 with a
challenge otherwise, as a repository manager answers). Paths with `..` or not under ROOT are
refused. Stops on SIGTERM or SIGINT.
"""

import argparse
import base64
import hmac
import http.server
import pathlib
import signal
import sys
import urllib.parse


def handler_class(root: pathlib.Path, credentials: bytes):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, Expect: 100-continue (Wagon sends both)
        server_version = "paramsecrets-release-test-repo/1"

        def log_message(self, fmt, *args):
            sys.stderr.write("repo-server: " + (fmt % args) + "\n")

        def target(self) -> pathlib.Path | None:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            parts = [p for p in path.split("/") if p]
            if any(p in (".", "..") for p in parts):
                return None
            return root.joinpath(*parts)

        def answer(self, status: int, body: bytes = b"", headers: dict | None = None):
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            target = self.target()
            if target is None or not target.is_file():
                self.answer(404, b"not found\n")
                return
            data = target.read_bytes()
            self.answer(200, data, {"Content-Type": "application/octet-stream"})

        do_HEAD = do_GET

        def authorised(self) -> bool:
            got = self.headers.get("Authorization", "")
            return got.startswith("Basic ") and hmac.compare_digest(
                got[len("Basic ") :].strip().encode(), credentials
            )

        def body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                data = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def do_PUT(self):
            if not self.authorised():
                self.body()  # drain, so the connection stays usable for the retry
                self.answer(401, b"unauthorised\n", {"WWW-Authenticate": 'Basic realm="releases"'})
                return
            target = self.target()
            if target is None or target == root:
                self.body()
                self.answer(400, b"bad path\n")
                return
            data = self.body()
            existed = target.exists()
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
            self.answer(200 if existed else 201)

        def do_MKCOL(self):  # WebDAV-style clients create folders first; PUT creates them anyway
            self.answer(201 if self.authorised() else 401)

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, type=pathlib.Path)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True, type=pathlib.Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    root = args.root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    password = args.password_file.read_text().strip()
    credentials = base64.b64encode(f"{args.user}:{password}".encode())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler_class(root, credentials))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on http://127.0.0.1:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
