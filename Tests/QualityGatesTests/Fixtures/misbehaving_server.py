"""An HTTP server on 127.0.0.1 that misbehaves on purpose, for HTTPClient's tests, and answers as
Supabase GoTrue does at /auth/v1/token (real HS256 tokens; /expired/... and /slow/... variants;
RS256 and ES256 tokens under /rs256/... and /es256/..., with their keys at
/.../auth/v1/.well-known/jwks.json, and the faults /rs256-rotated/ (a kid the JWKS lacks),
/rs256-forged/ and /es256-forged/ (the published kid, another key), /rs256-badjwks/ (a JWKS
that is not JSON)).
Prints its port, then serves until killed. Every endless behaviour stops by itself after 60 seconds."""
import base64
import gzip
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
        elif path.endswith("/auth/v1/.well-known/jwks.json"):
            if path.startswith("/rs256-badjwks/"):
                self.send(200, b"{not json")
            else:
                self.send(200, json.dumps({"keys": [public_jwk(RSA_KID), public_jwk(EC_KID)]}).encode())
        elif path == "/invalid-json":
            self.send(200, b"{not json", "application/json")
        else:
            self.send(404, b"no such path", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        path = self.path.split("?")[0]
        if path.endswith("/auth/v1/token"):
            self.gotrue(path, body)
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

    def gotrue(self, path, body):
        """GoTrue's password grant: apikey checked, then the credentials; a signed access token."""
        if self.headers.get("apikey") != GOTRUE_ANON_KEY:
            self.send(401, json.dumps({"message": "Invalid API key"}).encode())
            return
        if path.startswith("/slow/"):
            time.sleep(0.3)
        credentials = json.loads(body or "{}")
        if credentials.get("email") != GOTRUE_EMAIL or credentials.get("password") != GOTRUE_PASSWORD:
            self.send(400, json.dumps({"error": "invalid_grant", "error_description": "Invalid login credentials"}).encode())
            return
        now = int(time.time())
        claims = {"sub": "u1", "aud": "authenticated", "role": "authenticated", "email": GOTRUE_EMAIL,
                  "iat": now, "exp": now - 60 if path.startswith("/expired/") else now + 3600}
        prefix = path.split("/")[1]
        token = asymmetric_jwt(prefix, claims) if prefix.startswith(("rs256", "es256")) else jwt(claims)
        self.send(200, json.dumps({"access_token": token, "token_type": "bearer", "expires_in": 3600, "refresh_token": "r1"}).encode())


GOTRUE_ANON_KEY = "test-anon-key-4d1e"
GOTRUE_EMAIL = "parents@nestsync.com"
GOTRUE_PASSWORD = "Shazam11#"
GOTRUE_JWT_SECRET = "test-jwt-secret-7c2a"


def jwt(claims):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=")
    signing_input = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims)
    signature = hmac.new(GOTRUE_JWT_SECRET.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


RSA_KID = "rsa-key-1"
EC_KID = "ec-key-1"
_keys = {}
_keys_lock = threading.Lock()


def private_key(name):
    """The server's signing keys, made on first use (RSA key generation takes a moment)."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    with _keys_lock:
        if name not in _keys:
            _keys[name] = ec.generate_private_key(ec.SECP256R1()) if name.startswith("ec") else rsa.generate_private_key(65537, 2048)
        return _keys[name]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(kid):
    numbers = private_key(kid).public_key().public_numbers()
    if kid.startswith("ec"):
        return {"kty": "EC", "kid": kid, "alg": "ES256", "use": "sig", "crv": "P-256",
                "x": b64(numbers.x.to_bytes(32, "big")), "y": b64(numbers.y.to_bytes(32, "big"))}
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": b64(n), "e": b64(e)}


def asymmetric_jwt(prefix, claims):
    """An RS256 or ES256 token, as GoTrue issues with asymmetric signing keys."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    elliptic = prefix.startswith("es256")
    kid = EC_KID if elliptic else RSA_KID
    signer = kid
    if prefix.endswith("-rotated"):
        kid = signer = "next-key"
    elif prefix.endswith("-forged"):
        signer = "ec-other" if elliptic else "rsa-other"
    header = {"alg": "ES256" if elliptic else "RS256", "typ": "JWT", "kid": kid}
    signing_input = (b64(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64(json.dumps(claims, separators=(",", ":")).encode())).encode()
    key = private_key(signer)
    if elliptic:
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode() + "." + b64(signature)


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
