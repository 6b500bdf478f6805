"""Benchmark of the coordinators' figures: a month of N conversations in a fresh database,
then the time of GET /api/insight (and of `baken report`).

    python3 Tests/load/insight_bench.py .build/release/baken --conversations 100000

Creates a data directory, lets `baken serve` create the schema, fills it straight through
SQLite (conversation rows with branch, topic, outcome and start time; one feedback answer in
ten), then measures each request five times and prints the median and the slowest.
"""
import argparse
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--conversations", type=int, default=100000)
parser.add_argument("--port", type=int, default=18795)
arguments = parser.parse_args()

data = tempfile.mkdtemp(prefix="baken-insight-")
token = subprocess.run([arguments.binary, "staff", "add", "Ada", "--role", "admin", "--data", data],
                       capture_output=True, text=True, check=True).stdout.strip()
locations = ["den_helder", "julianadorp", "den_burg", "schagen", "t_zand", "anna_paulowna", "wieringerwerf", None]
topics = ["digid_inloggen", "digid_aanvragen", "toeslagen", "belastingaangifte", "ebooks", "vestiging", "oplichting", None]
outcomes = ["answered"] * 6 + ["referred", "handed_off", "unresolved"]
start = time.mktime((2027, 1, 1, 0, 0, 0, 0, 0, 0)) - time.timezone
db = sqlite3.connect(f"{data}/baken.sqlite")
random.seed(7)
rows, feedback = [], []
for n in range(arguments.conversations):
    created = start + random.uniform(0, 31 * 86400)
    rows.append((f"c_{n:016x}", f"h{n}", random.choice(["nl"] * 9 + ["en"]), random.choice(locations), "closed",
                 random.choice(outcomes), 6, 0, random.choice(topics), "[]", 1, 0, 0, created, created + 300))
    if n % 10 == 0:
        feedback.append((f"c_{n:016x}", 3, random.random() < 0.8, created + 60))
db.executemany("INSERT INTO conversation (id, session_hash, language, location, phase, outcome, last_seq, misses, last_intent, "
               "offered, answered, handed_off, referred, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
db.executemany("INSERT INTO feedback (conversation_id, seq, helpful, created_at) VALUES (?,?,?,?)", feedback)
db.commit()
db.close()

server = subprocess.Popen([arguments.binary, "serve", "--data", data, "--port", str(arguments.port), "--tcp-port=-1", "--metrics-port=-1",
                           "--log-level", "warning"])
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{arguments.port}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    url = f"http://127.0.0.1:{arguments.port}/api/insight?from=2027-01-01&to=2027-01-31&by=branch"
    times = []
    for _ in range(5):
        request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
        began = time.perf_counter()
        body = json.load(urllib.request.urlopen(request, timeout=60))
        times.append(time.perf_counter() - began)
    total = [r for r in body["rows"] if r["group"] == "total"][0]["conversations"]
    print(f"GET /api/insight, a month of {arguments.conversations} conversations (report total {total}): "
          f"median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms")
finally:
    server.terminate()
    server.wait()
began = time.perf_counter()
subprocess.run([arguments.binary, "report", "--data", data, "--from", "2027-01-01", "--to", "2027-01-31", "--by", "municipality"],
               capture_output=True, check=True)
print(f"baken report (one run, including start-up and loading the knowledge): {(time.perf_counter() - began) * 1000:.0f} ms")
shutil.rmtree(data, ignore_errors=True)  # the month's database is large
