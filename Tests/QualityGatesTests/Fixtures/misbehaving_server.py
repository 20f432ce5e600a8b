"""An HTTP server on 127.0.0.1 that misbehaves on purpose, for HTTPClient's tests, and answers the
GoTrue routes of gotrue_server.py beside (the sign-in and JWKS, with their variants).
Prints its port, then serves until killed. Every endless behaviour stops by itself after 60 seconds."""
import base64
import gzip
import json
import re
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from xml.sax.saxutils import escape as xml_escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gotrue_server  # beside this file


HITS = Counter()
HOSTILE = ("ok\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x00nul\r\n::add-mask::hidden\n::warning::planted\n"
           "\u202egnp.exe\x9b31m end")


def echoes(handler, body):
    """Everything the request carried, in the encodings servers use when they echo it back."""
    carried = "\n".join([handler.path, body] + [f"{name}: {value}" for name, value in handler.headers.items()])
    return {
        "json": carried,
        "ascii_json": json.dumps(carried),
        "url": urllib.parse.quote(carried),
        "url_plus": urllib.parse.quote_plus(carried),
        "base64": base64.b64encode(carried.encode()).decode(),
        "base64_url": base64.urlsafe_b64encode(("x" + carried).encode()).decode(),
        "xml": xml_escape(carried, {'"': "&quot;", "'": "&apos;"}),
    }


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
        HITS[path] += 1
        if path.startswith("/hits/"):
            self.send(200, json.dumps({"hits": HITS[path[len("/hits"):]]}).encode())
        elif path == "/ok":
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
        elif path == "/html":
            self.send(200, b"<html><head><title>Bad gateway</title></head><body>" + b"x" * 180 + b"</body></html>", "text/html")
        elif path == "/lone-surrogate":
            self.send(200, b'{"name": "a\\ud800b", "ok": "yes"}')
        elif path == "/hostile-text":
            self.send(200, HOSTILE.encode(), "text/plain")
        elif path == "/hostile-json":
            self.send(200, json.dumps({"message": HOSTILE, "ok": False}).encode())
        elif path == "/big":
            self.send(200, b"B" * (5 << 20), "text/plain")
        elif path == "/huge-header":
            self.send(200, b"{}", extra=[("X-Huge", "h" * (1 << 20))])
        elif path == "/not-found":
            self.send(404, b'{"error": "no"}')
        elif path == "/busy":
            # 503 with Retry-After: 1 on the first hit, 200 after.
            if HITS[path] == 1:
                self.send(503, b"busy", "text/plain", [("Retry-After", "1")])
            else:
                self.send(200, json.dumps({"data": {"me": {"id": "u1"}}}).encode())
        elif path == "/echo-all":
            self.send(400, json.dumps({"error": "bad request", "echo": echoes(self, "")}).encode())
        else:
            self.send(404, b"no such path", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        path = self.path.split("?")[0]
        HITS[path] += 1
        if path.startswith("/echo-gotrue/"):
            # A GoTrue that refuses the sign-in and quotes the request in every encoding.
            self.send(400, json.dumps({"error": "invalid_grant",
                                       "error_description": "Invalid login credentials for " + json.dumps(echoes(self, body))}).encode())
            return
        if path == "/echo-graphql":
            # A GraphQL server that quotes the variables it refused, as many do.
            self.send(200, json.dumps({"errors": [{"message": f"Variable got invalid value {json.dumps(echoes(self, body))}"}]}).encode())
            return
        if path in ("/graphql-404", "/graphql-500"):
            self.send(int(path[-3:]), b"nope", "text/plain")
            return
        if gotrue_server.handles("POST", path):
            gotrue_server.answer(self, "POST", path, body)
            return
        if path == "/graphql-errors":
            self.send(200, json.dumps({"errors": [{"message": "boom"}]}).encode())
            return
        if path == "/graphql-apollo-no-introspection":
            # Apollo Server in production: introspection refused as a validation error, HTTP 400.
            message = ("GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. "
                       "To enable introspection, pass introspection: true to ApolloServer in production")
            self.send(400, json.dumps({"errors": [{"message": message, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}).encode())
            return
        if path == "/graphql-refuses-me-children":
            # A backend shaped like NestSync's own: the user has no children field (Strawberry
            # refuses the document before running it: data null, errors without a path), and
            # myChildren is a Relay connection.
            query = json.loads(body).get("query", "")
            asked = re.search(r"\bme\s*\{\s*(\w+)", query)
            if asked and asked.group(1) != "id":
                message = f"Cannot query field '{asked.group(1)}' on type 'UserProfile'."
                self.send(200, json.dumps({"data": None, "errors": [{"message": message, "locations": [{"line": 1, "column": 1}]}]}).encode())
            else:
                self.send(200, json.dumps({"data": {"myChildren": {"edges": [{"node": {"id": "c7"}}]}, "me": {"id": "u1"}}}).encode())
            return
        if path == "/graphql-payload-failure":
            # A resolver that answers its failure as data, in a result payload.
            payload = {"success": False, "error": "analytics service unavailable", "dashboard": None}
            self.send(200, json.dumps({"data": {"getAnalyticsDashboard": payload}}).encode())
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


class TLSCounter(BaseHTTPRequestHandler):
    """Serves TLS with a self-signed certificate for 127.0.0.1, which verification refuses unless it is
    given as the CA bundle (its path is printed after the port); counts the handshakes."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class CountingTLSServer(ThreadingHTTPServer):
    def get_request(self):
        sock, address = self.socket.accept()
        HITS["/tls"] += 1
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        pass


def tls_server():
    folder = tempfile.mkdtemp()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{folder}/key.pem",
                    "-out", f"{folder}/cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(f"{folder}/cert.pem", f"{folder}/key.pem")
    secure = CountingTLSServer(("127.0.0.1", 0), TLSCounter)
    secure.context = context
    secure.daemon_threads = True
    threading.Thread(target=secure.serve_forever, daemon=True).start()
    return f"{secure.server_address[1]} {folder}/cert.pem"


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], tls_server(), flush=True)
server.serve_forever()
