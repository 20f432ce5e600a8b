"""A real SMTP server for the tests (aiosmtpd): STARTTLS required before AUTH, AUTH PLAIN/LOGIN
checked against USER and PASSWORD, every message appended to LOG as one JSON line (envelope
sender, recipients, the raw message, the user that logged in, whether TLS was on). It writes a
self-signed certificate for 127.0.0.1 to CERT (the client's ca_file) and prints "ready".

  smtp_receiver.py PORT LOG CERT USER PASSWORD
"""
import datetime
import ipaddress
import json
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

port, log, cert_path, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
now = datetime.datetime.now(datetime.timezone.utc)
certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .sign(key, hashes.SHA256()))
with open(cert_path, "wb") as handle:
    handle.write(certificate.public_bytes(serialization.Encoding.PEM))
key_path = cert_path + ".key"
with open(key_path, "wb") as handle:
    handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert_path, key_path)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, auth_data=auth_data if ok else None)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        with open(log, "a") as handle:
            handle.write(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                                     "data": envelope.content.decode("utf-8", "replace"),
                                     "user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
                                     "tls": session.ssl is not None, "at": time.time()}) + "\n")
        return "250 OK"


controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                        authenticator=authenticator, auth_required=True, auth_require_tls=True)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
