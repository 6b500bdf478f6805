"""PostgreSQL goes away while a resident chats, and comes back.

usage: outage_test.py TCP_PORT "STOP COMMAND" "START COMMAND"

Checks: while the database is down a message gets `storage_failure` within seconds (no hang),
nothing is acknowledged that was not stored; once the database is back the resident resumes on
a new connection, sends the same message again (same id) and gets it answered once; the
history has no gap; the server was not restarted.
"""
import json
import socket
import subprocess
import sys
import time

port, stop, start = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def check(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok   {what}")


class Line:
    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.settimeout(60)
        self.file = self.sock.makefile("rwb")

    def send(self, message):
        self.file.write((json.dumps(message) + "\n").encode())
        self.file.flush()

    def until(self, types):
        seen = []
        while True:
            line = self.file.readline()
            if not line:
                return seen, None
            message = json.loads(line)
            seen.append(message)
            if message["type"] in types:
                return seen, message


first = Line()
first.send({"type": "hello", "language": "nl"})
seen, welcome = first.until({"welcome"})
session = welcome["session"]
first.until({"reply"})
first.send({"type": "say", "id": "m1", "text": "digid kwijt"})
seen, _ = first.until({"reply"})
acked = max(m["seq"] for m in seen if "seq" in m)

subprocess.run(stop, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
began = time.monotonic()
first.send({"type": "say", "id": "m2", "text": "wachtwoord vergeten"})
seen, last = first.until({"reply", "error"})
waited = time.monotonic() - began
check(last is not None and last["type"] == "error" and last["code"] == "storage_failure",
      f"database down: the message gets storage_failure ({last and last.get('code')})")
check(waited < 20, f"within seconds, not a hang ({waited:.1f} s)")
check(not any(m["type"] == "ack" for m in seen), "and no ack for what was not stored")

subprocess.run(start, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
second = Line()
second.send({"type": "resume", "session": session, "after": 0})
_, welcome = second.until({"welcome"})
check(welcome["resumed"] and welcome["seq"] == acked, f"database back: resumed at seq {welcome['seq']} (acked before: {acked})")
replayed = [json.loads(second.file.readline()) for _ in range(welcome["seq"])]
check([m["seq"] for m in replayed] == list(range(1, acked + 1)), f"database back: resume replays seq 1..{acked}, no gap")
second.send({"type": "say", "id": "m2", "text": "wachtwoord vergeten"})
seen, reply = second.until({"reply", "error"})
check(reply is not None and reply["type"] == "reply", "the same message sent again is answered")
acks = [m for m in seen if m["type"] == "ack"]
check(len(acks) == 1 and acks[0]["seq"] == acked + 1, f"acknowledged once, at the next seq ({acked + 1})")
second.send({"type": "say", "id": "m2", "text": "wachtwoord vergeten"})
seen, again = second.until({"reply", "ack", "error"})
check(again is not None and again["type"] == "ack" and again["seq"] == acked + 1, "a third send of the same id is recognised, not stored twice")
