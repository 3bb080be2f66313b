#!/usr/bin/env bash
# Fetches the QuickJS source package from Debian (trixie carries it; Debian 12
# does not) without touching the system's apt configuration: a private apt
# state directory holds a single deb-src entry whose mirror is read from the
# machine's own Debian sources. Usage: fetch-quickjs.sh DEST_DIR
# Leaves the unpacked source in DEST_DIR/quickjs-$VERSION.
set -euo pipefail

VERSION=2025.04.26
dest=${1:?usage: fetch-quickjs.sh DEST_DIR}
src_dir="$dest/quickjs-$VERSION"
[ -f "$src_dir/quickjs.c" ] && exit 0

# The first Debian archive URI the machine already uses (deb822 or one-line).
find_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" || $1 == "deb-src" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*\/debian\/?$/) { print $i; exit } }' "$f"
  done
}
mirror=$(find_mirror | head -n 1)
if [ -z "$mirror" ]; then
  echo "fetch-quickjs: no Debian mirror found in /etc/apt; cannot fetch the quickjs source package" >&2
  exit 1
fi

apt_dir="$dest/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts" "$apt_dir/prefs" "$dest/download"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$apt_dir/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/parts"
  -o "Dir::Etc::PreferencesParts=$apt_dir/prefs"
  -o "Dir::State=$apt_dir"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=root"
)
echo "fetch-quickjs: fetching quickjs $VERSION source package"
apt-get -qq "${apt_opts[@]}" update
(cd "$dest/download" && apt-get -qq "${apt_opts[@]}" source --download-only quickjs)
tarball=$(ls "$dest/download"/quickjs_"$VERSION".orig.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "fetch-quickjs: Debian trixie no longer carries quickjs $VERSION (got: $(ls "$dest/download"))" >&2; exit 1; }
tar -xf "$tarball" -C "$dest"
[ -f "$src_dir/quickjs.c" ] || { echo "fetch-quickjs: $tarball did not unpack to $src_dir" >&2; exit 1; }
