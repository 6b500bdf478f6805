"""End-to-end: a BSN, an IBAN and a password typed by a resident (WebSocket and TCP) and by a
staff member end up nowhere readable — not in the database files (the SQLite file and its WAL,
read as bytes), not in the server log.

Run by .ci/e2e-staff.sh against `baken serve` on always-open hours:
    python3 secrets_test.py talk HTTP TCP STAFF_TOKEN      (while the server runs)
    python3 secrets_test.py scan DATA_DIR LOG_FILE          (after it stopped)
"""
import asyncio
import json
import os
import socket
import sys

import websockets

from helpers import check, recv

# Valid numbers (the BSN passes the eleven-test, the IBAN mod-97), each in the forms people type.
SECRETS = {
    "BSN": ["111222333", "111 222 333", "111.222.333"],
    "IBAN": ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91abna0417164300"],
    "password": ["Zomer2024!", "Tulp#8841", "Kaas&Wijn77"],
}
# What the scan looks for: every form with its separators removed too.
NEEDLES = sorted({form.replace(" ", "").replace(".", "") for forms in SECRETS.values() for form in forms} |
                 {form for forms in SECRETS.values() for form in forms})

RESIDENT_LINES = [
    "mijn bsn is 111222333",
    "BSN: 111 222 333 en mijn iban is NL91 ABNA 0417 1643 00",
    "burgerservicenummer 111.222.333",
    "rekeningnummer nl91abna0417164300",
    "mijn wachtwoord is Zomer2024!",
    "het wachtwoord van mijn DigiD is Tulp#8841",
]
STAFF_LINES = [
    "Ik noteer uw BSN 111222333 niet, en ook niet NL91ABNA0417164300.",
    "Typ nooit uw wachtwoord Kaas&Wijn77 in de chat.",
]


async def recv_type(ws, kind, timeout=5):
    while True:
        message = await recv(ws, timeout)
        if message["type"] == kind:
            return message


async def talk(http, tcp, token):
    chat = f"ws://127.0.0.1:{http}/ws/chat"
    resident = await websockets.connect(chat)
    await resident.send(json.dumps({"type": "hello", "lang": "nl", "location": "den_helder"}))
    welcome = await recv(resident)
    await recv(resident)
    conversation = welcome["conversation"]
    for i, line in enumerate(RESIDENT_LINES):
        await resident.send(json.dumps({"type": "say", "id": f"w{i}", "text": line}))
        ack = await recv_type(resident, "ack")
        reply = await recv(resident)
        check(not any(n in json.dumps(reply) for n in NEEDLES), f"the reply to {line[:20]!r}… repeats no secret")
        if i < 2:  # "not helpful" puts the (masked) question in the curators' inbox too
            await resident.send(json.dumps({"type": "feedback", "seq": reply["seq"], "helpful": False}))
    staff = await websockets.connect(f"ws://127.0.0.1:{http}/ws/staff")
    await staff.send(json.dumps({"type": "auth", "token": token}))
    check((await recv(staff))["type"] == "auth_ok", "staff signs in")
    await resident.send(json.dumps({"type": "handoff"}))
    await recv_type(resident, "queued")
    # The data directory may hold residents of earlier phases: wait for this one.
    queue = await recv_type(staff, "queue")
    while not any(item["conversation"] == conversation for item in queue["items"]):
        queue = await recv_type(staff, "queue")
    check(not any(n in json.dumps(queue) for n in NEEDLES), "the queue shows no secret")
    await staff.send(json.dumps({"type": "claim", "conversation": conversation}))
    await recv_type(staff, "claimed")
    transcript = await recv_type(staff, "transcript")
    check(not any(n in json.dumps(transcript) for n in NEEDLES), "the transcript staff see shows no secret")
    for i, line in enumerate(STAFF_LINES):
        await staff.send(json.dumps({"type": "say", "conversation": conversation, "id": f"s{i}", "text": line}))
        message = await recv_type(resident, "message")
        check(not any(n in message["text"] for n in NEEDLES), "the resident gets the staff message masked")
    await staff.send(json.dumps({"type": "close", "conversation": conversation, "outcome": "handed_off"}))
    await recv_type(resident, "closed")
    await resident.close()
    await staff.close()

    # TCP, the other transport.
    s = socket.create_connection(("127.0.0.1", tcp), timeout=5)
    reader = s.makefile("r", encoding="utf-8")
    s.sendall(b'{"type":"hello","lang":"nl"}\n')
    reader.readline(); reader.readline()
    s.sendall(json.dumps({"type": "say", "id": "t1", "text": "mijn bsn is 111 222 333, wachtwoord: Zomer2024!"}).encode() + b"\n")
    reader.readline(); reader.readline()
    s.close()


def scan(data_dir, log_file):
    paths = [os.path.join(root, name) for root, _, names in os.walk(data_dir) for name in names]
    paths.append(log_file)
    check(any(p.endswith(".sqlite") for p in paths), f"the database is among the {len(paths)} files scanned")
    database = b"".join(open(p, "rb").read() for p in paths if ".sqlite" in p)
    check(all(mask in database for mask in (b"[BSN]", b"[IBAN]", b"[WACHTWOORD]")),
          "the messages were stored, with [BSN], [IBAN] and [WACHTWOORD] in their place")
    for path in paths:
        blob = open(path, "rb").read()
        found = [n for n in NEEDLES if n.encode() in blob or n.lower().encode() in blob]
        check(not found, f"{os.path.relpath(path, data_dir) if path.startswith(data_dir) else os.path.basename(path)} "
                         f"({len(blob):,} bytes) holds none of the {len(NEEDLES)} secrets{'' if not found else ': ' + ', '.join(found)}")


if __name__ == "__main__":
    if sys.argv[1] == "talk":
        asyncio.run(talk(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
    else:
        scan(sys.argv[2], sys.argv[3])
