#!/usr/bin/env bash
# run-in-trixie-rootfs.sh COMMAND [ARGS...]
# run-in-trixie-rootfs.sh --needed      exit 0 if commands would run in the rootfs on this host, 1 if directly
#
# TorchSharp 0.107's native library (libLibTorchSharp.so, libtorch 2.10) needs GLIBCXX_3.4.32, which
# libstdc++ on Debian 12 and Ubuntu 22.04 does not have. On such a host this script runs COMMAND inside a
# Debian trixie root filesystem that has it; on any other host it simply runs COMMAND.
#
# Inside the rootfs the host's .NET SDK, the NuGet cache (~/.nuget) and this repository are bind-mounted at
# the same paths, so builds and test results land in the same places as outside. All mounts live in a
# private mount namespace: they disappear when COMMAND exits, also on Ctrl-C or failure; processes COMMAND
# started (compiler servers, test hosts) end with it. The exit code is COMMAND's.
#
# Environment:
#   LSTM_ROOTFS=auto|always|never   auto (default): only when the host lacks GLIBCXX_3.4.32
#   LSTM_ROOTFS_DIR=DIR             where the rootfs is built and cached
#                                   (default /var/cache/lstm-notebooks/trixie-rootfs, outside the repo)
#   LSTM_ROOTFS_PACKAGES="a b"      extra Debian packages to have in the rootfs (installed once, cached)
#
# What the course needs is installed without being asked: debootstrap on the host (apt-get, once), and in the rootfs
# a C compiler (the helper library's MKL dispatch helper), Chromium and a font (the HTML book's browser test).
set -euo pipefail

readonly required_symbol=GLIBCXX_3.4.32
readonly script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly repo_root=$(cd "$script_dir/.." && pwd)
readonly rootfs=${LSTM_ROOTFS_DIR:-/var/cache/lstm-notebooks/trixie-rootfs}
readonly mode=${LSTM_ROOTFS:-auto}
readonly base_packages="libicu76,libssl3t64,ca-certificates,zlib1g"
# What the course's build and tests need inside the rootfs, installed once after debootstrap (no variable needed).
readonly course_packages="gcc libc6-dev chromium fonts-dejavu-core"

say() { printf 'run-in-trixie-rootfs: %s\n' "$*" >&2; }
die() { say "$*"; exit 125; }

usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac

host_libstdcxx() {
  local path
  path=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null) | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')
  [[ -n $path ]] || for candidate in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6; do
    [[ -e $candidate ]] && { path=$candidate; break; }
  done
  printf '%s' "$path"
}

host_is_new_enough() {
  local lib
  lib=$(host_libstdcxx)
  [[ -n $lib ]] && grep -q -a "$required_symbol" "$lib"
}

if [[ $1 == --needed ]]; then
  case "$mode" in
    never) exit 1 ;; always) exit 0 ;;
    *) if [[ $(uname -s) != Linux ]] || host_is_new_enough; then exit 1; else exit 0; fi ;;
  esac
fi

case "$mode" in
  never) exec "$@" ;;
  auto) if [[ $(uname -s) != Linux ]] || host_is_new_enough; then exec "$@"; fi ;;
  always) ;;
  *) die "LSTM_ROOTFS must be auto, always or never (got '$mode')" ;;
esac

if [[ $(id -u) -ne 0 ]]; then
  die "this host's libstdc++ lacks $required_symbol, which TorchSharp 0.107 needs.
  Running inside a Debian trixie rootfs needs root (debootstrap, mount namespaces, chroot). Either:
    sudo -E $0 $*
  or open the repository in its devcontainer (Ubuntu 24.04 has $required_symbol), or upgrade the
  host to Debian 13 / Ubuntu 24.04. See README.md, 'Platforms'."
fi

for tool in unshare chroot flock mount; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (util-linux / coreutils)"
done

lock_file="$rootfs.lock"
mkdir -p "$(dirname "$rootfs")"

# --- build the rootfs once (serialised between concurrent runs) ------------------------------------------
install_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  command -v apt-get >/dev/null || die "debootstrap is missing and this host has no apt-get: install debootstrap with your package manager"
  say "installing debootstrap on this host (once): apt-get install -y debootstrap"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >/dev/null 2>&1 \
    || die "could not install debootstrap; run: apt-get update && apt-get install -y debootstrap"
}

build_rootfs() {
  install_debootstrap
  if [[ -e $rootfs ]]; then
    # An existing folder (for example one made by mktemp -d) is used only when it is empty: it becomes the rootfs.
    [[ -d $rootfs && -z $(ls -A "$rootfs") ]] \
      || die "$rootfs exists and is not a rootfs this script built; point LSTM_ROOTFS_DIR at an empty or new folder"
    rmdir "$rootfs"
  fi
  local staging="$rootfs.staging.$$"
  rm -rf "$staging"
  say "building a Debian trixie rootfs in $rootfs (once; about a minute)"
  if ! debootstrap --variant=minbase --include="$base_packages" trixie "$staging" >"$staging.log" 2>&1; then
    tail -n 20 "$staging.log" >&2
    rm -rf "$staging"
    die "debootstrap failed (log above)"
  fi
  rm -f "$staging.log"
  mv "$staging" "$rootfs"
  touch "$rootfs/.lstm-notebooks-rootfs"
}

