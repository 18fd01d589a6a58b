"""Captures golden byte vectors from the real eclipse-zenoh (1.x) Python package.

It starts a router (router.py) on loopback, puts a small TCP proxy in front of it and runs scenarios with
client-mode Python sessions that connect through the proxy. The proxy cuts each TCP stream into batches
(2-byte little-endian length prefix) and writes one line per batch:

    <connection>:<direction> <hex of the batch, without the length prefix>

connection is the client's name in the scenario (a, b), direction c2r (client to router) or r2c.
One file per scenario: <out>/<scenario>.txt, with a header comment naming the zenoh version.

Usage: capture_vectors.py [--out transport-zenoh/src/test/resources/vectors]
"""

import argparse
import pathlib
import socket
import struct
import subprocess
import sys
import threading
import time

import zenoh

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    """Forwards loopback TCP connections to the router and records every batch."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.lock = threading.Lock()
        self.lines: list[str] = []
        self.names: list[str] = []
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def start_scenario(self, names: list[str]) -> None:
        with self.lock:
            self.lines = []
            self.names = names
            self.accepted = 0

    def take(self) -> list[str]:
        with self.lock:
            lines, self.lines = self.lines, []
            return lines

    def _accept(self) -> None:
        while True:
            client, _ = self.server.accept()
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                name = self.names[self.accepted] if self.accepted < len(self.names) else f"x{self.accepted}"
                self.accepted += 1
            threading.Thread(target=self._pump, args=(client, upstream, f"{name}:c2r"), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, f"{name}:r2c"), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, tag: str) -> None:
        buffer = b""
        while True:
            try:
                data = src.recv(1 << 20)
            except OSError:
                data = b""
            if not data:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            buffer += data
            while len(buffer) >= 2:
                (n,) = struct.unpack("<H", buffer[:2])
                if len(buffer) < 2 + n:
                    break
                with self.lock:
                    self.lines.append(f"{tag} {buffer[2:2 + n].hex()}")
                buffer = buffer[2 + n:]
            dst.sendall(data)


def client(port: int, batch_size: int | None = None, lease_ms: int | None = None) -> zenoh.Session:
    config = zenoh.Config()
    config.insert_json5("mode", '"client"')
    config.insert_json5("connect/endpoints", f'["tcp/127.0.0.1:{port}"]')
    config.insert_json5("scouting/multicast/enabled", "false")
    if batch_size is not None:
        config.insert_json5("transport/link/tx/batch_size", str(batch_size))
    if lease_ms is not None:
        config.insert_json5("transport/link/tx/lease", str(lease_ms))
    return zenoh.open(config)


def settle(seconds: float = 0.3) -> None:
    time.sleep(seconds)


def scenario_pubsub(port: int) -> None:
    a = client(port)
    settle()
    b = client(port)
    received = []
    sub = a.declare_subscriber("demo/example/**", lambda s: received.append(s))
    settle()
    b.put("demo/example/plain", b"hello")
    b.put("demo/example/typed", '{"x":1}', encoding=zenoh.Encoding.APPLICATION_JSON, attachment=b"att")
    b.put("demo/example/schema", b"x", encoding=zenoh.Encoding("text/plain;utf8"))
    b.put("demo/example/urgent", b"now", priority=zenoh.Priority.REAL_TIME, express=True,
          congestion_control=zenoh.CongestionControl.BLOCK)
    b.put("demo/example/stamped", b"t", timestamp=b.new_timestamp())
    b.delete("demo/example/plain", attachment=b"bye")
    ke = b.declare_keyexpr("demo/example/declared")
    pub = b.declare_publisher(ke)
    pub.put(b"via declared key")
    settle()
    pub.undeclare()
    b.undeclare(ke)
    sub.undeclare()
    settle()
    b.close()
    a.close()
    settle()
    if len(received) < 6:
        raise SystemExit(f"pubsub: the subscriber saw {len(received)} samples, expected 7")


def scenario_query(port: int) -> None:
    a = client(port)
    settle()
    b = client(port)

    def answer(query: zenoh.Query) -> None:
        if query.parameters.get("fail") is not None:
            query.reply_err(b"refused", encoding=zenoh.Encoding.TEXT_PLAIN)
            return
        query.reply(query.key_expr, b"answer", encoding=zenoh.Encoding.TEXT_PLAIN, attachment=b"meta")
        query.reply_del(query.key_expr)

    qbl = a.declare_queryable("demo/q/**", answer, complete=True)
    settle()
    replies = list(b.get("demo/q/one?x=1", payload=b"question", attachment=b"ask", timeout=5,
                         target=zenoh.QueryTarget.ALL, consolidation=zenoh.ConsolidationMode.NONE))
    replies += list(b.get("demo/q/two?fail=1", timeout=5))
    querier = b.declare_querier("demo/q/three", timeout=5)
    replies += list(querier.get())
    querier.undeclare()
    qbl.undeclare()
    settle()
    b.close()
    a.close()
    settle()
    # the querier's default consolidation keeps one of the two replies on the same key
    if len(replies) != 4:
        raise SystemExit(f"query: got {len(replies)} replies, expected 4")


def scenario_liveliness(port: int) -> None:
    a = client(port)
    settle()
    b = client(port)
    token = a.liveliness().declare_token("group/member/a")
    settle()
    alive = list(b.liveliness().get("group/**", timeout=5))
    seen = []
    sub = b.liveliness().declare_subscriber("group/**", lambda s: seen.append(s), history=True)
    settle()
    token2 = a.liveliness().declare_token("group/member/b")
    settle()
    token.undeclare()
    token2.undeclare()
    settle()
    sub.undeclare()
    settle()
    b.close()
    a.close()
    settle()
    if len(alive) != 1 or len(seen) < 3:
        raise SystemExit(f"liveliness: get saw {len(alive)}, subscriber saw {len(seen)}")


def scenario_fragment(port: int) -> None:
    # A small batch size on both links makes the router and the client fragment a 5000-byte payload.
    a = client(port, batch_size=1024)
    settle()
    b = client(port, batch_size=1024)
    received = []
    sub = a.declare_subscriber("demo/big", lambda s: received.append(s))
    settle()
    b.put("demo/big", bytes(i % 251 for i in range(5000)))
    settle(0.5)
    sub.undeclare()
    b.close()
    a.close()
    settle()
    if len(received) != 1 or len(received[0].payload.to_bytes()) != 5000:
        raise SystemExit("fragment: the 5000-byte sample did not arrive whole")


def scenario_keepalive(port: int) -> None:
    a = client(port, lease_ms=1000)
    settle(1.2)
    a.close()
    settle()


SCENARIOS = {
    "pubsub": (["a", "b"], scenario_pubsub),
    "query": (["a", "b"], scenario_query),
    "liveliness": (["a", "b"], scenario_liveliness),
    "fragment": (["a", "b"], scenario_fragment),
    "keepalive": (["a"], scenario_keepalive),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "transport-zenoh/src/test/resources/vectors"))
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    router_port = free_port()
    router = subprocess.Popen(
        [sys.executable, str(HERE / "router.py"), "--listen", f"tcp/127.0.0.1:{router_port}", "--lease-ms", "1000"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = router.stdout.readline()
        if not line.startswith("READY"):
            raise SystemExit(f"router did not start: {line!r}")
        proxy = Proxy(router_port)
        version = "eclipse-zenoh " + _version()
        for name, (clients, run) in SCENARIOS.items():
            if args.only and name not in args.only:
                continue
            proxy.start_scenario(clients)
            run(proxy.port)
            lines = proxy.take()
            header = [f"# {name}: captured from {version} by tools/peers/zenoh/capture_vectors.py",
                      "# <client>:<c2r|r2c> <batch hex, without the 2-byte length prefix>"]
            (out / f"{name}.txt").write_text("\n".join(header + lines) + "\n")
            print(f"{name}: {len(lines)} batches")
    finally:
        router.stdin.close()
        try:
            router.wait(timeout=10)
        except subprocess.TimeoutExpired:
            router.kill()


def _version() -> str:
    from importlib.metadata import version
    return version("eclipse-zenoh")


if __name__ == "__main__":
    main()
