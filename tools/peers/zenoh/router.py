"""A Zenoh router for tests: the eclipse-zenoh session opened in router mode on one TCP endpoint.

Usage: router.py --listen tcp/127.0.0.1:7447 [--lease-ms 10000]

Prints "READY <zid>" on stdout once listening, then runs until stdin reaches end of file (so it dies with
the process that started it) or it receives SIGTERM/SIGINT.
"""

import argparse
import signal
import sys

import zenoh


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--lease-ms", type=int, default=None)
    args = parser.parse_args()

    config = zenoh.Config()
    config.insert_json5("mode", '"router"')
    config.insert_json5("listen/endpoints", f'["{args.listen}"]')
    config.insert_json5("scouting/multicast/enabled", "false")
    config.insert_json5("scouting/gossip/enabled", "false")
    if args.lease_ms is not None:
        config.insert_json5("transport/link/tx/lease", str(args.lease_ms))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    session = zenoh.open(config)
    print(f"READY {session.zid()}", flush=True)
    try:
        while sys.stdin.read(4096):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        session.close()


if __name__ == "__main__":
    main()
