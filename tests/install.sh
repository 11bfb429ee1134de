#!/usr/bin/env bash
# What `cmake --install` lays out and what `cpack -G DEB` packages, checked as a desktop and apt
# would see them. Usage: install.sh BUILD_DIR
set -euo pipefail
build="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

# The binary runs from the prefix.
[[ -x "$prefix/bin/mdnviz" ]] || fail "bin/mdnviz missing or not executable"
version="$(QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0 "$prefix/bin/mdnviz" --version)"
[[ "$version" == mdnviz\ * ]] || fail "bin/mdnviz --version printed '$version'"

# The desktop entry and the metainfo pass their validators.
desktop="$prefix/share/applications/mdnviz.desktop"
[[ -f "$desktop" ]] || fail "share/applications/mdnviz.desktop missing"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $desktop"
metainfo="$prefix/share/metainfo/io.github.mdnviz.metainfo.xml"
[[ -f "$metainfo" ]] || fail "share/metainfo/io.github.mdnviz.metainfo.xml missing"
appstreamcli validate --no-net "$metainfo" >/dev/null || fail "appstreamcli rejects $metainfo"
grep -q "<launchable type=\"desktop-id\">mdnviz.desktop</launchable>" "$metainfo" ||
  fail "the metainfo does not launch mdnviz.desktop"

# The icon at every size of the hicolor theme, each a PNG of its size.
for size in 16 24 32 48 64 128 256; do
  icon="$prefix/share/icons/hicolor/${size}x${size}/apps/mdnviz.png"
  file -b "$icon" 2>/dev/null | grep -q "PNG image data, $size x $size" ||
    fail "icon ${size}x${size}: $(file -b "$icon" 2>&1)"
done

# The man page is --help's: every option is in it.
man="$prefix/share/man/man1/mdnviz.1.gz"
if [[ -f "$man" ]]; then
  page="$(zcat "$man")"
  for option in headless dataset export-svg export-pdf export-animation frames fps format; do
    grep -q -- "--$option" <<<"${page//\\-/-}" || fail "the man page lacks --$option"
  done
  grep -q '^\.SH EXAMPLES' <<<"$page" || fail "the man page has no EXAMPLES"
  grep -q '^\.TH MDNVIZ "1"' <<<"$page" || fail "the man page's title is not MDNVIZ(1): $(grep '^\.TH' <<<"$page")"
  if grep -q 'QStandardPaths\|XDG_RUNTIME' <<<"$page"; then fail "the man page holds the program's warnings"; fi
else
  fail "share/man/man1/mdnviz.1.gz missing"
fi

# The Debian package: the same files, and Depends naming Debian's Qt 6 runtime packages.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >/dev/null
deb="$(ls "$work"/deb/mdnviz_*.deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for package in libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libqt6svg6 libgif7 qt6-qpa-plugins; do
  grep -qE "(^|, )$package( |,|$)" <<<"$depends" || fail "Depends lacks $package"
done
contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/mdnviz ./usr/share/applications/mdnviz.desktop \
            ./usr/share/metainfo/io.github.mdnviz.metainfo.xml ./usr/share/man/man1/mdnviz.1.gz \
            ./usr/share/icons/hicolor/48x48/apps/mdnviz.png; do
  grep -q " $path\$" <<<"$contents" || fail "the .deb lacks $path"
done

[[ $failures -eq 0 ]] && echo "install layout and package: OK"
exit $((failures > 0))
