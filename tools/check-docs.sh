#!/usr/bin/env bash
# Runs the commands of docs/writing-a-worker.md and docs/operations.md as written, in a fresh clone of this
# repository (its committed HEAD), and checks the code excerpts against the files they quote.
#
# In those documents:
#   ```bash blocks                         run in order from the clone's root, each with `set -euo pipefail`;
#                                          they must exit 0
#   <!-- check-docs: expect exit N -->     before a block: it must exit N instead
#   <!-- check-docs: background, ready when the log shows "TEXT" -->
#                                          before a block: a server; started in the background, ready once its
#                                          output contains TEXT; sent SIGTERM when the document is done, and
#                                          must then exit 0
#   <!-- check-docs: skip, REASON -->      before a block: not run (reported)
#   <!-- check-docs: excerpt of FILE -->   before any other block: each of its lines (trimmed, "// ..." lines
#                                          aside) must be a line of FILE
#
# Usage: tools/check-docs.sh [--offline] [--keep] [doc.md ...]
#   --offline  run every mvn with -o, for machines without network
#   --keep     keep the scratch folder
# It needs the ports the documents use (9000, 8500-8508, 8600) to be free.
set -uo pipefail

ROOT=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
OFFLINE=0
KEEP=0
DOCS=()
for arg in "$@"; do
  case "$arg" in
    --offline) OFFLINE=1 ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) DOCS+=("$arg") ;;
  esac
done
[ ${#DOCS[@]} -gt 0 ] || DOCS=(docs/writing-a-worker.md docs/operations.md)

for port in 9000 8500 8600; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "check-docs: port $port is in use; the documents need it free" >&2
    exit 2
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/crank-check-docs.XXXXXX")
PIDS=()
PASSED=0
FAILED=0
SKIPPED=0

stop_servers() {
  local pid status
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid"
    status=$?
    if [ "$status" -eq 0 ]; then
      echo "   server $pid stopped gracefully (exit 0)"
    else
      echo "   FAILED: server $pid exited with $status after SIGTERM"
      FAILED=$((FAILED + 1))
    fi
  done
  PIDS=()
}

finish() {
  stop_servers
  if [ "$KEEP" -eq 0 ]; then
    rm -rf "$WORK"
  else
    echo "check-docs: kept $WORK"
  fi
}
trap finish EXIT

echo "check-docs: fresh clone of $ROOT ($(git -C "$ROOT" rev-parse --short HEAD)) in $WORK/crank"
if [ -n "$(git -C "$ROOT" status --porcelain)" ]; then
  echo "check-docs: note: uncommitted changes in $ROOT are not part of the clone"
fi
git clone -q "$ROOT" "$WORK/crank" || exit 2
cd "$WORK/crank" || exit 2
if [ "$OFFLINE" -eq 1 ]; then
  # Every mvn the documents run, wherever its pom is, goes offline.
  mkdir -p "$WORK/bin"
  printf '#!/bin/sh\nexec %s -o "$@"\n' "$(command -v mvn)" > "$WORK/bin/mvn"
  chmod +x "$WORK/bin/mvn"
  export PATH="$WORK/bin:$PATH"
fi

show() { # a log, indented: Maven's summary lines, or the last lines of anything else
  if grep -q '^\[INFO\] BUILD \|^\[ERROR\]' "$1"; then
    grep -E 'Tests run:|BUILD|ERROR' "$1" | awk '{ print "   | " $0 }'
  else
    tail -n "${2:-25}" "$1" | awk '{ print "   | " $0 }'
  fi
}

check_excerpt() { # doc line file block
  local where="$1:$2" file=$3 block=$4 line trimmed missing=0 lines
  if [ ! -f "$file" ]; then
    echo "== $where: FAILED: excerpt of $file, which does not exist"
    FAILED=$((FAILED + 1))
    return
  fi
  lines="$WORK/excerpt.lines"
  sed 's/^[[:space:]]*//; s/[[:space:]]*$//' "$file" > "$lines"
  while IFS= read -r line; do
    trimmed=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    [ -z "$trimmed" ] && continue
    [[ "$trimmed" == "// ..."* ]] && continue
    if ! grep -qxF -- "$trimmed" "$lines"; then
      echo "   not in $file: $trimmed"
      missing=1
    fi
  done <<< "$block"
  if [ "$missing" -eq 0 ]; then
    echo "== $where: excerpt of $file matches"
    PASSED=$((PASSED + 1))
  else
    echo "== $where: FAILED: excerpt of $file does not match"
    FAILED=$((FAILED + 1))
  fi
}

run_block() { # doc line directive block
  local where="$1:$2" directive=$3 block=$4 log status expected text pid waited
  log="$WORK/block-$(basename "$1" .md)-$2.log"
  echo "== $where"
  printf '%s' "$block" | sed 's/^/   $ /'
  case "$directive" in
    skip*)
      echo "   SKIPPED (${directive#skip, })"
      SKIPPED=$((SKIPPED + 1))
      ;;
    background*)
      text=$(printf '%s' "$directive" | sed -n 's/.*ready when the log shows "\(.*\)".*/\1/p')
      setsid bash -c "$block" > "$log" 2>&1 < /dev/null &
      pid=$!
      PIDS+=("$pid")
      waited=0
      until grep -qF -- "$text" "$log"; do
        if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 180 ]; then
          show "$log" 40
          echo "   FAILED: never showed \"$text\""
          FAILED=$((FAILED + 1))
          return
        fi
        sleep 1
        waited=$((waited + 1))
      done
      echo "   started (pid $pid), ready after ${waited}s: \"$text\""
      PASSED=$((PASSED + 1))
      ;;
    *)
      expected=0
      if [[ "$directive" =~ ^expect\ exit\ ([0-9]+) ]]; then
        expected=${BASH_REMATCH[1]}
        bash -c "$block" > "$log" 2>&1 < /dev/null
      else
        bash -euo pipefail -c "$block" > "$log" 2>&1 < /dev/null
      fi
      status=$?
      show "$log" 25
      if [ "$status" -eq "$expected" ]; then
        echo "   exit $status: ok"
        PASSED=$((PASSED + 1))
      else
        echo "   FAILED: exit $status (expected $expected)"
        FAILED=$((FAILED + 1))
      fi
      ;;
  esac
}

for doc in "${DOCS[@]}"; do
  if [ ! -f "$doc" ]; then
    echo "check-docs: no $doc in the clone" >&2
    FAILED=$((FAILED + 1))
    continue
  fi
  echo
  echo "######## $doc"
  n=0; in_block=0; directive=""; lang=""; block=""; start=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [ "$in_block" -eq 0 ]; then
      if [[ "$line" =~ ^\<\!--\ check-docs:\ (.*)\ --\>$ ]]; then
        directive=${BASH_REMATCH[1]}
      elif [[ "$line" =~ ^\`\`\`([A-Za-z]*)$ ]]; then
        in_block=1; lang=${BASH_REMATCH[1]}; block=""; start=$n
      elif [ -n "$line" ]; then
        directive=""
      fi
    elif [ "$line" = '```' ]; then
      in_block=0
      if [[ "$directive" == "excerpt of "* ]]; then
        check_excerpt "$doc" "$start" "${directive#excerpt of }" "$block"
      elif [ "$lang" = "bash" ]; then
        run_block "$doc" "$start" "$directive" "$block"
      fi
      directive=""
    else
      block+="$line"$'\n'
    fi
  done < "$doc"
  echo "== end of $doc: stopping its servers"
  stop_servers
done

echo
echo "check-docs: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
