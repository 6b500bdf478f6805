"""End-to-end check of the staff handoff with plain clients (Python websockets and TCP).

Run by .ci/e2e-staff.sh against `baken serve` started on a copy of the knowledge base whose
chat hours are always open (hours themselves are tested with a fixed clock in the Swift tests).
    python3 staff_test.py phase1 HTTP TCP STATE ANNA_TOKEN PIET_TOKEN REVOKED_TOKEN
    python3 staff_test.py phase2 HTTP TCP STATE ANNA_TOKEN PIET_TOKEN        (after a restart)
"""
import asyncio
import json
import socket
import sys

import websockets

from helpers import check, recv




async def recv_type(ws, kind, timeout=5):
    """Skips other messages (queue pushes) until one of type `kind`."""
    while True:
        message = await recv(ws, timeout)
        if message["type"] == kind:
            return message


async def resident(url, location, text=None):
    ws = await websockets.connect(url)
    await ws.send(json.dumps({"type": "hello", "lang": "nl", "location": location}))
    welcome = await recv(ws)
    await recv(ws)  # greeting
    return ws, welcome


async def staff(url, token):
    ws = await websockets.connect(url)
    await ws.send(json.dumps({"type": "auth", "token": token}))
    ok = await recv(ws)
    return ws, ok


