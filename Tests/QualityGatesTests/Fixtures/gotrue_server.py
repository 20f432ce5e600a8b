"""Supabase GoTrue's password grant as a test double, on 127.0.0.1: `POST …/auth/v1/token` checks the
apikey and the smoke-test credentials and answers as GoTrue does, with a real signed access token:
HS256 with the JWT secret; RS256 and ES256 under /rs256/… and /es256/…, their public keys at
`…/auth/v1/.well-known/jwks.json`. Variants: /expired/… (a token already expired), /slow/… (0.3 s),
/slow2500/… (2.5 s), /error500/… (HTTP 500), /ratelimited/… (HTTP 429, as GoTrue's rate limit answers), /othersecret/… (HS256 with a secret that is not the project's),
/rs256-rotated/… (a kid the JWKS lacks), POST …/auth/v1/logout (GoTrue's sign-out; the sessions still
open are counted at GET …/auth/v1/qg-open-sessions; under /nologout/… it answers 404), /rs256-forged/… and /es256-forged/… (the published kid,
another key), /rs256-badjwks/… (a JWKS that is not JSON).
Run as a program it serves only these routes (scripts/staging-twin does), printing its port; the
misbehaving server serves them beside its own."""
import base64
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def handles(method, path):
    """Whether this module answers the request."""
    return (method == "POST" and path.endswith(("/auth/v1/token", "/auth/v1/logout"))) or \
        (method == "GET" and path.endswith(("/auth/v1/.well-known/jwks.json", "/auth/v1/qg-open-sessions")))


# Sessions granted and not signed out, by session_id, as GoTrue keeps them in auth.sessions;
# GET …/auth/v1/qg-open-sessions (not GoTrue's) tells tests how many there are.
_sessions = set()
_sessions_lock = threading.Lock()


def answer(handler, method, path, body):
    if method == "POST" and path.endswith("/logout") and path.startswith("/nologout/"):
        handler.send(404, json.dumps({"message": "no route matched"}).encode())  # a gateway without the sign-out route
    elif method == "POST" and path.endswith("/logout"):
        logout(handler)
    elif method == "POST":
        token(handler, path, body)
    elif path.endswith("/qg-open-sessions"):
        with _sessions_lock:
            handler.send(200, json.dumps({"open": len(_sessions)}).encode())
    elif path.startswith("/rs256-badjwks/"):
        handler.send(200, b"{not json")
    else:
        handler.send(200, json.dumps({"keys": [public_jwk(RSA_KID), public_jwk(EC_KID)]}).encode())


def token(handler, path, body):
    """GoTrue's password grant: apikey checked, then the credentials; a signed access token."""
    if handler.headers.get("apikey") != GOTRUE_ANON_KEY:
        handler.send(401, json.dumps({"message": "Invalid API key"}).encode())
        return
    if path.startswith("/slow/"):
        time.sleep(0.3)
    if path.startswith("/slow2500/"):
        time.sleep(2.5)
    if path.startswith("/error500/"):
        handler.send(500, b"Internal Server Error")
        return
    if path.startswith("/ratelimited/"):
        handler.send(429, json.dumps({"code": 429, "error_code": "over_request_rate_limit", "msg": "Request rate limit reached"}).encode())
        return
    credentials = json.loads(body or "{}")
    if credentials.get("email") != GOTRUE_EMAIL or credentials.get("password") != GOTRUE_PASSWORD:
        # Current GoTrue's shape (older releases said {"error": "invalid_grant", "error_description": …}).
        handler.send(400, json.dumps({"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}).encode())
        return
    now = int(time.time())
    session = base64.urlsafe_b64encode(os.urandom(12)).decode()
    with _sessions_lock:
        _sessions.add(session)
    claims = {"sub": "u1", "aud": "authenticated", "role": "authenticated", "email": GOTRUE_EMAIL, "session_id": session,
              "iat": now, "exp": now - 60 if path.startswith("/expired/") else now + 3600}
    prefix = path.split("/")[1]
    access_token = asymmetric_jwt(prefix, claims) if prefix.startswith(("rs256", "es256")) \
        else jwt(claims, "another-project-secret" if prefix == "othersecret" else GOTRUE_JWT_SECRET)
    handler.send(200, json.dumps({"access_token": access_token, "token_type": "bearer", "expires_in": 3600, "refresh_token": "r1"}).encode())


def logout(handler):
    """GoTrue's sign-out: the bearer token's session ends (scope=local), or every session (global,
    the default); 204. A token whose session is gone is answered 404 (session_not_found)."""
    if handler.headers.get("apikey") != GOTRUE_ANON_KEY:
        handler.send(401, json.dumps({"message": "Invalid API key"}).encode())
        return
    bearer = handler.headers.get("Authorization", "")
    try:
        payload = bearer.split(" ", 1)[1].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        handler.send(401, json.dumps({"code": 401, "error_code": "bad_jwt", "msg": "invalid JWT"}).encode())
        return
    with _sessions_lock:
        if claims.get("session_id") not in _sessions:
            handler.send(404, json.dumps({"code": 404, "error_code": "session_not_found", "msg": "Session not found"}).encode())
            return
        if "scope=local" in handler.path:
            _sessions.discard(claims["session_id"])
        else:
            _sessions.clear()
    handler.send(204, b"")


GOTRUE_ANON_KEY = "test-anon-key-4d1e"
GOTRUE_EMAIL = "parents@nestsync.com"
GOTRUE_PASSWORD = "Shazam11#"
GOTRUE_JWT_SECRET = "test-jwt-secret-7c2a"


def jwt(claims, secret=GOTRUE_JWT_SECRET):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=")
    signing_input = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims)
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
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


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.route("GET", b"")

    def do_POST(self):
        self.route("POST", self.rfile.read(int(self.headers.get("Content-Length", "0"))))

    def route(self, method, body):
        path = self.path.split("?")[0]
        if handles(method, path):
            answer(self, method, path, body.decode())
        else:
            self.send(404, json.dumps({"message": "no such route in this GoTrue double"}).encode())


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()
