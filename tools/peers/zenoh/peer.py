"""A scriptable eclipse-zenoh client session, the Python counterpart of the Java interop tests.

Usage: peer.py --connect tcp/127.0.0.1:7447

Reads one JSON command per line on stdin and writes one JSON event per line on stdout. Every command may carry a
"seq"; once the command has been carried out the peer prints {"event": "done", "seq": <seq>}. Commands:

  {"op": "put", "key": K, "payload": HEX, "encoding": STR?, "attachment": HEX?}
  {"op": "delete", "key": K}
  {"op": "sub", "id": NAME, "key": K}             -> {"event": "sample", "sub": NAME, "key", "payload", "kind",
                                                       "encoding", "attachment", "timestamped"}
  {"op": "unsub", "id": NAME}
  {"op": "queryable", "id": NAME, "key": K, "reply": HEX, "complete": BOOL?}
                                                  -> {"event": "query", "queryable": NAME, "selector", "payload"}
  {"op": "get", "id": NAME, "selector": S, "payload": HEX?, "timeout": SECONDS?}
                                                  -> {"event": "reply", "get": NAME, "ok", "key", "payload"} ...
                                                     {"event": "get_done", "get": NAME}
  {"op": "token", "id": NAME, "key": K} / {"op": "untoken", "id": NAME}
  {"op": "lsub", "id": NAME, "key": K, "history": BOOL?}
                                                  -> {"event": "liveliness", "sub": NAME, "key", "kind"}
  {"op": "lget", "id": NAME, "key": K}            -> {"event": "alive", "get": NAME, "key"} ... {"event": "lget_done"}
  {"op": "pub_burst", "key": K, "count": N, "size": BYTES}   (puts N payloads of SIZE bytes, congestion block)
  {"op": "sync"}   a get nobody answers: once it ends, the router has processed everything this session sent

It exits when stdin closes.
"""

import argparse
import json
import sys
import threading
import uuid

import zenoh

_out_lock = threading.Lock()


def emit(**event) -> None:
    line = json.dumps(event)
    with _out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def hexof(zbytes) -> str | None:
    return None if zbytes is None else zbytes.to_bytes().hex()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True)
    parser.add_argument("--mode", default="client")
    args = parser.parse_args()

    config = zenoh.Config()
    config.insert_json5("mode", json.dumps(args.mode))
    config.insert_json5("connect/endpoints", json.dumps([args.connect]))
    config.insert_json5("scouting/multicast/enabled", "false")
    session = zenoh.open(config)
    declared: dict[str, object] = {}
    emit(event="ready", zid=str(session.zid()))

    def on_sample(name):
        def callback(sample: zenoh.Sample) -> None:
            emit(event="sample", sub=name, key=str(sample.key_expr), payload=hexof(sample.payload),
                 kind=str(sample.kind).split(".")[-1], encoding=str(sample.encoding),
                 attachment=hexof(sample.attachment), timestamped=sample.timestamp is not None)
        return callback

    def on_query(name, reply: bytes):
        def callback(query: zenoh.Query) -> None:
            emit(event="query", queryable=name, selector=str(query.selector), payload=hexof(query.payload))
            query.reply(query.key_expr, reply)
        return callback

    def run_get(name: str, command: dict) -> None:
        kwargs = {"timeout": command.get("timeout", 5)}
        if command.get("payload") is not None:
            kwargs["payload"] = bytes.fromhex(command["payload"])
        for reply in session.get(command["selector"], **kwargs):
            if reply.ok is not None:
                emit(event="reply", get=name, ok=True, key=str(reply.ok.key_expr), payload=hexof(reply.ok.payload))
            else:
                emit(event="reply", get=name, ok=False, key=None, payload=hexof(reply.err.payload))
        emit(event="get_done", get=name)

    def run_lget(name: str, key: str) -> None:
        for reply in session.liveliness().get(key, timeout=5):
            if reply.ok is not None:
                emit(event="alive", get=name, key=str(reply.ok.key_expr))
            else:
                emit(event="alive_error", get=name, message=str(reply.err.payload.to_bytes()))
        emit(event="lget_done", get=name)

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        command = json.loads(line)
        op = command["op"]
        try:
            if op == "put":
                kwargs = {}
                if command.get("encoding"):
                    kwargs["encoding"] = zenoh.Encoding(command["encoding"])
                if command.get("attachment") is not None:
                    kwargs["attachment"] = bytes.fromhex(command["attachment"])
                session.put(command["key"], bytes.fromhex(command["payload"]), **kwargs)
            elif op == "delete":
                session.delete(command["key"])
            elif op == "sub":
                declared[command["id"]] = session.declare_subscriber(command["key"], on_sample(command["id"]))
            elif op == "queryable":
                declared[command["id"]] = session.declare_queryable(
                    command["key"], on_query(command["id"], bytes.fromhex(command["reply"])),
                    complete=command.get("complete", False))
            elif op == "get":
                threading.Thread(target=run_get, args=(command["id"], command), daemon=True).start()
            elif op == "token":
                declared[command["id"]] = session.liveliness().declare_token(command["key"])
            elif op == "lsub":
                declared[command["id"]] = session.liveliness().declare_subscriber(
                    command["key"], on_sample(command["id"]), history=command.get("history", False))
            elif op == "lget":
                threading.Thread(target=run_lget, args=(command["id"], command["key"]), daemon=True).start()
            elif op in ("unsub", "untoken"):
                declared.pop(command["id"]).undeclare()
            elif op == "sync":
                for _ in session.get(f"sync/{uuid.uuid4().hex}", timeout=10):
                    pass
            elif op == "pub_burst":
                publisher = session.declare_publisher(command["key"], congestion_control=zenoh.CongestionControl.BLOCK)
                payload = bytes(command["size"])
                for _ in range(command["count"]):
                    publisher.put(payload)
                publisher.undeclare()
            else:
                emit(event="error", message=f"unknown op {op}")
        except Exception as e:  # the test sees the failure as an event, the peer keeps serving
            emit(event="error", op=op, message=str(e))
        if "seq" in command:
            emit(event="done", seq=command["seq"])
    session.close()


if __name__ == "__main__":
    main()