async def phase1(http, tcp, state_file, anna_token, piet_token, revoked_token):
    chat = f"ws://127.0.0.1:{http}/ws/chat"
    staff_url = f"ws://127.0.0.1:{http}/ws/staff"

    # Refusals: no auth, a bad token, a revoked token, a resident session token.
    async with websockets.connect(staff_url) as ws:
        await ws.send(json.dumps({"type": "queue"}))
        check((await recv(ws))["code"] == "unauthorized", "a staff socket without auth is refused")
    async with websockets.connect(staff_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": "wrong"}))
        check((await recv(ws))["code"] == "unauthorized", "a bad staff token is refused")
    async with websockets.connect(staff_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": revoked_token}))
        check((await recv(ws))["code"] == "unauthorized", "a revoked staff token is refused")
    r0, w0 = await resident(chat, "den_helder")
    async with websockets.connect(staff_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": w0["session"]}))
        check((await recv(ws))["code"] == "unauthorized", "a resident session token never opens the staff channel")
    await r0.close()

    anna, ok = await staff(staff_url, anna_token)
    check(ok["type"] == "auth_ok" and ok["name"] == "Anna", "Anna (Den Helder) signs in")
    await recv_type(anna, "queue")
    piet, ok = await staff(staff_url, piet_token)
    check(ok["type"] == "auth_ok" and ok["name"] == "Piet", "Piet (Den Helder and Texel) signs in")
    await recv_type(piet, "queue")

    # Two residents ask for a person: FIFO positions.
    r1, w1 = await resident(chat, "den_helder")
    await r1.send(json.dumps({"type": "say", "id": "1", "text": "ik wil een mens spreken"}))
    check((await recv(r1))["type"] == "ack", "resident 1: ack")
    q1 = await recv(r1)
    check(q1["type"] == "queued" and q1["position"] == 1, "resident 1 is queued at position 1")
    r2, w2 = await resident(chat, "den_helder")
    await r2.send(json.dumps({"type": "handoff"}))
    q2 = await recv(r2)
    check(q2["type"] == "queued" and q2["position"] == 2, "resident 2 is queued at position 2")
    queue = await recv_type(anna, "queue")
    while len(queue["items"]) < 2:
        queue = await recv_type(anna, "queue")
    check([i["conversation"] for i in queue["items"]] == [w1["conversation"], w2["conversation"]], "the staff queue lists both, oldest first")
    check(queue["items"][0]["last_message"] == "ik wil een mens spreken", "the queue shows the last resident message")

    # The bot is silent while queued.
    await r2.send(json.dumps({"type": "say", "id": "2", "text": "hallo?"}))
    check((await recv(r2))["type"] == "ack", "a queued resident's message is acked …")

    # Both staff race to claim resident 1: exactly one wins.
    await anna.send(json.dumps({"type": "claim", "conversation": w1["conversation"]}))
    await piet.send(json.dumps({"type": "claim", "conversation": w1["conversation"]}))
    results = []
    for ws in (anna, piet):
        while True:
            m = await recv(ws)
            if m["type"] in ("claimed", "error"):
                results.append(m)
                break
    winners = [m for m in results if m["type"] == "claimed"]
    losers = [m for m in results if m["type"] == "error"]
    check(len(winners) == 1 and len(losers) == 1 and losers[0]["code"] == "already_claimed", "two staff race to claim: exactly one wins, the other gets already_claimed")
    holder, other = (anna, piet) if results[0]["type"] == "claimed" else (piet, anna)
    holder_name = winners[0]["by"]
    joined = await recv(r1)
    check(joined["type"] == "staff_joined" and joined["name"] == holder_name, "the resident is told who joined")
    moved = await recv(r2)
    check(moved["type"] == "queued" and moved["position"] == 1, "resident 2 moves up to position 1 when the one ahead is taken")

    # Messages both ways.
    transcript = await recv_type(holder, "transcript")
    check(any(m["text"] == "ik wil een mens spreken" for m in transcript["messages"]), "the staff member sees the transcript so far")
    await holder.send(json.dumps({"type": "say", "conversation": w1["conversation"], "id": "s1", "text": "Goedemiddag, ik help u."}))
    staff_msg = await recv(r1)
    check(staff_msg["type"] == "message" and staff_msg["from"] == "staff" and staff_msg["text"] == "Goedemiddag, ik help u.", "the resident gets the staff message")
    await r1.send(json.dumps({"type": "say", "id": "3", "text": "mijn bsn is 111222333"}))
    check((await recv(r1))["type"] == "ack", "the resident's answer is acked")
    forwarded = await recv_type(holder, "message")
    check(forwarded["from"] == "resident" and "[BSN]" in forwarded["text"] and "111222333" not in forwarded["text"], "staff get the resident's message with the BSN masked")
    await holder.send(json.dumps({"type": "say", "conversation": w1["conversation"], "id": "s2", "article": "digid_aanvragen"}))
    canned = await recv(r1)
    check(canned["type"] == "message" and canned["links"] and "digid" in canned["text"].lower(), "staff can send a knowledge article")

    # Release back to the bot.
    await holder.send(json.dumps({"type": "release", "conversation": w1["conversation"]}))
    left = await recv(r1)
    check(left["type"] == "staff_left", "the resident is told the person left")
    back = await recv(r1)
    check(back["type"] == "reply", "and the bot greets again")
    await r1.send(json.dumps({"type": "say", "id": "4", "text": "huurtoeslag aanvragen"}))
    await recv(r1)
    check((await recv(r1))["intent"] == "toeslagen", "the bot answers again after release")

    # Claim resident 2 and close with an outcome.
    await holder.send(json.dumps({"type": "claim", "conversation": w2["conversation"]}))
    await recv_type(holder, "claimed")
    check((await recv(r2))["type"] == "staff_joined", "resident 2 is taken over")

    # A Texel staff member cannot open a Den Helder conversation (TCP, same protocol).
    with socket.create_connection(("127.0.0.1", tcp), timeout=5) as sock:
        stream = sock.makefile("rwb")
        # Piet sees Den Helder and Texel; the Texel-only account is made by the CI script as "Tess".
        stream.write((json.dumps({"type": "auth", "token": sys.argv[8]}) + "\n").encode())
        stream.flush()
        ok = json.loads(stream.readline())
        check(ok["type"] == "auth_ok" and ok["locations"] == ["den_burg"], "TCP: Tess (Texel) signs in with the same protocol")
        json.loads(stream.readline())  # queue
        stream.write((json.dumps({"type": "open", "conversation": w1["conversation"]}) + "\n").encode())
        stream.flush()
        denied = json.loads(stream.readline())
        check(denied["type"] == "error" and denied["code"] == "not_found", "a Texel staff member cannot open a Den Helder conversation")

    # Leave state for the restart: resident 2 claimed, a new resident 3 queued.
    r3, w3 = await resident(chat, "den_helder")
    await r3.send(json.dumps({"type": "handoff"}))
    check((await recv(r3))["type"] == "queued", "resident 3 is queued before the restart")
    with open(state_file, "w") as f:
        json.dump({"claimed": w2, "queued": w3, "holder": holder_name}, f)


async def phase2(http, tcp, state_file, anna_token, piet_token):
    with open(state_file) as f:
        state = json.load(f)
    chat = f"ws://127.0.0.1:{http}/ws/chat"
    staff_url = f"ws://127.0.0.1:{http}/ws/staff"
    token = anna_token if state["holder"] == "Anna" else piet_token
    holder, ok = await staff(staff_url, token)
    queue = await recv_type(holder, "queue")
    check([i["conversation"] for i in queue["items"]] == [state["queued"]["conversation"]], "after a restart the queue is intact")
    check(queue["mine"] == [state["claimed"]["conversation"]], "and the claimed conversation is still claimed by the same person")
    async with websockets.connect(chat) as r2:
        await r2.send(json.dumps({"type": "resume", "session": state["claimed"]["session"], "after": 0}))
        welcome = await recv(r2)
        history = [await recv(r2) for _ in range(welcome["seq"])]
        check(history[-1]["type"] == "staff_joined", "the resident resumes and sees the staff member joined")
        await holder.send(json.dumps({"type": "say", "conversation": state["claimed"]["conversation"], "id": "s9", "text": "Ik ben er nog."}))
        check((await recv(r2))["text"] == "Ik ben er nog.", "staff and resident talk again after the restart")
        await holder.send(json.dumps({"type": "close", "conversation": state["claimed"]["conversation"], "outcome": "handed_off"}))
        await recv(r2)  # goodbye
        closed = await recv(r2)
        check(closed["type"] == "closed" and closed["outcome"] == "handed_off", "staff close the conversation with an outcome")


if __name__ == "__main__":
    phase = sys.argv[1]
    http, tcp, state_file = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if phase == "phase1":
        asyncio.run(phase1(http, tcp, state_file, sys.argv[5], sys.argv[6], sys.argv[7]))
    else:
        asyncio.run(phase2(http, tcp, state_file, sys.argv[5], sys.argv[6]))
