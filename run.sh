#!/usr/bin/env bash
# Runs the main job on embedded defaults: builds the apps, starts the central runtime (embedded PostgreSQL under
# ./data/central) and one edge runtime (./data/edge), prints their URLs, and stops both cleanly on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
JAVA_HOME="$(bin/find-jdk)"; export JAVA_HOME
CENTRAL_PORT="${CENTRAL_PORT:-8080}"
EDGE_PORT="${EDGE_PORT:-8081}"

echo "auraison: building the apps (first time: a few minutes)…"
./mvnw -q -B -ntp -DskipTests -Dspotless.check.skip=true package -pl central-runtime,edge-agent -am

mkdir -p data/logs data/keys
chmod 700 data/keys
# central is governed: its first start creates the platform admin with this key (kept here, readable only by you)
if [ -z "${AURAISON_BOOTSTRAP_ADMIN_KEY:-}" ]; then
  [ -s data/keys/bootstrap-admin.key ] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > data/keys/bootstrap-admin.key
  AURAISON_BOOTSTRAP_ADMIN_KEY="$(cat data/keys/bootstrap-admin.key)"
fi
export AURAISON_BOOTSTRAP_ADMIN_KEY
ADMIN=(-H "Authorization: Bearer $AURAISON_BOOTSTRAP_ADMIN_KEY")
pids=()
stopping=0
stop() {
  trap - INT TERM EXIT
  stopping=1
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "auraison: stopping…"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    echo "auraison: stopped."
  fi
}
trap stop INT TERM EXIT

wait_healthy() { # name url pid log
  for _ in $(seq 1 120); do
    if curl -sf "$2/actuator/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "auraison: $1 failed to start; see $4:" >&2; tail -n 5 "$4" >&2; return 1; fi
    sleep 0.5
  done
  echo "auraison: $1 did not become healthy in 60 s; see $4" >&2; return 1
}
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar central-runtime/target/central-runtime.jar --server.port="$CENTRAL_PORT" \
  --auraison.data-dir=data/central "$@" > data/logs/central.log 2>&1 &
pids+=($!)
wait_healthy central "http://127.0.0.1:$CENTRAL_PORT" "${pids[0]}" data/logs/central.log

# the edge node's own key (created once, kept in data/keys): the edge registers its agents and ships events with it
if [ ! -s data/keys/edge-1.key ]; then
  curl -sf -o /dev/null "${ADMIN[@]}" -X POST "http://127.0.0.1:$CENTRAL_PORT/api/v1/principals" -H 'Content-Type: application/json' \
    -d '{"principal": "edge-1", "kind": "edge", "roles": ["edge"]}' || true
  curl -sf "${ADMIN[@]}" -X POST "http://127.0.0.1:$CENTRAL_PORT/api/v1/principals/edge-1/keys" -H 'Content-Type: application/json' \
    -d '{}' | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p' > data/keys/edge-1.key
  [ -s data/keys/edge-1.key ] || { echo "auraison: could not create the edge's key on central; see data/logs/central.log" >&2; exit 1; }
fi

# the edge runs the four reference agents; their Pi processes send model calls to the edge's own gateway, which
# routes the virtual model "maze-demo" to the labelled OFFLINE DEMO MODEL (a deterministic maze strategy, not an LLM)
# (the key goes in the environment, not on the command line, where ps would show it)
AURAISON_EDGE_CENTRALKEY="$(cat data/keys/edge-1.key)" \
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar edge-agent/target/edge-agent.jar --server.port="$EDGE_PORT" \
  --auraison.data-dir=data/edge --auraison.edge.central-url="http://127.0.0.1:$CENTRAL_PORT" \
  --auraison.edge.demo-model.enabled=true \
  --auraison.edge.model.base-url="http://127.0.0.1:$EDGE_PORT/v1" --auraison.edge.model.name=maze-demo \
  --auraison.gateway.providers.demo.kind=OPENAI \
  --auraison.gateway.providers.demo.base-url="http://127.0.0.1:$EDGE_PORT/demo-model/v1" \
  --auraison.gateway.deployments.demo.provider=demo --auraison.gateway.deployments.demo.model=auraison-offline-demo \
  --auraison.gateway.routes.maze-demo[0]=demo > data/logs/edge.log 2>&1 &
pids+=($!)

wait_healthy edge "http://127.0.0.1:$EDGE_PORT" "${pids[1]}" data/logs/edge.log

# the demo: once the edge's turtlebot agent is registered at central, ask central to solve a maze with it
demo_intent="demo-maze-$(date +%s)"
for _ in $(seq 1 120); do
  curl -sf "${ADMIN[@]}" "http://127.0.0.1:$CENTRAL_PORT/api/v1/agents/turtlebot-maze.edge-1" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -s -o /dev/null "${ADMIN[@]}" -X POST "http://127.0.0.1:$CENTRAL_PORT/api/v1/intents" -H 'Content-Type: application/json' -d "{
  \"intentId\": \"$demo_intent\", \"type\": \"maze.solve\", \"params\": {\"maze\": \"classic-8x8\"},
  \"policyCtx\": {\"tenant\": \"default\", \"principal\": \"admin\"},
  \"targets\": [{\"agent\": \"turtlebot-maze.edge-1\"}], \"schemaVersion\": \"1.0\"}" || true

cat <<MSG

  Auraison is running.
    central runtime   http://127.0.0.1:$CENTRAL_PORT   (API docs: /swagger-ui.html, health: /actuator/health)
    edge runtime      http://127.0.0.1:$EDGE_PORT   (API docs: /swagger-ui.html, health: /actuator/health)
    logs              data/logs/central.log, data/logs/edge.log

  A demo run was submitted to central: the turtlebot-maze agent on the edge solves the classic 8x8 maze with the
  offline demo model (deterministic, not an LLM). Follow it on central (the platform admin's key is in
  data/keys/bootstrap-admin.key):
    KEY=\$(cat data/keys/bootstrap-admin.key)
    curl -H "Authorization: Bearer \$KEY" http://127.0.0.1:$CENTRAL_PORT/api/v1/intents/$demo_intent   (its runId)
    curl -N -H "Authorization: Bearer \$KEY" http://127.0.0.1:$CENTRAL_PORT/api/v1/runs/<runId>/events:stream

  Press Ctrl-C to stop both.
MSG
wait -n "${pids[@]}" || true
if [ "$stopping" = 0 ]; then echo "auraison: a runtime exited; see data/logs." >&2; exit 1; fi