sync_certificates() {
  # NuGet and apt may go through a proxy with its own CA: the host's extra CAs are trusted inside too.
  local src=/usr/local/share/ca-certificates dst="$rootfs/usr/local/share/ca-certificates"
  [[ -d $src ]] || return 0
  mkdir -p "$dst"
  if ! diff -rq "$src" "$dst" >/dev/null 2>&1; then
    rm -rf "$dst" && cp -a "$src" "$dst"
    chroot "$rootfs" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in $rootfs"
  fi
}

install_packages() {
  local wanted="$course_packages ${LSTM_ROOTFS_PACKAGES:-}" missing=() pkg
  for pkg in $wanted; do
    chroot "$rootfs" dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  say "installing into the rootfs: ${missing[*]}"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf" 2>/dev/null || true
  unshare --mount --propagation private -- bash -c '
    set -e
    mount --rbind /dev "$1/dev"; mount -t proc proc "$1/proc"
    shift; root=$1; shift
    chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $*" >/dev/null
  ' _ "$rootfs" "$rootfs" "${missing[@]}" || die "could not install ${missing[*]} into $rootfs"
}

(
  flock 9
  [[ -f $rootfs/.lstm-notebooks-rootfs ]] || build_rootfs
  sync_certificates
  install_packages
) 9>"$lock_file"

# --- run the command inside a private mount namespace ------------------------------------------------------
dotnet_root=${DOTNET_ROOT:-}
if [[ -z $dotnet_root ]]; then
  dotnet_bin=$(command -v dotnet || true)
  [[ -n $dotnet_bin ]] && dotnet_root=$(dirname "$(readlink -f "$dotnet_bin")")
fi
[[ -n $dotnet_root && -x $dotnet_root/dotnet ]] || die "no .NET SDK found (set DOTNET_ROOT or put dotnet on PATH)"

home=${HOME:-/root}
nuget_dir=${NUGET_PACKAGES:-$home/.nuget/packages}
work_dir=$PWD
case "$work_dir/" in
  "$repo_root"/*) ;;
  *) die "run it from inside the repository ($repo_root); the current directory is $work_dir" ;;
esac

# Inside the rootfs only the repository (and the SDK and NuGet folders) can be seen: a notebook, parameters file or
# app named outside it would be "not found" there, so say so now.
for arg in "$@"; do
  value=$arg
  [[ $value == --*=* ]] && value=${value#*=}
  case "$value" in *.ipynb|*.dib|*.json|*.cs) ;; *) continue ;; esac
  [[ -e $value ]] || continue
  case "$(readlink -f "$value")/" in
    "$repo_root"/*) ;;
    *) die "$value is outside the repository, and commands run inside the rootfs see only the repository ($repo_root).
  Copy it into the repository (for example: mkdir -p $repo_root/artifacts/in && cp $value $repo_root/artifacts/in/) and pass that path." ;;
  esac
done

# The environment a build needs; everything else of the host's is left behind on purpose.
passthrough=(HOME="$home" USER="${USER:-root}" TERM="${TERM:-dumb}" LANG="${LANG:-C.UTF-8}"
  PATH="$dotnet_root:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  DOTNET_ROOT="$dotnet_root" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
  LSTM_NOTEBOOKS_IN_ROOTFS=1)
while IFS='=' read -r name _; do
  case "$name" in
    CI|GITHUB_*|DOTNET_*|NUGET_*|MSBUILD*|VSTEST*|LSTM_*|TORCHSHARP_*|OMP_*|MKL_*|http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY|SSL_CERT_*|COLUMNS|NO_COLOR)
      [[ $name == DOTNET_ROOT ]] || passthrough+=("$name=${!name}") ;;
  esac
done < <(env)

# A private mount namespace (nothing stays mounted) and a private PID namespace: when COMMAND exits, everything it
# started exits too — for example the C# compiler server, which would otherwise keep serving later builds from a
# stale view of the file system. --kill-child passes Ctrl-C on as the end of the whole namespace.
# shellcheck disable=SC2016
exec unshare --mount --pid --fork --kill-child --propagation private -- bash -c '
  set -euo pipefail
  root=$1 dotnet_root=$2 nuget_dir=$3 repo=$4 work=$5; shift 5
  bind() { mkdir -p "$root$2"; mount --rbind "$1" "$root$2"; }
  # A /tmp of its own, mounted first so that the binds below (the repository may live under /tmp) land on top of it:
  # compiler servers and build nodes talk through pipes in /tmp, and one started by a concurrent run (which sees
  # another set of mounts) must not serve this one.
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  bind /dev /dev
  mount -t proc proc "$root/proc"
  [[ -d /sys ]] && { mkdir -p "$root/sys"; mount --rbind -o ro /sys "$root/sys" 2>/dev/null || mount --rbind /sys "$root/sys"; }
  bind "$dotnet_root" "$dotnet_root"
  mkdir -p "$nuget_dir"; bind "$nuget_dir" "$nuget_dir"
  [[ -d $HOME/.nuget/NuGet ]] && bind "$HOME/.nuget/NuGet" "$HOME/.nuget/NuGet"
  bind "$repo" "$repo"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  cp /etc/hosts "$root/etc/hosts" 2>/dev/null || true
  n=$1; shift
  envs=("${@:1:$n}"); shift "$n"
  exec chroot "$root" /usr/bin/env -i "${envs[@]}" /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$work" "$@"
' _ "$rootfs" "$dotnet_root" "$nuget_dir" "$repo_root" "$work_dir" "${#passthrough[@]}" "${passthrough[@]}" "$@"
