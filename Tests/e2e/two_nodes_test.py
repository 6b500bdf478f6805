"""Two Baken nodes on one PostgreSQL database.

usage: two_nodes_test.py A_TCP_PORT B_TCP_PORT A_PID

A resident starts on node A; resumes on node B (A's connection gets `replaced`); goes back to A
(B's gets `replaced`); node A is killed with -9; the resident resumes on B. Every message
acknowledged on either node is replayed, in order, with no gap and no seq given twice.
"""
import json
import os
import signal
import socket
import sys
import time

a_port, b_port, a_pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def check(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok   {what}")


class Line:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.settimeout(20)
        self.file = self.sock.makefile("rwb")

    def send(self, message):
        self.file.write((json.dumps(message) + "\n").encode())
        self.file.flush()

    def read(self):
        line = self.file.readline()
        return json.loads(line) if line else None

    def until(self, types):
        seen = []
        while True:
            message = self.read()
            if message is None:
                return seen, None
            seen.append(message)
            if message["type"] in types:
                return seen, message

    def rest(self):
        """Everything until the server closes the connection."""
        seen = []
        while (message := self.read()) is not None:
            seen.append(message)
        return seen


acked = {}  # seq -> type, of every message seen with a seq


def note(messages):
    for m in messages:
        if "seq" in m and m["type"] not in ("welcome",):
            acked[m["seq"]] = m["type"]


def say(line, id, text):
    line.send({"type": "say", "id": id, "text": text})
    seen, reply = line.until({"reply", "error"})
    note(seen)
    return seen, reply


on_a = Line(a_port)
on_a.send({"type": "hello"})
seen, welcome = on_a.until({"welcome"})
session = welcome["session"]
seen, _ = on_a.until({"reply"})
note(seen)
seen, reply = say(on_a, "m1", "digid kwijt")
check(reply and reply["type"] == "reply", "node A answers the resident")
last = max(acked)

on_b = Line(b_port)
on_b.send({"type": "resume", "session": session, "after": last})
_, welcome = on_b.until({"welcome"})
check(welcome["resumed"] and welcome["seq"] == last, f"node B resumes the conversation at seq {last}")
rest = on_a.rest()
check(any(m.get("code") == "replaced" for m in rest), "node A's connection is told 'replaced' and closed")
seen, reply = say(on_b, "m2", "wachtwoord vergeten")
acks = [m for m in seen if m["type"] == "ack"]
check(reply and reply["type"] == "reply" and acks and acks[0]["seq"] == last + 1, f"node B answers; its ack is seq {last + 1}")
last = max(acked)

back = Line(a_port)
back.send({"type": "resume", "session": session, "after": last})
_, welcome = back.until({"welcome"})
check(welcome["resumed"] and welcome["seq"] == last, f"back on node A: it reloads what B stored (seq {last})")
check(any(m.get("code") == "replaced" for m in on_b.rest()), "node B's connection is told 'replaced'")
seen, reply = say(back, "m3", "hoe verleng ik mijn boeken")
check(reply and reply["type"] == "reply" and min(m["seq"] for m in seen if m["type"] == "ack") == last + 1, "node A answers at the next seq")
last = max(acked)

os.kill(a_pid, signal.SIGKILL)
time.sleep(0.5)
final = Line(b_port)
final.send({"type": "resume", "session": session, "after": 0})
_, welcome = final.until({"welcome"})
check(welcome["seq"] == last, f"node A killed with -9: node B resumes at seq {last}")
replayed = [final.read() for _ in range(last)]
seqs = [m["seq"] for m in replayed]
check(seqs == list(range(1, last + 1)), f"the whole history replays from node B: seq 1..{last}, no gap, none twice")
check(all(acked[m["seq"]] == m["type"] for m in replayed), "each seq is the message first sent with it")
final.send({"type": "say", "id": "m3", "text": "hoe verleng ik mijn boeken"})
_, ack = final.until({"ack", "reply", "error"})
check(ack and ack["type"] == "ack" and ack["seq"] <= last, f"the id answered on node A is recognised on node B: its first ack (seq {ack and ack.get('seq')}) again, no second answer")
seen, reply = say(final, "m4", "bedankt")
check(reply and reply["type"] == "reply", "and the conversation goes on on node B")
