"""A receiver of alerts for the tests: Slack-compatible webhooks, generic webhooks and PagerDuty's
Events API v2 look alike to it. Each request is appended to LOG as one JSON line (path, headers,
body, the status answered); the answer echoes the body back when the path contains /echo.

  alert_receiver.py PORT LOG STATUS

STATUS is a status code, or a list whose last entry repeats: "500x2,200" answers 500 twice, then
200. A request whose path contains /hang is held open without an answer (a receiver that hangs).
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log, spec = int(sys.argv[1]), sys.argv[2], sys.argv[3]
statuses = []
for part in spec.split(","):
    code, _, times = part.partition("x")
    statuses += [int(code)] * int(times or 1)
lock = threading.Lock()
answered = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global answered
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            status = statuses[min(answered, len(statuses) - 1)]
            answered += 1
            hang = "/hang" in self.path
            with open(log, "a") as handle:
                handle.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                         "body": body.decode("utf-8", "replace"), "status": None if hang else status,
                                         "at": time.time()}) + "\n")
        if hang:
            time.sleep(3600)
            return
        answer = body if "/echo" in self.path else b'{"status": "success", "message": "Event processed"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
