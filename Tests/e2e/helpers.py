"""What the end-to-end scripts share: a check that stops at the first failure, and a
receive with a timeout (a silent server must fail the suite, not hang it)."""
import asyncio
import json
import sys


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok  ", message)


async def recv(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))
