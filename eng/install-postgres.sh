#!/usr/bin/env bash
# Installs what the local PostgreSQL cluster needs: PostgreSQL 15 (server + contrib) and
# pgvector, built from Debian's source package. Idempotent: does nothing when both are present.
# Needs root (or passwordless sudo) and apt; on other machines use a connection string instead,
# e.g. the pgvector/pgvector docker image.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
say() { echo "[postgres-setup] $*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    say "need root or passwordless sudo to install packages"; exit 3; fi
fi
command -v apt-get >/dev/null 2>&1 || { say "apt-get not found: this is not a Debian-like machine"; exit 3; }

bindir="/usr/lib/postgresql/${PG_MAJOR}/bin"
updated=0
apt_update() { if [ "$updated" -eq 0 ]; then say "apt-get update"; $SUDO apt-get update -qq; updated=1; fi; }

if [ ! -x "$bindir/postgres" ]; then
  apt_update
  say "installing postgresql-${PG_MAJOR}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "postgresql-${PG_MAJOR}" >/dev/null
fi

sharedir="$("$bindir/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/${PG_MAJOR}")"
if [ -f "$sharedir/extension/vector.control" ]; then
  say "PostgreSQL ${PG_MAJOR} and pgvector are installed"
  exit 0
fi

apt_update
say "installing build dependencies for pgvector"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev >/dev/null

# Debian 12 has no pgvector package; trixie's source package builds cleanly against PG 15.
# A private apt configuration keeps the trixie source line out of the system's sources.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
if [ -z "$mirror" ]; then
  mirror="$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
fi
[ -n "$mirror" ] || { say "could not find the Debian mirror in the apt sources"; exit 3; }
mkdir -p "$work/lists/partial" "$work/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root")
say "fetching pgvector source package"
$SUDO apt-get "${apt_opts[@]}" update -qq
(cd "$work/src" && $SUDO apt-get "${apt_opts[@]}" source --download-only -qq pgvector)
dsc="$(ls "$work"/src/pgvector_*.dsc | head -n 1)"
(cd "$work/src" && dpkg-source -x "$dsc" pgvector >/dev/null)
say "building pgvector ($(basename "$dsc" .dsc))"
(cd "$work/src/pgvector" && make -s PG_CONFIG="$bindir/pg_config" >/dev/null && $SUDO make -s install PG_CONFIG="$bindir/pg_config" >/dev/null)
say "pgvector installed"
