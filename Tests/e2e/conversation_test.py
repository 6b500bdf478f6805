"""End-to-end check of `baken serve` with clients nobody on the team wrote:
Python's `websockets` package and a plain TCP socket.

Run by .ci/e2e-server.sh, which starts and restarts the server. Usage:
    python3 conversation_test.py phase1 HTTP_PORT TCP_PORT STATE_FILE
    python3 conversation_test.py phase2 HTTP_PORT TCP_PORT STATE_FILE   (after kill -9 and restart)
"""
import asyncio
import json
import socket
import sys
import urllib.request

import datetime
import os
import zoneinfo

import websockets
import yaml

from helpers import check, recv




async def phase1(http_port, tcp_port, state_file):
    url = f"ws://127.0.0.1:{http_port}/ws/chat"
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/health") as response:
        health = json.load(response)
        check(health.get("status") == "ok" and len(health.get("knowledge", {}).get("version", "")) == 12, "GET /health answers ok with the knowledge version")

    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "hello", "lang": "nl"}))
        welcome = await recv(ws)
        check(welcome["type"] == "welcome" and welcome["seq"] == 0, "hello gets welcome with seq 0")
        check(len(welcome["session"]) >= 22, "the session token has at least 128 bits")
        greeting = await recv(ws)
        check(greeting["type"] == "reply" and greeting["seq"] == 1 and greeting["options"], "a greeting with topic buttons")

        await ws.send(json.dumps({"type": "say", "id": "m1", "text": "ik ben mijn wachtwoord van digid vergeten"}))
        ack = await recv(ws)
        check(ack == {"type": "ack", "id": "m1", "seq": 2}, "say is acknowledged with the next seq")
        reply = await recv(ws)
        check(reply["type"] == "reply" and reply["intent"] == "digid_inloggen" and reply["seq"] == 3, "the DigiD password answer")
        check(all(link["url"].startswith("https://") for link in reply["links"]) and reply["links"], "official https links")

        await ws.send(json.dumps({"type": "say", "id": "m1", "text": "ik ben mijn wachtwoord van digid vergeten"}))
        again = await recv(ws)
        check(again == ack, "a retried say id is answered once (same ack, no second reply)")

        option = reply["options"][0]["id"]
        await ws.send(json.dumps({"type": "choose", "id": "m2", "option": option}))
        check((await recv(ws))["type"] == "ack", "choose is acknowledged")
        chosen = await recv(ws)
        check(reply.get("question") == "digid_inloggen/wachtwoord_vergeten", "a precise question gets that question's answer")
        check(chosen["type"] == "reply" and chosen["intent"] == "digid_inloggen" and chosen.get("question") == option,
              f"choosing a button answers '{option}'")

        await ws.send("{not json")
        error = await recv(ws)
        check(error["type"] == "error" and error["code"] == "malformed_json", "malformed JSON gets error malformed_json")
        await ws.send(json.dumps({"type": "ping"}))
        check((await recv(ws))["type"] == "pong", "the connection stays open after an error")
        session = welcome["session"]

    # The connection dropped after seq 5; a message sent meanwhile over TCP cannot exist,
    # so say one more thing on a new socket after resuming from seq 3.
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "resume", "session": session, "after": 3}))
        welcome = await recv(ws)
        check(welcome["type"] == "welcome" and welcome["resumed"] and welcome["seq"] == 5, "resume gets welcome with the last seq")
        missed = [await recv(ws), await recv(ws)]
        check([m["seq"] for m in missed] == [4, 5], "resume replays exactly the missed messages (4, 5)")
        await ws.send(json.dumps({"type": "say", "id": "m3", "text": "huurtoeslag aanvragen"}))
        check((await recv(ws)) == {"type": "ack", "id": "m3", "seq": 6}, "the conversation goes on with seq 6")
        check((await recv(ws))["intent"] == "toeslagen", "and answers about toeslagen")

    # TCP speaks the same protocol.
    with socket.create_connection(("127.0.0.1", tcp_port), timeout=5) as tcp:
        stream = tcp.makefile("rwb")
        stream.write(b'{"type":"hello","lang":"en"}\n{"type":"say","id":"t1","text":"where can i print"}\n')
        stream.flush()
        lines = [json.loads(stream.readline()) for _ in range(4)]
        check([m["type"] for m in lines] == ["welcome", "reply", "ack", "reply"], "TCP: welcome, greeting, ack, reply")
        check(lines[3]["intent"] == "printen_wifi", "TCP: an English question gets the printing answer")

    with open(state_file, "w") as f:
        json.dump({"session": session, "last_seq": 7}, f)

    await precise_answers(http_port)
    framing_violations(http_port)
    oversized_and_slow_requests(http_port)


