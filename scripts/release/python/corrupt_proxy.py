"""A corrupting mirror of a local package index, for the release test's bad-download check.

    python corrupt_proxy.py UPSTREAM_PORT FILENAME

Listens on 127.0.0.1 (a free port; prints `listening on 127.0.0.1:<port>` on stdout, then
nothing) and passes every GET through to http://127.0.0.1:UPSTREAM_PORT unchanged, except the
body of a file named FILENAME: one byte in its middle is inverted. The index pages, with the
sha256 fragments the upstream index computed from the true file, reach pip untouched, so the
file pip downloads no longer matches its published hash: a corrupt download or a broken mirror.
"""

import http.client
import http.server
import sys

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def make_handler(upstream_port: int, filename: str):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            try:
                conn.request(
                    "GET",
                    self.path,
                    headers={"Accept": self.headers.get("Accept", "*/*")},
                )
                resp = conn.getresponse()
                body = resp.read()
            finally:
                conn.close()
            if self.path.split("?", 1)[0].rsplit("/", 1)[-1] == filename and body:
                middle = len(body) // 2
                body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
            self.send_response(resp.status)
            for key, value in resp.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            sys.stderr.write(f"corrupt_proxy: {format % args}\n")

    return Handler


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), make_handler(int(sys.argv[1]), sys.argv[2])
    )
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
