#!/usr/bin/env bash
# Regenerates the sentiment lexicon the email classifier ships:
#   crank-workers/src/main/resources/dev/crank/workers/emailclassifier/vader/vader_lexicon.txt
# from the npm package vader-sentiment (a JavaScript port of VADER that ships VADER's own lexicon file,
# 7,517 entries; the lexicon is C.J. Hutto's, MIT, see LICENSE-VADER.txt beside it). Run from anywhere;
# only needed to move to a newer package version (update the version and checksum below).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/crank-workers/src/main/resources/dev/crank/workers/emailclassifier/vader"
package="vader-sentiment@1.1.3"
sha256="de3c50aee6ffe2bc7929f50a69b0a3905d7b63f6fb103c2397517aff799851d2"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
echo "$sha256  $tarball" | sha256sum --check --quiet -
tar -xzf "$tarball" -C "$work" package/vader_lexicon.txt
mkdir -p "$target"
cp "$work/package/vader_lexicon.txt" "$target/vader_lexicon.txt"
printf 'vader_lexicon.txt: %d entries from %s\n' "$(grep -c . "$target/vader_lexicon.txt")" "$package"
