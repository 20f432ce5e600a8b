"""A receiver of alerts for the tests: Slack-compatible webhooks, generic webhooks and PagerDuty's
Events API v2 look alike to it. Each request is appended to LOG as one JSON line (path, headers,
body); the answer is STATUS, echoing the body back when the path contains /echo.

  alert_receiver.py PORT LOG STATUS
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log, status = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(log, "a") as handle:
            handle.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                     "body": body.decode("utf-8", "replace")}) + "\n")
        answer = body if "/echo" in self.path else b'{"status": "success", "message": "Event processed"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
