#!/usr/bin/env bash
# Runs one job of crank-training (a trainer, an evaluation, a corpus check) from the repository root:
#   tools/crank-training.sh dev.crank.workers.image.training.EvaluateImageModel [ARGS...]
# Builds crank-training and what it needs (package, tests skipped; nothing installed into ~/.m2), then starts
# the class on that build's class path. Set MVN_FLAGS=-o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
if (( $# < 1 )); then
  echo "usage: tools/crank-training.sh MAIN_CLASS [ARGS...]" >&2
  exit 2
fi
export OPT_OUT_TRACKING=true
export DJL_OFFLINE=true
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -pl crank-training -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
main="$1"
shift
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} \
    -cp "crank-training/target/classes:$(cat crank-training/target/classpath.txt)" "$main" "$@"
