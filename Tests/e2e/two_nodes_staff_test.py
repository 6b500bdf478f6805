"""Staff on node B serve a resident whose connection is on node A (one PostgreSQL database).

usage: two_nodes_staff_test.py A_HTTP B_HTTP A_PID STAFF_TOKEN A_METRICS

Staff sign in on node B; a resident on node A asks for a person and shows up in B's queue;
the staff member claims and chats (commands travel to A, the resident's words come back);
node A is killed with -9; the resident resumes on node B, loses nothing acknowledged, and the
chat goes on with the same person.
"""
import asyncio
import json
import os
import signal
import sys
import time
import urllib.request

import websockets

from helpers import check, recv

a_http, b_http, a_pid, token, a_metrics = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])


def staff_available(port):
    """`baken_staff_available` on a node's metrics: the staff it knows can take chats (None
    while the metrics cannot be read)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("baken_staff_available "):
                    return float(line.split()[-1])
    except OSError:
        pass
    return None


async def wait_for_staff(port, timeout=20):
    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(staff_available, port) != 1 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    check(staff_available(port) == 1, "node A learns that the staff member on node B is available (its metrics)")


async def recv_type(ws, kind, timeout=10):
    """Skips other messages (queue pushes) until one of type `kind`."""
    while True:
        message = await recv(ws, timeout)
        if message["type"] == kind or message["type"] == "error":
            return message


async def main():
    staff = await websockets.connect(f"ws://127.0.0.1:{b_http}/ws/staff")
    await staff.send(json.dumps({"type": "auth", "token": token}))
    ok = await recv(staff)
    check(ok["type"] == "auth_ok", f"{ok.get('name')} signs in on node B")
    await recv_type(staff, "queue")
    await wait_for_staff(a_metrics)  # node A learns who is present from the database

    seqs = {}  # seq -> type, of every numbered message the resident was sent

    def note(message):
        if "seq" in message and message["type"] != "welcome":
            seqs[message["seq"]] = message["type"]
        return message

    resident = await websockets.connect(f"ws://127.0.0.1:{a_http}/ws/chat")
    await resident.send(json.dumps({"type": "hello", "lang": "nl", "location": "den_helder"}))
    welcome = await recv(resident)
    note(await recv(resident))  # greeting
    conversation, session = welcome["conversation"], welcome["session"]
    await resident.send(json.dumps({"type": "say", "id": "r1", "text": "ik wil een mens spreken"}))
    check(note(await recv(resident))["type"] == "ack", "node A acks the resident")
    queued = note(await recv(resident))
    check(queued["type"] == "queued", "node A queues the resident: it knows staff are present on node B")

    queue = await recv_type(staff, "queue")
    while conversation not in [item["conversation"] for item in queue.get("items", [])]:
        queue = await recv_type(staff, "queue")
    item = next(i for i in queue["items"] if i["conversation"] == conversation)
    check(item["last_message"] == "ik wil een mens spreken", "node B's queue lists the resident of node A, with their last message")

    # A second resident, on node B, asks for a person: one queue per location over both nodes.
    second = await websockets.connect(f"ws://127.0.0.1:{b_http}/ws/chat")
    await second.send(json.dumps({"type": "hello", "lang": "nl", "location": "den_helder"}))
    await recv(second)
    await recv(second)
    await second.send(json.dumps({"type": "handoff"}))
    behind = await recv(second)
    check(behind["type"] == "queued" and behind["position"] == 2, "a resident on node B who asks later is queued at position 2 (behind node A's)")

    await staff.send(json.dumps({"type": "claim", "conversation": conversation}))
    claimed = await recv_type(staff, "claimed")
    check(claimed["type"] == "claimed" and claimed["conversation"] == conversation, "staff on node B claim it (node A carries the claim out)")
    transcript = await recv_type(staff, "transcript")
    check(any(m["text"] == "ik wil een mens spreken" for m in transcript["messages"]), "and get the transcript from node A")
    joined = note(await recv(resident))
    check(joined["type"] == "staff_joined" and joined["name"] == ok["name"], "the resident on node A is told who joined")
    moved = await recv(second)
    check(moved["type"] == "queued" and moved["position"] == 1, "the resident on node B moves up to position 1")

    await staff.send(json.dumps({"type": "say", "conversation": conversation, "id": "s1", "text": "Goedemiddag, ik help u."}))
    ack = await recv_type(staff, "ack")
    check(ack["type"] == "ack" and ack["id"] == "s1", "the staff message is stored and acked across nodes")
    message = note(await recv(resident))
    check(message["type"] == "message" and message["text"] == "Goedemiddag, ik help u.", "the resident on node A gets the staff message")

    await resident.send(json.dumps({"type": "say", "id": "r2", "text": "mijn bsn is 111222333"}))
    check(note(await recv(resident))["type"] == "ack", "the resident's answer is acked on node A")
    forwarded = await recv_type(staff, "message")
    check(forwarded["type"] == "message" and "[BSN]" in forwarded["text"] and "111222333" not in forwarded["text"], "staff on node B get it, BSN masked")
    last = max(seqs)

    os.kill(a_pid, signal.SIGKILL)
    await asyncio.sleep(0.3)
    moved = await websockets.connect(f"ws://127.0.0.1:{b_http}/ws/chat")
    await moved.send(json.dumps({"type": "resume", "session": session, "after": 0}))
    welcome = await recv(moved)
    check(welcome["type"] == "welcome" and welcome["seq"] == last, f"node A killed with -9: the resident resumes on node B at seq {last}")
    replayed = [await recv(moved) for _ in range(last)]
    check([m["seq"] for m in replayed] == list(range(1, last + 1)), f"every acknowledged message replays from node B: seq 1..{last}")
    check(all(seqs[m["seq"]] == m["type"] for m in replayed), "each seq is the message first sent with it")

    await staff.send(json.dumps({"type": "say", "conversation": conversation, "id": "s2", "text": "Ik ben er nog."}))
    check((await recv_type(staff, "ack"))["type"] == "ack", "the same person goes on, now on node B")
    message = await recv(moved)
    check(message["type"] == "message" and message["text"] == "Ik ben er nog." and message["seq"] == last + 1, "the resident gets it at the next seq")
    await moved.send(json.dumps({"type": "say", "id": "r3", "text": "dank u"}))
    await recv(moved)
    forwarded = await recv_type(staff, "message")
    check(forwarded["text"] == "dank u", "and the staff member gets the resident's reply")
    await staff.send(json.dumps({"type": "close", "conversation": conversation, "outcome": "answered"}))
    closed = await recv_type(staff, "closed")
    check(closed["type"] == "closed" and closed["outcome"] == "answered", "the staff member closes it as answered")


asyncio.run(main())
