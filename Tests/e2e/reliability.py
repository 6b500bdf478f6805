"""Reliability under kill -9: residents keep chatting while the server is killed (SIGKILL)
again and again. After every restart each resident resumes and the stored conversation must
hold every message that was acknowledged, each once, with seqs 1, 2, 3 … without a gap.
Messages that were sent but not acknowledged are sent again with the same id: they must be
stored at most once.

Run by .ci/e2e-reliability.sh. Usage:
    python3 reliability.py BAKEN_BINARY DATA_DIR HTTP_PORT [--kills 20] [--sessions 20]
Prints one summary line (kills survived, messages acked, acked messages lost, problems) and exits 1
on any loss.
"""
import argparse
import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import time
import urllib.request

import websockets


def start(binary, data, port, log):
    process = subprocess.Popen(
        [binary, "serve", "--data", data, "--port", str(port), "--tcp-port=-1", "--metrics-port=-1",
         "--config", "Tests/load/bench.yaml", "--log-level", "warning"],
        stdout=log, stderr=log)
    for _ in range(200):
        if process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode}; see {data}/server.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("the server did not start")


class Resident:
    def __init__(self, number):
        self.number = number
        self.session = None
        self.acked = {}      # client id -> seq, from acks received live
        self.pending = []    # client ids sent but not acknowledged when the server died
        self.sent = 0
        self.conversation = None
        self.checked = 0     # seqs up to here were replayed and checked

    async def open(self, url, problems):
        """Connects (hello, or resume after the last seq checked) and checks what was missed."""
        ws = await websockets.connect(url, max_size=2 ** 20)
        if self.session is None:
            await ws.send(json.dumps({"type": "hello", "lang": "nl"}))
            welcome = json.loads(await ws.recv())
            self.session, self.conversation = welcome["session"], welcome["conversation"]
            return ws, welcome["seq"]
        await ws.send(json.dumps({"type": "resume", "session": self.session, "after": self.checked}))
        welcome = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        if welcome.get("type") != "welcome":
            problems.append(f"resident {self.number}: resume refused: {welcome}")
            return ws, 0
        last = welcome["seq"]
        missed = []
        while last > self.checked and (not missed or missed[-1]["seq"] < last):
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))  # a short replay fails, never hangs
            if "seq" in message:
                missed.append(message)
        seqs = [m["seq"] for m in missed]
        if seqs != list(range(self.checked + 1, last + 1)):
            problems.append(f"resident {self.number}: replay after {self.checked} is not {self.checked + 1}..{last}: {seqs[:20]}")
        stored_acks = {m["id"]: m["seq"] for m in missed if m.get("type") == "ack"}
        for client_id, seq in self.acked.items():
            if seq > self.checked and stored_acks.get(client_id) != seq:
                problems.append(f"resident {self.number}: acked {client_id} at seq {seq}, replayed: {stored_acks.get(client_id)}")
        # What was stored without our seeing the ack counts as acknowledged now.
        for client_id in self.pending:
            if client_id in stored_acks:
                self.acked[client_id] = stored_acks[client_id]
        self.pending = [c for c in self.pending if c not in stored_acks]
        self.checked = last
        return ws, last

    async def chat(self, ws, until, problems):
        """Sends says until the connection dies or `until`; resends what was never acked. An
        error frame (a refused or unstored message) is a problem."""
        queue = list(self.pending)
        try:
            while time.monotonic() < until:
                if queue:
                    client_id = queue.pop(0)
                else:
                    self.sent += 1
                    client_id = f"r{self.number}-{self.sent}"
                    self.pending.append(client_id)
                await ws.send(json.dumps({"type": "say", "id": client_id, "text": random.choice(
                    ["digid wachtwoord vergeten", "huurtoeslag aanvragen", "waar kan ik printen", "hallo"])}))
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
                    if message.get("type") == "error":
                        problems.append(f"resident {self.number}: error for {client_id}: {message}")
                        break
                    if message.get("type") == "ack" and message.get("id") == client_id:
                        self.acked[client_id] = message["seq"]
                        self.pending.remove(client_id)
                    if message.get("type") == "reply":
                        break
                await asyncio.sleep(random.uniform(0, 0.05))
        except (websockets.ConnectionClosed, OSError, asyncio.TimeoutError):
            pass


async def cycle(residents, url, problems, seconds):
    connections = await asyncio.gather(*(r.open(url, problems) for r in residents))
    until = time.monotonic() + seconds
    tasks = [asyncio.create_task(r.chat(ws, until, problems)) for r, (ws, _) in zip(residents, connections)]
    return tasks, [ws for ws, _ in connections]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("data")
    parser.add_argument("port", type=int)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=20)
    arguments = parser.parse_args()
    url = f"ws://127.0.0.1:{arguments.port}/ws/chat"
    residents = [Resident(n) for n in range(arguments.sessions)]
    problems = []
    log = open(f"{arguments.data}/server.log", "ab")
    server = None
    try:
        for kill in range(arguments.kills + 1):
            server = start(arguments.binary, arguments.data, arguments.port, log)
            final = kill == arguments.kills
            tasks, sockets = await cycle(residents, url, problems, 0 if final else 3)
            if not final:
                await asyncio.sleep(random.uniform(0.5, 2.0))
                server.kill()          # SIGKILL, mid-conversation
                server.wait()
            await asyncio.gather(*tasks)
            for ws in sockets:
                await ws.close()
        server.terminate()
        server.wait()
    finally:
        if server and server.poll() is None:
            server.kill()
    # The whole stored history, straight from the database.
    db = sqlite3.connect(f"{arguments.data}/baken.sqlite")
    lost_total = 0
    for r in residents:
        rows = db.execute("SELECT seq, type, client_id FROM message WHERE conversation_id = ? ORDER BY seq",
                          (r.conversation,)).fetchall()
        seqs = [row[0] for row in rows]
        if seqs != list(range(1, len(seqs) + 1)):
            problems.append(f"resident {r.number}: stored seqs have a gap or a repeat")
        # (A second copy of a message cannot be stored: a unique index on the client id refuses it,
        # and such a refusal reaches the client as an error frame, counted above.)
        stored = {row[2]: row[0] for row in rows if row[1] == "ack"}
        lost = [c for c, seq in r.acked.items() if stored.get(c) != seq]
        lost_total += len(lost)
        if lost:
            problems.append(f"resident {r.number}: {len(lost)} acknowledged message(s) lost: {lost[:5]}")
    acked = sum(len(r.acked) for r in residents)
    print(f"kills survived: {arguments.kills}; residents: {len(residents)}; messages acked: {acked}; "
          f"acked messages lost: {lost_total}; problems (lost, gaps, errors): {len(problems)}")
    for problem in problems[:20]:
        print("FAIL " + problem)
    if problems or acked == 0:
        sys.exit(1)
    print("ok   every acknowledged message survived every kill -9, in seq order without gaps, and no message was refused")


asyncio.run(main())
