#!/usr/bin/env bash
# Build netviz's Linux installers from a clean clone, and smoke-test what was built.
#
#   packaging/build.sh
#
# writes, for VERSION = netviz/__init__.py's __version__ (the one version string):
#   dist/netviz-VERSION-linux-x86_64.tar.gz   the portable one-folder bundle (netviz-VERSION/netviz)
#   dist/netviz_VERSION_amd64.deb             /opt/netviz, /usr/bin/netviz, desktop entry, icons,
#                                             AppStream metainfo; Depends from dpkg-shlibdeps
# and runs the frozen bundle's --frozen-check and --self-test from another working directory,
# offscreen and (when xvfb-run is there) under Xvfb with Qt's real xcb platform.
#
# Needs: python3 (3.11+) with venv, dpkg-deb and dpkg-shlibdeps (dpkg-dev), and the system
# libraries Qt needs (the README's apt-get line). Only PyPI is used, through pip.
# Environment:
#   NETVIZ_BUILD_PYTHON  a Python that has (or may get) netviz's deps and PyInstaller; default:
#                        a venv in build/venv, made here and filled with pip install -e '.[packaging]'
#   NETVIZ_DIST          where the installers go (default: dist/)
#   NETVIZ_SKIP_XVFB=1   skip the Xvfb run (the offscreen runs always happen)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf 'build.sh: %s\n' "$*"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }
START=$SECONDS

# ---- the one version string ----------------------------------------------------------------
VERSION=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' netviz/__init__.py)
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([.+~a-z0-9-]*)?$ ]] || die "no usable __version__ in netviz/__init__.py (got '$VERSION')"
METAINFO=resources/io.github.netviz.metainfo.xml
META_VERSION=$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$METAINFO" | head -n1)
[[ $META_VERSION == "$VERSION" ]] || die "$METAINFO's newest <release> is '$META_VERSION', netviz/__init__.py says '$VERSION': add a <release> for $VERSION"
grep -q "^## \[$VERSION\]" CHANGELOG.md || die "CHANGELOG.md has no '## [$VERSION]' section"
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
MACHINE=$(uname -m)
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (apt-get install dpkg)"
command -v dpkg-shlibdeps >/dev/null || die "dpkg-shlibdeps is missing (apt-get install dpkg-dev)"
say "netviz $VERSION for $MACHINE ($ARCH)"

DIST=${NETVIZ_DIST:-$ROOT/dist}
WORK=$ROOT/build/packaging
BUNDLE=$WORK/dist/netviz
mkdir -p "$DIST" "$WORK"
# One build at a time in this clone (two test runs at once would share build/packaging).
exec 9>"$ROOT/build/packaging.lock"
flock 9

# ---- the build environment (PyInstaller never becomes a runtime dependency) ----------------
if [[ -n ${NETVIZ_BUILD_PYTHON:-} ]]; then
    PY=$NETVIZ_BUILD_PYTHON
else
    [[ -x build/venv/bin/python ]] || python3 -m venv build/venv
    PY=$ROOT/build/venv/bin/python
fi
if ! "$PY" -c 'import PyInstaller, PySide6.QtSvg, pyqtgraph, numpy' 2>/dev/null; then
    say "installing the build requirements into $PY (pip install -e '.[packaging]')"
    "$PY" -m pip install --quiet --disable-pip-version-check -e ".[packaging]"
fi
say "PyInstaller $("$PY" -m PyInstaller --version) on $("$PY" -c 'import sys; print(sys.version.split()[0])')"

# ---- icons from the one SVG ----------------------------------------------------------------
rm -rf "$WORK/icons"
QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py "$WORK/icons"

# ---- the one-folder bundle -----------------------------------------------------------------
rm -rf "$WORK/dist"
NETVIZ_ICON_DIR=$WORK/icons "$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$WORK/dist" --workpath "$WORK/work" packaging/netviz.spec
[[ -x $BUNDLE/netviz ]] || die "PyInstaller made no $BUNDLE/netviz"

# What freezing can lose, checked on the files: every resource, and the Qt plugins netviz needs.
diff <(cd netviz/resources && find . -type f ! -name .gitkeep | sort) \
     <(cd "$BUNDLE/_internal/netviz/resources" && find . -type f | sort) \
    || die "the bundle's netviz/resources differ from the source's (see the diff above)"
for plugin in platforms/libqxcb.so platforms/libqoffscreen.so iconengines/libqsvgicon.so imageformats/libqsvg.so \
              xcbglintegrations/libqxcb-glx-integration.so; do
    [[ -f $BUNDLE/_internal/PySide6/Qt/plugins/$plugin ]] \
        || die "the bundle lacks the Qt plugin $plugin (is the system library it needs installed? see the README)"
done
GOT=$("$BUNDLE/netviz" --version)
[[ $GOT == "netviz $VERSION" ]] || die "the bundle says '$GOT', expected 'netviz $VERSION'"

# ---- smoke tests, from another working directory -------------------------------------------
smoke() {  # smoke LABEL ENV... -- runs --frozen-check and --self-test with that environment
    local label=$1; shift
    local elsewhere; elsewhere=$(mktemp -d)
    for check in --frozen-check --self-test; do
        (cd "$elsewhere" && env -u QT_QPA_PLATFORM XDG_CONFIG_HOME="$elsewhere/config" XDG_DATA_HOME="$elsewhere/data" \
            XDG_CACHE_HOME="$elsewhere/cache" "$@" "$BUNDLE/netviz" "$check") \
            || { rm -rf "$elsewhere"; die "the frozen bundle's $check failed ($label)"; }
    done
    rm -rf "$elsewhere"
}
smoke offscreen QT_QPA_PLATFORM=offscreen
if [[ ${NETVIZ_SKIP_XVFB:-0} != 1 ]] && command -v xvfb-run >/dev/null && command -v xauth >/dev/null; then
    smoke "Xvfb, xcb" xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" env QT_QPA_PLATFORM=xcb
