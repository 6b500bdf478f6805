"""A referral offered by the bot and consented over the protocol (Python websockets).
    python3 referral_test.py HTTP_PORT OUT_STATE
"""
import asyncio
import json
import sys

import websockets

from helpers import check, recv




async def main(http, state_file):
    async with websockets.connect(f"ws://127.0.0.1:{http}/ws/chat") as ws:
        await ws.send(json.dumps({"type": "hello", "lang": "nl", "location": "den_helder"}))
        welcome = await recv(ws)
        await recv(ws)
        await ws.send(json.dumps({"type": "say", "id": "1", "text": "ik wil beter nederlands leren, mijn bsn is 111222333"}))
        await recv(ws)
        answer = await recv(ws)
        options = [o["id"] for o in answer["options"]]
        check("refer:taalhuis" in options, "the Taalhuis answer offers a referral button")
        await ws.send(json.dumps({"type": "choose", "id": "2", "option": "refer:taalhuis"}))
        await recv(ws)
        request = await recv(ws)
        check(request["type"] == "consent_request", "the resident sees what will be shared before anything is sent")
        await ws.send(json.dumps({"type": "consent", "id": "3", "referral": request["referral"], "accept": True, "first_name": "Fatima", "contact": "0612345678"}))
        await recv(ws)
        queued = await recv(ws)
        check(queued["type"] == "referral" and queued["status"] == "queued", "consent given: the referral is queued")
        with open(state_file, "w") as f:
            json.dump({"session": welcome["session"], "referral": request["referral"], "seq": queued["seq"]}, f)


async def after(http, state_file):
    with open(state_file) as f:
        state = json.load(f)
    async with websockets.connect(f"ws://127.0.0.1:{http}/ws/chat") as ws:
        await ws.send(json.dumps({"type": "resume", "session": state["session"], "after": state["seq"]}))
        await recv(ws)
        status = await recv(ws, timeout=20)
        check(status["type"] == "referral" and status["status"] == "delivered", "after the restart the resident sees the referral was delivered")


if __name__ == "__main__":
    asyncio.run((main if sys.argv[1] == "offer" else after)(int(sys.argv[2]), sys.argv[3]))
