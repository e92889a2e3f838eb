"""A small HTTP/1.1 keep-alive load generator on bare asyncio streams.

The machines this runs on have two cores, shared with the server under test, so the client
must cost little: the request bytes are built once, and a response is read by its
Content-Length without any HTTP library in between.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes_read: int = 0
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]


def post_request(host: str, port: int, path: str, body: dict[str, object]) -> bytes:
    payload = json.dumps(body, separators=(",", ":")).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise RuntimeError("response without Content-Length")
    return status, await reader.readexactly(length)


def check_body(body: bytes) -> None:
    """Fail loudly if the server answered with GraphQL errors: a fast error is no result."""
    document = json.loads(body)
    if document.get("errors"):
        raise RuntimeError(f"GraphQL errors: {document['errors'][:2]}")


async def _connection(
    host: str,
    port: int,
    request: bytes,
    deadline: float,
    budget: list[int],
    result: Result,
    delay: float = 0.0,
) -> None:
    # Connections opened all at once are all taken by whichever worker wakes first (its accept
    # loop drains the backlog); a few milliseconds apart, the workers share them, as they do
    # behind a load balancer.
    await asyncio.sleep(delay)
    reader, writer = await asyncio.open_connection(host, port)
    try:
        first = True
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            status, body = await _read_response(reader)
            result.latencies.append(time.perf_counter() - started)
            result.bytes_read += len(body)
            if status != 200:
                result.errors += 1
            elif first:
                check_body(body)
                first = False
    finally:
        writer.close()
        await writer.wait_closed()


CONNECT_SPACING = 0.005


async def drive(
    host: str, port: int, request: bytes, *, connections: int, seconds: float, max_requests: int
) -> Result:
    """Keep `connections` requests in flight until `seconds` pass or `max_requests` are sent."""
    result = Result()
    t0 = time.perf_counter()
    budget = [max_requests]
    deadline = t0 + seconds
    await asyncio.gather(
        *(
            _connection(host, port, request, deadline, budget, result, CONNECT_SPACING * n)
            for n in range(connections)
        )
    )
    result.elapsed = time.perf_counter() - t0
    return result