else
    say "note: no Xvfb run (xvfb-run/xauth missing or NETVIZ_SKIP_XVFB=1)"
fi

# ---- the portable tarball ------------------------------------------------------------------
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
TARBALL=$DIST/netviz-$VERSION-linux-$MACHINE.tar.gz
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$WORK/dist" --transform "s,^netviz,netviz-$VERSION," -cf - netviz | gzip -n -6 > "$TARBALL.part"
mv -f "$TARBALL.part" "$TARBALL"  # whole or not at all: a reader never sees half a file

# ---- the Debian package --------------------------------------------------------------------
STAGE=$WORK/deb/netviz_${VERSION}_$ARCH
rm -rf "$WORK/deb"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/metainfo" "$STAGE/usr/share/icons" "$STAGE/usr/share/doc/netviz"
cp -a "$BUNDLE" "$STAGE/opt/netviz"
cat > "$STAGE/usr/bin/netviz" <<'EOF'
#!/bin/sh
# netviz is installed under /opt/netviz (a self-contained PyInstaller bundle).
exec /opt/netviz/netviz "$@"
EOF
chmod 755 "$STAGE/usr/bin/netviz"
install -m 644 resources/netviz.desktop "$STAGE/usr/share/applications/netviz.desktop"
install -m 644 "$METAINFO" "$STAGE/usr/share/metainfo/io.github.netviz.metainfo.xml"
cp -r "$WORK/icons/hicolor" "$STAGE/usr/share/icons/hicolor"
gzip -n -9 -c CHANGELOG.md > "$STAGE/usr/share/doc/netviz/changelog.gz"
cat > "$STAGE/usr/share/doc/netviz/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: netviz

Files: opt/netviz/_internal/netviz/* usr/bin/netviz usr/share/*
Copyright: 2026 The netviz developers
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this software
 and associated documentation files (the "Software"), to deal in the Software without
 restriction, including without limitation the rights to use, copy, modify, merge, publish,
 distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
 Software is furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies or
 substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
 BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
 DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

Files: opt/netviz/_internal/*
Comment: The bundled Python, Qt (PySide6), pyqtgraph and NumPy keep their own licences
 (PSF, LGPL-3.0, MIT, BSD-3-Clause); see their dist-info folders in the bundle.
EOF
find "$STAGE" -type d -exec chmod 755 {} +

# Depends: every system library any ELF file in the bundle links to, with the minimum versions
# from the libraries' symbol files, as Debian computes them for its own packages.
mapfile -t ELF < <(find "$STAGE/opt/netviz" -type f \( -name '*.so' -o -name '*.so.*' -o -name netviz \) \
                    -exec sh -c 'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
mapfile -t LIBDIRS < <(printf '%s\n' "${ELF[@]}" | xargs -n1 dirname | sort -u | sed 's/^/-l/')
mkdir -p "$WORK/deb/shlibs/debian"
printf 'Source: netviz\n\nPackage: netviz\nArchitecture: %s\n' "$ARCH" > "$WORK/deb/shlibs/debian/control"
DEPENDS=$(cd "$WORK/deb/shlibs" && dpkg-shlibdeps -O --ignore-missing-info "${LIBDIRS[@]}" "${ELF[@]}" 2>"$WORK/deb/shlibdeps.log" \
          | sed -n 's/^shlibs:Depends=//p') || { cat "$WORK/deb/shlibdeps.log" >&2; die "dpkg-shlibdeps failed"; }
[[ $DEPENDS == *libxcb-cursor0* && $DEPENDS == *libc6* ]] || die "dpkg-shlibdeps found no xcb dependencies: '$DEPENDS'"

cat > "$STAGE/DEBIAN/control" <<EOF
Package: netviz
Version: $VERSION
Architecture: $ARCH
Maintainer: The netviz developers <netviz@example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $DEPENDS
Section: education
Priority: optional
Description: see backpropagation, one number at a time
 netviz is a desktop application that teaches backpropagation. It shows a small
 feed-forward network as a diagram with every number on it; edit a weight by
 typing on its label, press Step or Play, and watch the forward values and the
 gradients flow while a live plot shows the loss falling.
 .
 This package is a self-contained bundle (Python, Qt, NumPy) under /opt/netviz.
EOF
DEB=$DIST/netviz_${VERSION}_$ARCH.deb
# xz level 3: 10 % larger than the default level 6 and half the time (CI has two cores).
dpkg-deb --root-owner-group -Zxz -z3 --build "$STAGE" "$DEB.part" >/dev/null
dpkg-deb --info "$DEB.part" >/dev/null || die "dpkg-deb cannot read back $DEB.part"
mv -f "$DEB.part" "$DEB"

size() { du -sh --apparent-size "$1" | cut -f1; }
say "bundle $(size "$BUNDLE") unpacked; $(basename "$TARBALL") $(size "$TARBALL"); $(basename "$DEB") $(size "$DEB")"
say "Depends: $DEPENDS"
say "done in $((SECONDS - START)) s"
