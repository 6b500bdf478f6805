"""A partner's webhook receiver, written from docs/webhooks.md only: it verifies every
request with the documented recipe and records what arrived (JSON Lines).

    python3 webhook_receiver.py PORT SECRET OUT_FILE
"""
import base64
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


def verify(secret: str, headers: dict, body: bytes, tolerance=300) -> bool:
    # Copied from docs/webhooks.md.
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split(" "))


PORT, SECRET, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        headers = {k.lower(): v for k, v in self.headers.items()}
        ok = verify(SECRET, headers, body)
        tampered = verify(SECRET, headers, body.replace(b"fields", b"fieldz"))
        with open(OUT, "a") as f:
            f.write(json.dumps({"id": headers["webhook-id"], "verified": ok, "tampered_verified": tampered, "body": json.loads(body)}) + "\n")
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
