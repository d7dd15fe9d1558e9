#!/usr/bin/env bash
# Issue 17 item 5c: CrankClient's nested value types became top-level types of dev.crank.core.
# Run from the repository root over code written against the old names; idempotent.
set -euo pipefail
types="ClientRequest ClientResponse StreamedResponse BodyReader NotSentException"
grep -rlE 'CrankClient\.(Request|Response|StreamedResponse|BodyReader|NotSentException)\b' --include=*.java --include=*.md . \
    | grep -v '/target/' | while read -r f; do
  perl -pi -e 's/\bCrankClient\.Request\b/ClientRequest/g; s/\bCrankClient\.Response\b/ClientResponse/g;
                s/\bCrankClient\.(StreamedResponse|BodyReader|NotSentException)\b/$1/g' "$f"
  case "$f" in *.java) ;; *) continue ;; esac
  grep -q '^package dev\.crank\.core;' "$f" && continue
  for t in $types; do
    if grep -qw "$t" "$f" && ! grep -q "^import dev\.crank\.core\.$t;" "$f"; then
      perl -0pi -e "s/^(import [^\n]+;\n)/\$1import dev.crank.core.$t;\n/m" "$f"
    fi
  done
  # drop an import of CrankClient that nothing uses any more
  if [ "$(grep -cw CrankClient "$f")" = 1 ]; then sed -i '/^import dev\.crank\.core\.CrankClient;$/d' "$f"; fi
done
