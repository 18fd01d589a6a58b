#!/usr/bin/env bash
# Runs every test: installs the project-local test peers, then the whole Maven build with its unit,
# integration, contract, architecture and system tests. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
bin/setup-peers
export AURAISON_PEERS_REQUIRED=1
exec ./mvnw -B -ntp verify "$@"
