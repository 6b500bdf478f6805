#!/usr/bin/env python3
"""Open-loop load generator for the Baken chat server (issue 3).

Modes
-----
chat   Open N sessions (`hello`, wait for `welcome` + greeting `reply`), then send `say`
       messages round-robin over the sessions at an aggregate target rate. Sends are
       scheduled on a clock (open loop): a session's next message never waits for the reply
       to another. Latency = time from writing the `say` to receiving the `reply` that
       answers it (the `ack` comes first and is checked, then the `reply`).
       --transport ws  (default; --url ws://HOST:PORT/ws/chat)
       --transport tcp (--host/--port of the newline-delimited TCP line protocol)
echo   The same open-loop measurement against the bare echo route (--url .../ws/echo):
       send a JSON say-like frame, wait for the same frame back. This is the baseline
       that shows what Baken's own work (parsing, storage, matching) costs.
idle   Open N sessions (hello each), hold them idle, and report the server's RSS before
       connecting, after all are open, and after --hold seconds; at the end every
       session is pinged to check it is still alive.

Examples
--------
    python3 Tests/load/load.py chat --url ws://127.0.0.1:8080/ws/chat \
        --sessions 2000 --rate 2000 --duration 20 --pid $(pgrep -n baken)
    python3 Tests/load/load.py chat --transport tcp --host 127.0.0.1 --port 8081 \
        --sessions 2000 --rate 2000 --duration 20 --pid PID
    python3 Tests/load/load.py echo --url ws://127.0.0.1:8080/ws/echo \
        --sessions 2000 --rate 2000 --duration 20 --pid PID
    python3 Tests/load/load.py idle --url ws://127.0.0.1:8080/ws/chat \
        --sessions 10000 --pid PID --processes 2

The server's default rate limits (2 msg/s per session, 20 msg/s and 50 connections per IP)
would reject this load, since every connection comes from 127.0.0.1: start the server with
`--config Tests/load/bench.yaml`, which raises them.

Client saturation
-----------------
The Python client can be the bottleneck (especially on a small machine that also runs the
server). `--processes K` splits the sessions and the rate over K worker processes and
merges their latency samples. The report shows, for the measured window, the CPU used by
the server, by each client worker and by the whole machine, and the *send lag* (how late
each send left compared with its schedule). If the client is saturated the achieved send
rate falls below the target and/or the lag grows; the report says so explicitly, and the
"latency from schedule" column (which includes the client's lag, i.e. is corrected for
coordinated omission) shows how much that matters.

Only the Python standard library and the `websockets` package (>= 13) are needed;
`orjson` is used for parsing when installed.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import math
import multiprocessing as mp
import os
import resource
import sys
import time

try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover
    loads = json.loads

try:
    from websockets.asyncio.client import connect as ws_connect
except ImportError:  # websockets < 13
    from websockets import connect as ws_connect  # type: ignore

QUESTIONS = [
    "digid wachtwoord vergeten",
    "huurtoeslag aanvragen",
    "waar kan ik printen",
    "hoe laat is het spreekuur",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------
# /proc helpers (Linux)


def rss_kib(pid: int | None) -> int | None:
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of a process (all its threads), in seconds."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies over all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]  # idle + iowait
    total = sum(parts[:8])
    return total - idle, total


def raise_nofile(wanted: int) -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(wanted, soft)
    if soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


# --------------------------------------------------------------------------------------
# Sessions


class Session:
    """One client connection. Keeps a FIFO of sends awaiting their answer.

    The server handles one conversation's messages in order, so each `reply` answers the
    oldest outstanding `say` (the matching `ack` carries the same `id` and arrives first).
    """

    __slots__ = ("w", "index", "transport", "ws", "reader", "writer", "pending", "open", "pongs", "reader_task")

    def __init__(self, w: "Worker", index: int):
        self.w = w
        self.index = index
        self.transport = w.cfg["transport"]
        self.ws = None
        self.reader = None
        self.writer = None
        self.pending: collections.deque = collections.deque()
        self.open = False
        self.pongs = 0
        self.reader_task = None

    # transport -------------------------------------------------------------------
    async def connect(self) -> None:
        cfg = self.w.cfg
        if self.transport == "ws":
            self.ws = await ws_connect(
                cfg["url"],
                compression=None,
                ping_interval=None,  # the server pings every 30 s; the client answers
                open_timeout=cfg["timeout"],
                close_timeout=2,
                max_size=2**20,
            )
        else:
            self.reader, self.writer = await asyncio.wait_for(
                asyncio.open_connection(cfg["host"], cfg["port"], limit=2**20), cfg["timeout"]
            )
        self.open = True

    def send_nowait(self, text: str) -> None:
        """Write one message without waiting for the reply (TCP only)."""
        self.writer.write(text.encode() + b"\n")

    async def send(self, text: str) -> None:
        if self.transport == "ws":
            # Only yields when the socket's write buffer is full.
            await self.ws.send(text)
        else:
            self.writer.write(text.encode() + b"\n")

    async def recv(self) -> bytes | str:
        if self.transport == "ws":
            return await self.ws.recv()
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("connection closed by server")
        return line

    async def close(self) -> None:
        self.open = False
        try:
            if self.transport == "ws":
                await self.ws.close()
            else:
                self.writer.close()
                await self.writer.wait_closed()
        except Exception:
            pass

    # protocol --------------------------------------------------------------------
    async def start(self) -> None:
        """Connect; for chat/idle say hello and wait for welcome + greeting."""
        await self.connect()
        if self.w.mode == "echo" or self.w.cfg["no_hello"]:
            return
        await self.send(json.dumps({"type": "hello", "lang": "nl"}))
        welcome = loads(await asyncio.wait_for(self.recv(), self.w.cfg["timeout"]))
        if welcome.get("type") != "welcome":
            raise RuntimeError(f"expected welcome, got {welcome}")
        greeting = loads(await asyncio.wait_for(self.recv(), self.w.cfg["timeout"]))
        if greeting.get("type") != "reply":
            raise RuntimeError(f"expected greeting reply, got {greeting}")

    async def read_loop(self) -> None:
        w = self.w
        mode = w.mode
        try:
            while True:
                raw = await self.recv()
                now = time.monotonic()
                msg = loads(raw)
                kind = msg.get("type")
                if mode == "echo":
                    if self.pending and self.pending[0][0] == msg.get("id"):
                        w.complete(self.pending.popleft(), now)
                    else:
                        w.errors["echo_mismatch"] += 1
                elif kind == "reply" or kind == "queued":
                    if self.pending:
                        w.complete(self.pending.popleft(), now)
                    else:
                        w.errors["unexpected_reply"] += 1
                elif kind == "ack":
                    if not self.pending or self.pending[0][0] != msg.get("id"):
                        w.errors["ack_id_mismatch"] += 1
                elif kind == "pong":
                    self.pongs += 1
                elif kind == "error":
                    w.errors["error:" + str(msg.get("code"))] += 1
                    mid = msg.get("id")
                    if mid is not None and self.pending and self.pending[0][0] == mid:
                        self.pending.popleft()  # counted as an error, not a latency sample
                elif kind == "closed":
                    w.errors["conversation_closed"] += 1
                else:
                    w.errors["unexpected:" + str(kind)] += 1
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self.open:
                w.errors["connection_lost:" + type(exc).__name__] += 1
                w.closed += 1
            self.open = False


# --------------------------------------------------------------------------------------
# Worker process


class Worker:
    def __init__(self, k: int, cfg: dict, n_sessions: int, conn):
        self.k = k
        self.cfg = cfg
        self.mode = cfg["mode"]
        self.n_sessions = n_sessions
        self.conn = conn  # multiprocessing Pipe end to the coordinator
        self.sessions: list[Session] = []
        self.errors: collections.Counter = collections.Counter()
        self.closed = 0
        # samples for messages *sent* inside the measured window
        self.lat: list[float] = []  # reply time - actual send time (ms)
        self.lat_sched: list[float] = []  # reply time - scheduled send time (ms)
        self.lag: list[float] = []  # actual send time - scheduled send time (ms)
        self.sent_at: list[float] = []  # send time - t0 (s), parallel to self.lat
        self.t0 = 0.0
        self.win_start = self.win_end = 0.0
        self.replies_in_window = 0  # replies *received* inside the window (throughput)
        self.sent_total = 0
        self.sent_in_window = 0
        self.completed_total = 0

    def complete(self, entry, now: float) -> None:
        _id, t_sched, t_sent, in_window = entry
        self.completed_total += 1
        if self.win_start <= now < self.win_end:
            self.replies_in_window += 1
        if in_window:
            self.lat.append((now - t_sent) * 1000)
            self.sent_at.append(t_sent - self.t0)
            self.lat_sched.append((now - t_sched) * 1000)

    async def open_sessions(self) -> None:
        sem = asyncio.Semaphore(self.cfg["connect_concurrency"])

        async def one(i: int):
            s = Session(self, i)
            async with sem:
                try:
                    await s.start()
                except Exception as exc:
                    self.errors["connect:" + type(exc).__name__ + ":" + str(exc)[:60]] += 1
                    await s.close()
                    return
            s.reader_task = asyncio.get_running_loop().create_task(s.read_loop())
            self.sessions.append(s)

        await asyncio.gather(*(one(i) for i in range(self.n_sessions)))

    async def run_load(self, t0: float) -> None:
        cfg = self.cfg
        K = cfg["processes"]
        rate = cfg["rate"] / K  # this worker's share
        offset = self.k / cfg["rate"]  # interleave the workers' schedules
        duration = cfg["duration"]
        self.t0 = t0
        self.win_start = t0 + cfg["warmup"]
        self.win_end = t0 + duration
        live = [s for s in self.sessions if s.open]
        if not live:
            return
        n_total = int(duration * rate)
        prefix = f"w{self.k}-"
        is_echo = self.mode == "echo"
        i = 0
        rr = 0
        while i < n_total:
            now = time.monotonic()
            due = min(n_total, int((now - t0 - offset) * rate) + 1) if now >= t0 + offset else 0
            while i < due:
                t_sched = t0 + offset + i / rate
                # round robin over the sessions that are still open
                for _ in range(len(live)):
                    s = live[rr % len(live)]
                    rr += 1
                    if s.open:
                        break
                else:
                    self.errors["no_open_sessions"] += 1
                    return
                mid = f"{prefix}{i}"
                text = QUESTIONS[i % len(QUESTIONS)]
                if is_echo:
                    payload = '{"type":"say","id":"%s","text":"%s","t":%d}' % (mid, text, i)
                else:
                    payload = '{"type":"say","id":"%s","text":"%s"}' % (mid, text)
                t_sent = time.monotonic()
                in_window = self.win_start <= t_sched < self.win_end
                s.pending.append((mid, t_sched, t_sent, in_window))
                try:
                    await s.send(payload)
                except Exception as exc:
                    s.pending.pop()
                    self.errors["send:" + type(exc).__name__] += 1
                    if s.open:
                        s.open = False
                        self.closed += 1
                    i += 1
                    continue
                self.sent_total += 1
                if in_window:
                    self.sent_in_window += 1
                    self.lag.append((t_sent - t_sched) * 1000)
                i += 1
            if i >= n_total:
                break
            next_t = t0 + offset + i / rate
            delay = next_t - time.monotonic()
            await asyncio.sleep(delay if delay > 0 else 0)
        # drain: wait for outstanding replies
        deadline = time.monotonic() + cfg["drain"]
        while time.monotonic() < deadline and any(s.pending for s in self.sessions if s.open):
            await asyncio.sleep(0.05)

    async def ping_all(self) -> tuple[int, int]:
        alive = [s for s in self.sessions if s.open]
        for s in alive:
            try:
                await s.send('{"type":"ping"}')
            except Exception:
                s.open = False
        deadline = time.monotonic() + self.cfg["timeout"]
        while time.monotonic() < deadline and any(s.open and s.pongs == 0 for s in alive):
            await asyncio.sleep(0.05)
        return len(alive), sum(1 for s in alive if s.pongs > 0)

    async def close_all(self) -> None:
        for s in self.sessions:
            if s.reader_task:
                s.reader_task.cancel()
        sem = asyncio.Semaphore(500)

        async def one(s):
            async with sem:
                try:
                    await asyncio.wait_for(s.close(), 5)
                except Exception:
                    pass

        await asyncio.gather(*(one(s) for s in self.sessions))

    async def main(self) -> None:
        loop = asyncio.get_running_loop()
        t = time.monotonic()
        await self.open_sessions()
        opened = sum(1 for s in self.sessions if s.open)
        self.conn.send(("ready", opened, time.monotonic() - t, dict(self.errors)))
        cmd = await loop.run_in_executor(None, self.conn.recv)
        result: dict = {"worker": self.k, "opened": opened}
        if cmd[0] == "go":
            await self.run_load(cmd[1])
            result.update(
                lat=self.lat,
                lat_sched=self.lat_sched,
                sent_at=self.sent_at,
                lag=self.lag,
                sent_total=self.sent_total,
                sent_in_window=self.sent_in_window,
                replies_in_window=self.replies_in_window,
                completed_total=self.completed_total,
                lost_in_window=sum(1 for s in self.sessions for e in s.pending if e[3]),
                pending_total=sum(len(s.pending) for s in self.sessions),
            )
        elif cmd[0] == "ping":
            alive, ponged = (await self.ping_all()) if not self.cfg["no_hello"] else (sum(s.open for s in self.sessions), 0)
            result.update(alive=alive, ponged=ponged)
        result.update(errors=dict(self.errors), closed=self.closed)
        await self.close_all()
        self.conn.send(("result", result))


def worker_entry(k: int, cfg: dict, n_sessions: int, conn) -> None:
    raise_nofile(n_sessions + 1024)
    # Several nodes (--url A,B): worker k talks to node k mod N.
    urls = cfg["url"].split(",")
    cfg = dict(cfg, url=urls[k % len(urls)])
    try:
        asyncio.run(Worker(k, cfg, n_sessions, conn).main())
    except Exception as exc:  # report instead of hanging the coordinator
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))


# --------------------------------------------------------------------------------------
# Coordinator


def fmt_ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}"


def mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f} MiB"


def describe_target(cfg: dict) -> str:
    if cfg["transport"] == "tcp":
        return f"tcp://{cfg['host']}:{cfg['port']}"
    return cfg["url"]


def wait_ready(pipes, procs, timeout: float):
    ready = []
    for k, (pc, p) in enumerate(zip(pipes, procs)):
        if not pc.poll(timeout):
            raise SystemExit(f"worker {k} did not become ready within {timeout:.0f} s")
        msg = pc.recv()
        if msg[0] == "crash":
            raise SystemExit(f"worker {k} crashed: {msg[1]}")
        ready.append(msg)
    return ready


def collect(pipes, timeout: float):
    results = []
    for k, pc in enumerate(pipes):
        if not pc.poll(timeout):
            raise SystemExit(f"worker {k} did not report within {timeout:.0f} s")
        msg = pc.recv()
        if msg[0] == "crash":
            raise SystemExit(f"worker {k} crashed: {msg[1]}")
        results.append(msg[1])
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Open-loop load generator for the Baken server.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Examples", 1)[1] if __doc__ else None,
    )
    ap.add_argument("mode", choices=["chat", "echo", "idle"])
    ap.add_argument("--url", default="ws://127.0.0.1:8080/ws/chat",
                    help="WebSocket URL (transport ws); several nodes: URL1,URL2 (worker k uses URL k mod N; give --processes a multiple)")
    ap.add_argument("--transport", choices=["ws", "tcp"], default="ws")
    ap.add_argument("--host", default="127.0.0.1", help="TCP line-protocol host (transport tcp)")
    ap.add_argument("--port", type=int, default=8081, help="TCP line-protocol port (transport tcp)")
    ap.add_argument("--sessions", type=int, default=100, help="concurrent sessions (total over all processes)")
    ap.add_argument("--rate", type=float, default=100, help="aggregate target messages per second")
    ap.add_argument("--duration", type=float, default=20, help="seconds of sending")
    ap.add_argument("--warmup", type=float, default=2, help="first seconds of sending excluded from the statistics")
    ap.add_argument("--drain", type=float, default=5, help="seconds to wait for outstanding replies after sending stops")
    ap.add_argument("--hold", type=float, default=10, help="idle: seconds to hold the sessions open")
    ap.add_argument("--no-hello", action="store_true",
                    help="idle: only connect, send no hello (bare connection cost; use with /ws/echo)")
    ap.add_argument("--processes", type=int, default=1, help="client worker processes (sessions and rate are split)")
    ap.add_argument("--connect-concurrency", type=int, default=100, help="handshakes in flight per process")
    ap.add_argument("--timeout", type=float, default=30, help="seconds for a connect/hello/pong")
    ap.add_argument("--pid", type=int, help="server PID, for RSS and CPU from /proc")
    ap.add_argument("--timeline", action="store_true", help="also print latency per second of sending")
    ap.add_argument("--json", metavar="FILE", help="also write the summary as JSON to FILE")
    args = ap.parse_args(argv)

    if args.mode == "echo" and args.transport != "ws":
        ap.error("echo is a WebSocket route; use --transport ws")
    if args.processes < 1 or args.sessions < args.processes:
        ap.error("need 1 <= --processes <= --sessions")
    if args.warmup >= args.duration and args.mode != "idle":
        ap.error("--warmup must be shorter than --duration")

    soft, hard = raise_nofile(args.sessions + 1024)
    per_proc_fds = math.ceil(args.sessions / args.processes) + 64
    if soft < per_proc_fds:
        print(f"warning: RLIMIT_NOFILE is {soft} (hard {hard}); {per_proc_fds} needed per process", file=sys.stderr)

    cfg = {
        "mode": args.mode,
        "transport": args.transport,
        "url": args.url,
        "host": args.host,
        "port": args.port,
        "rate": args.rate,
        "duration": args.duration,
        "warmup": args.warmup,
        "drain": args.drain,
        "processes": args.processes,
        "connect_concurrency": args.connect_concurrency,
        "timeout": args.timeout,
        "no_hello": args.no_hello,
    }
    ctx = mp.get_context("fork")
    sizes = [args.sessions // args.processes + (1 if k < args.sessions % args.processes else 0) for k in range(args.processes)]

    rss_before = rss_kib(args.pid)
    if args.pid and rss_before is None:
        print(f"warning: cannot read /proc/{args.pid}/status", file=sys.stderr)

    print(f"baken load: {args.mode} {describe_target(cfg)} sessions={args.sessions} processes={args.processes}"
          + ("" if args.mode == "idle" else f" rate={args.rate:g}/s duration={args.duration:g}s warmup={args.warmup:g}s")
          + f" nofile={soft}", flush=True)
    if rss_before is not None:
        print(f"server RSS before connecting: {mib(rss_before)}", flush=True)

    pipes, procs = [], []
    for k in range(args.processes):
        parent_end, child_end = ctx.Pipe()
        p = ctx.Process(target=worker_entry, args=(k, cfg, sizes[k], child_end), daemon=True)
        p.start()
        pipes.append(parent_end)
        procs.append(p)

    t_connect = time.monotonic()
    ready = wait_ready(pipes, procs, args.timeout + args.sessions / 10 + 60)
    connect_seconds = time.monotonic() - t_connect
    opened = sum(r[1] for r in ready)
    connect_errors: collections.Counter = collections.Counter()
    for r in ready:
        connect_errors.update(r[3])
    print(f"opened {opened}/{args.sessions} sessions in {connect_seconds:.1f} s"
          + (f"; connect errors: {dict(connect_errors)}" if connect_errors else ""), flush=True)

    summary: dict = {
        "mode": args.mode,
        "target": describe_target(cfg),
        "transport": args.transport,
        "sessions": args.sessions,
        "opened": opened,
        "processes": args.processes,
        "connect_seconds": round(connect_seconds, 2),
        "rss_before_kib": rss_before,
    }

    if args.mode == "idle":
        time.sleep(2)  # let the server settle
        rss_open = rss_kib(args.pid)
        print(f"server RSS with {opened} sessions open: {mib(rss_open)}", flush=True)
        peak = rss_open or 0
        end = time.monotonic() + args.hold
        while time.monotonic() < end:
            time.sleep(1)
            peak = max(peak, rss_kib(args.pid) or 0)
        rss_held = rss_kib(args.pid)
        print(f"server RSS after holding {args.hold:g} s: {mib(rss_held)} (peak {mib(peak)})", flush=True)
        for pc in pipes:
            pc.send(("ping",))
        results = collect(pipes, args.timeout + 120)
        alive = sum(r["alive"] for r in results)
        ponged = sum(r["ponged"] for r in results)
        errors: collections.Counter = collections.Counter(connect_errors)
        for r in results:
            for key, v in r["errors"].items():
                if not key.startswith("connect:"):
                    errors[key] += v
        time.sleep(1)
        rss_after_close = rss_kib(args.pid)
        print(f"alive at the end: {alive}; answered a ping: {ponged}", flush=True)
        print(f"errors: {dict(errors) if errors else 'none'}")
        if rss_before is not None and rss_held is not None and opened:
            per = (rss_held - rss_before) / opened
            print(f"server RSS growth: {mib(rss_held - rss_before)} = {per:.1f} KiB per session")
        print(f"server RSS after the client closed: {mib(rss_after_close)}")
        summary.update(rss_open_kib=rss_open, rss_held_kib=rss_held, rss_peak_kib=peak,
                       rss_after_close_kib=rss_after_close, alive=alive, ponged=ponged, errors=dict(errors))
    else:
        worker_pids = [p.pid for p in procs]
        t0 = time.monotonic() + 1.0
        for pc in pipes:
            pc.send(("go", t0))
        # CPU over the measured window
        time.sleep(max(0, t0 + args.warmup - time.monotonic()))
        s0 = proc_cpu_seconds(args.pid)
        w0 = [proc_cpu_seconds(p) for p in worker_pids]
        m0 = machine_cpu()
        c0 = time.monotonic()
        peak_rss = rss_kib(args.pid) or 0
        while time.monotonic() < t0 + args.duration:
            time.sleep(min(0.5, max(0, t0 + args.duration - time.monotonic())))
            peak_rss = max(peak_rss, rss_kib(args.pid) or 0)
        s1 = proc_cpu_seconds(args.pid)
        w1 = [proc_cpu_seconds(p) for p in worker_pids]
        m1 = machine_cpu()
        wall = time.monotonic() - c0
        results = collect(pipes, args.drain + args.timeout + 120)
        rss_after = rss_kib(args.pid)

        window = args.duration - args.warmup
        lat = sorted(x for r in results for x in r["lat"])
        lat_s = sorted(x for r in results for x in r["lat_sched"])
        lag = sorted(x for r in results for x in r["lag"])
        sent_w = sum(r["sent_in_window"] for r in results)
        replies_w = sum(r["replies_in_window"] for r in results)
        lost = sum(r["lost_in_window"] for r in results)
        errors = collections.Counter(connect_errors)
        for r in results:
            errors.update(r["errors"])
        closed = sum(r["closed"] for r in results)
        target_w = args.rate * window
        server_cpu = None if s0 is None or s1 is None else (s1 - s0) / wall * 100
        worker_cpu = [None if a is None or b is None else (b - a) / wall * 100 for a, b in zip(w0, w1)]
        machine = (m1[0] - m0[0]) / max(1, (m1[1] - m0[1])) * 100
        ncpu = os.cpu_count() or 1
        other = None
        if server_cpu is not None and all(c is not None for c in worker_cpu):
            other = max(0.0, machine - (server_cpu + sum(worker_cpu)) / ncpu)

        sent_rate = sent_w / window
        reply_rate = replies_w / window
        print()
        print(f"measured window: {window:g} s (after {args.warmup:g} s warm-up)")
        print(f"  target rate          {args.rate:10.0f} msg/s")
        print(f"  sent                 {sent_rate:10.0f} msg/s  ({sent_w} messages)")
        print(f"  answered (received)  {reply_rate:10.0f} msg/s  ({replies_w} replies)")
        print(f"  latency (ms)         p50 {fmt_ms(percentile(lat, 50))}  p99 {fmt_ms(percentile(lat, 99))}  "
              f"p99.9 {fmt_ms(percentile(lat, 99.9))}  max {fmt_ms(lat[-1] if lat else None)}  (n={len(lat)})")
        print(f"  from schedule (ms)   p50 {fmt_ms(percentile(lat_s, 50))}  p99 {fmt_ms(percentile(lat_s, 99))}  "
              f"p99.9 {fmt_ms(percentile(lat_s, 99.9))}  max {fmt_ms(lat_s[-1] if lat_s else None)}")
        print(f"  client send lag (ms) p50 {fmt_ms(percentile(lag, 50))}  p99 {fmt_ms(percentile(lag, 99))}  "
              f"max {fmt_ms(lag[-1] if lag else None)}")
        print(f"  unanswered after {args.drain:g} s drain: {lost}; connections lost: {closed}")
        print(f"  errors: {dict(errors) if errors else 'none'}")
        cpu_line = f"  CPU ({ncpu} cores): machine {machine:.0f}% of all cores"
        if server_cpu is not None:
            cpu_line += f", server {server_cpu:.0f}% of one core"
        cpu_line += ", client workers " + ", ".join("-" if c is None else f"{c:.0f}%" for c in worker_cpu)
        if other is not None:
            cpu_line += f"; other processes ~{other:.0f}% of all cores"
        print(cpu_line)
        if args.timeline:
            buckets: dict[int, list[float]] = collections.defaultdict(list)
            for r in results:
                for t, x in zip(r["sent_at"], r["lat"]):
                    buckets[int(t)].append(x)
            print("  per second of sending:   n      p50      p99      max  (ms)")
            for sec in sorted(buckets):
                b = sorted(buckets[sec])
                print(f"    t={sec:3d}s {len(b):8d} {percentile(b, 50):8.2f} {percentile(b, 99):8.2f} {b[-1]:8.2f}")
        if args.pid:
            print(f"  server RSS: before {mib(rss_before)}, peak {mib(peak_rss)}, after {mib(rss_after)}")

        # verdict on who was the bottleneck
        notes = []
        behind = sent_rate < 0.97 * args.rate
        lagging = (percentile(lag, 99) or 0) > 10
        client_busy = any(c is not None and c > 85 for c in worker_cpu)
        machine_busy = machine > 90
        server_busy = server_cpu is not None and server_cpu > 0.9 * 100 * ncpu
        if behind or lagging:
            who = []
            if client_busy:
                who.append("a client worker is at %s CPU" % ", ".join(f"{c:.0f}%" for c in worker_cpu if c is not None))
            if machine_busy:
                who.append(f"the machine is {machine:.0f}% busy (client and server share it)")
            notes.append("%s (sent %.0f/s of %.0f/s, send-lag p99 %s ms)%s"
                         % ("CLIENT COULD NOT KEEP THE RATE" if behind else "client sends ran late",
                            sent_rate, args.rate, fmt_ms(percentile(lag, 99)), ": " + "; ".join(who) if who else ""))
        elif client_busy:
            notes.append("client worker CPU is near 100%: results are close to the client's limit")
        if reply_rate < 0.97 * sent_rate or lost:
            notes.append("server fell behind: answered %.0f/s of %.0f/s sent" % (reply_rate, sent_rate))
        if server_busy:
            notes.append(f"server CPU {server_cpu:.0f}% of one core ~ all {ncpu} cores: server saturated")
        if machine_busy and not server_busy:
            notes.append("machine CPU saturated by client + server together; server alone is not at 100%")
        if other is not None and other > 10:
            notes.append(f"other processes used ~{other:.0f}% of the machine during the run: numbers are disturbed")
        for n in notes:
            print("  NOTE:", n)

        summary.update(
            rate_target=args.rate, duration=args.duration, warmup=args.warmup,
            sent_per_s=round(sent_rate, 1), answered_per_s=round(reply_rate, 1),
            p50_ms=percentile(lat, 50), p99_ms=percentile(lat, 99), p999_ms=percentile(lat, 99.9),
            max_ms=lat[-1] if lat else None,
            sched_p50_ms=percentile(lat_s, 50), sched_p99_ms=percentile(lat_s, 99), sched_p999_ms=percentile(lat_s, 99.9),
            lag_p99_ms=percentile(lag, 99), samples=len(lat), unanswered=lost, connections_lost=closed,
            errors=dict(errors), server_cpu_pct=server_cpu, client_cpu_pct=worker_cpu, machine_cpu_pct=machine,
            other_cpu_pct=other, rss_peak_kib=peak_rss, rss_after_kib=rss_after, notes=notes,
        )

    for p in procs:
        p.join(10)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
