"""An HTTP server on 127.0.0.1 that misbehaves on purpose, for HTTPClient's tests, and answers the
GoTrue routes of gotrue_server.py beside (the sign-in and JWKS, with their variants).
Prints its port, then serves until killed. Every endless behaviour stops by itself after 60 seconds."""
import gzip
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gotrue_server  # beside this file


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/ok":
            self.send(200, json.dumps({"data": {"me": {"id": "u1"}}, "items": [1, 2, 3]}).encode())
        elif path == "/hang":
            time.sleep(60)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(60):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            chunk = b"z" * 65536
            deadline = time.time() + 60
            try:
                while time.time() < deadline:
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/gzip-bomb":
            self.send(200, bomb(), "application/json", [("Content-Encoding", "gzip")])
        elif path == "/redirect-loop":
            self.send(302, b"", extra=[("Location", "/redirect-loop")])
        elif path == "/redirect-once":
            self.send(302, b"", extra=[("Location", "/ok")])
        elif path == "/500":
            self.send(500, b"oops", "text/plain")
        elif gotrue_server.handles("GET", path):
            gotrue_server.answer(self, "GET", path, "")
        elif path == "/invalid-json":
            self.send(200, b"{not json", "application/json")
        else:
            self.send(404, b"no such path", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        path = self.path.split("?")[0]
        if gotrue_server.handles("POST", path):
            gotrue_server.answer(self, "POST", path, body)
            return
        if path == "/graphql-errors":
            self.send(200, json.dumps({"errors": [{"message": "boom"}]}).encode())
            return
        if path == "/graphql-data":
            # A GraphQL answer; a bearer token, if any, is echoed back so tests can see it arrived.
            data = {"getAnalyticsDashboard": {"totalChanges": 42}, "me": {"id": "u1"},
                    "authorization": self.headers.get("Authorization")}
            self.send(200, json.dumps({"data": data}).encode())
            return
        if path != "/echo":
            self.do_GET()
            return
        echo = {"method": self.command, "body": body, "x-test": self.headers.get("X-Test")}
        self.send(200, json.dumps(echo).encode())

    do_PUT = do_POST


_bomb = []


def bomb():
    """50 MB of zeros, gzipped to about 50 KB; made on first use, not at every start."""
    if not _bomb:
        _bomb.append(gzip.compress(b"\0" * (50 << 20), compresslevel=1))
    return _bomb[0]


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
