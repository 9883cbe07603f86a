#!/usr/bin/env bash
# Chaos: a long random fault plan and a flapping back office while callers hammer both APIs (bench/api/ApiBench,
# ChaosBench.cs says what is checked). The daemon alone against the back-office simulator in another process,
# with a short retry policy so that many faults fit in the time. Prints rows of the bench table.
#   bench/chaos/run.sh [SECONDS] [SEED]      default 600 s, seed 1; DAEMON_BIN as for bench/api/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE=0.2 MAX=5
export DAEMON_ARGS="--BackOffice:Retry:BaseDelay=00:00:0$BASE --BackOffice:Retry:MaxDelay=00:00:0$MAX \
  --BackOffice:AttemptTimeout=00:00:02 --BackOffice:CircuitBreaker:SamplingDuration=00:00:10 \
  --BackOffice:CircuitBreaker:BreakDuration=00:00:02"
PORT=${PORT:-19997} SIM_PORT=${SIM_PORT:-18082} exec "$ROOT/bench/api/run.sh" \
  --chaos "${1:-600}" --seed "${2:-1}" --retry-base "$BASE" --retry-max "$MAX"