def framing_violations(http_port):
    """Raw frames a browser never sends: a continuation with no message begun, and a new message
    inside an unfinished one. RFC 6455 says fail the connection: close code 1002."""
    import base64
    import struct

    def frame(opcode, payload, fin=True, masked=True):
        if not masked:  # RFC 6455 5.1: a client must mask every frame; the server must close
            return bytes([(0x80 if fin else 0) | opcode, len(payload)]) + payload
        key = os.urandom(4)
        return bytes([(0x80 if fin else 0) | opcode, 0x80 | len(payload)]) + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))

    for label, frames in [
        ("a continuation frame with no message begun", [frame(0, b'{"type":"ping"}')]),
        ("a new message inside an unfinished one", [frame(1, b'{"type":', fin=False), frame(1, b'{"type":"ping"}')]),
        ("an unmasked frame", [frame(1, b'{"type":"ping"}', masked=False)]),
    ]:
        s = socket.create_connection(("127.0.0.1", http_port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET /ws/chat HTTP/1.1\r\nHost: 127.0.0.1:{http_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(1024)
        data = data.split(b"\r\n\r\n", 1)[1]
        for f in frames:
            s.sendall(f)
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        s.close()
        close = data.find(b"\x88")
        code = struct.unpack(">H", data[close + 2:close + 4])[0] if close >= 0 and len(data) >= close + 4 else None
        check(code == 1002 and b"pong" not in data, f"{label}: closed with 1002, nothing answered")


def oversized_and_slow_requests(http_port):
    """A request line over 8 KiB gets 414, a request head over 32 KiB gets 431, and a request
    head that has not arrived 10 s after connecting gets 408 (a connection that sent nothing is
    closed without an answer); each answer closes the connection.
    An ordinary request still gets its page."""
    import time

    def exchange(request, wait=5):
        s = socket.create_connection(("127.0.0.1", http_port), timeout=wait)
        if request:
            s.sendall(request)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        s.close()
        return data

    host = f"Host: 127.0.0.1:{http_port}\r\n".encode()
    ok = exchange(b"GET /health HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n")
    check(ok.startswith(b"HTTP/1.1 200"), "an ordinary request is answered 200")
    long_line = exchange(b"GET /?" + b"a" * 90_000 + b" HTTP/1.1\r\n" + host + b"\r\n")
    check(long_line.startswith(b"HTTP/1.1 414") and b"Connection: close" in long_line, "a 90 KB request line gets 414 and the connection closes")
    big_head = exchange(b"GET /health HTTP/1.1\r\n" + host + b"".join(b"X-Filler-%d: %s\r\n" % (i, b"b" * 1000) for i in range(200)) + b"\r\n")
    check(big_head.startswith(b"HTTP/1.1 431"), "200 KB of headers get 431 and the connection closes")
    started = time.monotonic()
    slow = exchange(b"GET /health HTTP/1.1\r\n", wait=20)
    took = time.monotonic() - started
    check(slow.startswith(b"HTTP/1.1 408") and 9 <= took <= 15, f"a request head still unfinished after 10 s gets 408 and is closed ({took:.1f} s)")
    started = time.monotonic()
    idle = exchange(b"", wait=20)
    took = time.monotonic() - started
    check(idle == b"" and 9 <= took <= 15, f"a connection that sends nothing is closed after 10 s without an answer ({took:.1f} s)")


def todays_hours(location_id):
    """The opening hours of a branch today (Europe/Amsterdam), as the server should print them."""
    root = os.path.join(os.path.dirname(__file__), "..", "..", "knowledge", "locations.yaml")
    with open(root) as f:
        data = yaml.safe_load(f)
    branch = next(b for b in data["locations"] if b["id"] == location_id)
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Amsterdam"))
    day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][today.weekday()]
    if today.strftime("%Y-%m-%d") in data.get("holidays", []):
        return branch["name"], None
    spans = (branch.get("opening_hours") or {}).get(day) or []
    return branch["name"], [s.replace("-", "–") for s in spans]


async def precise_answers(http_port):
    """Issue 'precise answers': a vague message gets question buttons, a button one short
    answer, and branch questions the branch's own hours, remembered across turns."""
    async with websockets.connect(f"ws://127.0.0.1:{http_port}/ws/chat") as ws:
        await ws.send(json.dumps({"type": "hello", "lang": "nl"}))
        await recv(ws)
        await recv(ws)
        await ws.send(json.dumps({"type": "say", "id": "p1", "text": "digi d kwijt"}))
        await recv(ws)
        topic = await recv(ws)
        labels = {o["label"]: o["id"] for o in topic["options"]}
        check(topic["intent"] == "digid_inloggen" and topic.get("question") is None and len(topic["text"].split("\n")) <= 4,
              "'digi d kwijt' gets the short topic answer")
        check("Wachtwoord vergeten" in labels, f"with the questions as buttons: {sorted(labels)}")
        await ws.send(json.dumps({"type": "choose", "id": "p2", "option": labels["Wachtwoord vergeten"]}))
        await recv(ws)
        answer = await recv(ws)
        check(answer.get("question") == "digid_inloggen/wachtwoord_vergeten" and len(answer["text"].split()) <= 120,
              f"'Wachtwoord vergeten' gets one answer of at most 120 words ({len(answer['text'].split())})")

        for message_id, text, branch, label in (("p3", "hoe laat is de bieb in Schagen open", "schagen", "Schagen"),
                                                ("p4", "en in Den Helder?", "den_helder", "Den Helder")):
            await ws.send(json.dumps({"type": "say", "id": message_id, "text": text}))
            await recv(ws)
            hours = await recv(ws)
            name, spans = todays_hours(branch)
            check(hours.get("question") == "vestiging/openingstijden" and name in hours["text"], f"'{text}' gets {label}'s opening hours")
            if spans:
                check(all(span in hours["text"] for span in spans), f"today's hours of {label}: {spans}")
            else:
                check("gesloten" in hours["text"], f"{label} is closed today, and says so")

async def phase2(http_port, tcp_port, state_file):
    with open(state_file) as f:
        state = json.load(f)
    url = f"ws://127.0.0.1:{http_port}/ws/chat"
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "resume", "session": state["session"], "after": 0}))
        welcome = await recv(ws)
        check(welcome["type"] == "welcome" and welcome["seq"] == state["last_seq"], "after kill -9 and restart, resume knows every seq")
        history = [await recv(ws) for _ in range(state["last_seq"])]
        check([m["seq"] for m in history] == list(range(1, state["last_seq"] + 1)), "the whole history replays in order: no acked message lost")
        await ws.send(json.dumps({"type": "say", "id": "m3", "text": "huurtoeslag aanvragen"}))
        check((await recv(ws)) == {"type": "ack", "id": "m3", "seq": 6}, "a retried id from before the crash is still answered once")
        await ws.send(json.dumps({"type": "bye"}))
        goodbye = await recv(ws)
        closed = await recv(ws)
        check(goodbye["type"] == "reply" and closed["type"] == "closed" and closed["outcome"] == "answered", "bye closes with outcome answered")
        await ws.send(json.dumps({"type": "resume", "session": "not-a-real-session", "after": 0}))
        check((await recv(ws))["code"] == "already_started", "a second resume on a started connection is refused")
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "resume", "session": "not-a-real-session", "after": 0}))
        check((await recv(ws))["code"] == "unknown_session", "an unknown session token gets unknown_session")


if __name__ == "__main__":
    phase, http_port, tcp_port, state_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    asyncio.run({"phase1": phase1, "phase2": phase2}[phase](http_port, tcp_port, state_file))
