"""The Python half of the Zenoh benchmark: the same measurements as ai.auraison.bench.zenoh.ZenohBench, made by two
eclipse-zenoh (native Rust core) client sessions through a router.

Usage:
  bench_pair.py latency    --connect E --size 64 --warmup 1000 --count 20000
      Ping and pong in one process, each its own client session. The ping session's subscriber callback records the
      round trip and publishes the next ping (a callback chain, as the Java side does). Prints one JSON line with
      the round-trip times in microseconds: {"p50_us", "p99_us", "mean_us", "n"}.
  bench_pair.py throughput --connect E --size 1024 --seconds 4 --warmup-seconds 1
      A publisher session puts as fast as it can (congestion control block) while a subscriber session counts.
      Prints {"msgs_per_s", "bytes_per_s", "n"} measured over --seconds after --warmup-seconds.
"""

import argparse
import json
import statistics
import threading
import time

import zenoh


SHARED_MEMORY = False


def open_client(endpoint: str) -> zenoh.Session:
    config = zenoh.Config()
    config.insert_json5("mode", '"client"')
    config.insert_json5("connect/endpoints", json.dumps([endpoint]))
    config.insert_json5("scouting/multicast/enabled", "false")
    # the Java client speaks TCP only; without this the two Python sessions may hand payloads over in shared memory
    config.insert_json5("transport/shared_memory/enabled", "true" if SHARED_MEMORY else "false")
    return zenoh.open(config)


def routed(session: zenoh.Session) -> None:
    """Returns once the router processed what the session sent (a get nobody answers comes back)."""
    for _ in session.get(f"bench/sync/{time.time_ns()}", timeout=10):
        pass


def latency(args) -> None:
    ping = open_client(args.connect)
    pong = open_client(args.connect)
    pong_pub = pong.declare_publisher("bench/pong", congestion_control=zenoh.CongestionControl.BLOCK, express=True)
    pong.declare_subscriber("bench/ping", lambda s: pong_pub.put(s.payload))
    ping_pub = ping.declare_publisher("bench/ping", congestion_control=zenoh.CongestionControl.BLOCK, express=True)
    total = args.warmup + args.count
    rtts = []
    state = {"sent_at": 0, "n": 0}
    done = threading.Event()
    payload = bytes(args.size)

    def on_pong(_sample) -> None:
        now = time.perf_counter_ns()
        state["n"] += 1
        if state["n"] > args.warmup:
            rtts.append((now - state["sent_at"]) / 1000.0)
        if state["n"] >= total:
            done.set()
            return
        state["sent_at"] = time.perf_counter_ns()
        ping_pub.put(payload)

    ping.declare_subscriber("bench/pong", on_pong)
    routed(ping)
    routed(pong)
    state["sent_at"] = time.perf_counter_ns()
    ping_pub.put(payload)
    if not done.wait(args.timeout):
        raise SystemExit(f"latency: only {state['n']} of {total} round trips in {args.timeout} s")
    rtts.sort()
    print(json.dumps({
        "p50_us": statistics.median(rtts),
        "p99_us": rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))],
        "mean_us": statistics.fmean(rtts),
        "n": len(rtts),
    }), flush=True)
    ping.close()
    pong.close()


def throughput(args) -> None:
    sub = open_client(args.connect)
    pub = open_client(args.connect)
    counter = {"n": 0}
    sub.declare_subscriber("bench/thr", lambda _s: counter.__setitem__("n", counter["n"] + 1))
    routed(sub)
    publisher = pub.declare_publisher("bench/thr", congestion_control=zenoh.CongestionControl.BLOCK)
    payload = bytes(args.size)
    running = threading.Event()
    running.set()

    def publish() -> None:
        while running.is_set():
            publisher.put(payload)

    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    time.sleep(args.warmup_seconds)
    start_n, start = counter["n"], time.perf_counter()
    time.sleep(args.seconds)
    end_n, end = counter["n"], time.perf_counter()
    running.clear()
    thread.join(10)
    n = end_n - start_n
    print(json.dumps({
        "msgs_per_s": n / (end - start),
        "bytes_per_s": n * args.size / (end - start),
        "n": n,
    }), flush=True)
    pub.close()
    sub.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["latency", "throughput"])
    parser.add_argument("--connect", required=True)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--warmup-seconds", type=float, default=1)
    parser.add_argument("--shared-memory", action="store_true", help="let the sessions use shared memory")
    args = parser.parse_args()
    global SHARED_MEMORY
    SHARED_MEMORY = args.shared_memory
    if args.mode == "latency":
        latency(args)
    else:
        throughput(args)


if __name__ == "__main__":
    main()
