# Shared helpers for the ops scripts: find PostgreSQL, pick a free port, start/stop a private cluster.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The newest PostgreSQL binaries on this machine; installs Debian's package only when there are none.
pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    log "No PostgreSQL binaries found; installing Debian's postgresql package"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2 \
      || die "could not install PostgreSQL"
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$bin"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port=${1:-55432}
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
  # (from /: the postgres user may not be allowed into the current folder)
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# pg_start DIR MODE  (MODE: durable | fast). Prints the port. Reuses a running cluster in DIR.
pg_start() {
  local dir=$1 mode=${2:-durable} bin port
  bin=$(pg_bin)
  if [ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    sed -n 4p "$dir/postmaster.pid"
    return 0
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    chmod 755 "$(dirname "$dir")" 2>/dev/null || true
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
    log "Initialising PostgreSQL cluster in $dir"
    as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; die "initdb failed"; }
  fi
  port=$(free_port "${PGPORT_BASE:-55432}")
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
  if [ "$mode" = fast ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  as_pg "$bin/pg_ctl" -D "$dir" -o "$opts" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { tail -n 30 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  echo "$port"
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bin)
  [ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_createdb PORT DIR NAME
pg_createdb() {
  local port=$1 dir=$2 name=$3 bin
  bin=$(pg_bin)
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$name'" postgres | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  fi
}

# The data directory of ops/run's private cluster: .local/postgres in the checkout, unless PostgreSQL (run as the postgres
# user when we are root) cannot enter the checkout (a clone under /root or in a 0700 folder such as mktemp -d): then
# /var/tmp/fundingprograms-<hash of the checkout path>/postgres, so each checkout keeps its own data.
local_pgdir() {
  if [ "$(id -u)" -ne 0 ] || { runuser -u postgres -- test -x "$ROOT" && runuser -u postgres -- test -r "$ROOT"; } 2>/dev/null; then
    echo "$ROOT/.local/postgres"
  else
    echo "/var/tmp/fundingprograms-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)/postgres"
  fi
}

connection_string() { echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=$2;Pooling=true;Maximum Pool Size=100"; }

# Points ConnectionStrings__Marten at the private cluster of ops/run (started if needed) unless it is set already.
# Sets own_db=1 when this script started the cluster (so the caller can stop it again).
use_local_database() {
  own_db=0
  if [ -z "${ConnectionStrings__Marten:-}" ]; then
    local pgdir was_running=0 pgport
    pgdir=$(local_pgdir)
    [ -f "$pgdir/postmaster.pid" ] && was_running=1
    pgport=$(pg_start "$pgdir" durable)
    [ "$was_running" = 0 ] && own_db=1
    pg_createdb "$pgport" "$pgdir" fundingprograms
    export ConnectionStrings__Marten
    ConnectionStrings__Marten=$(connection_string "$pgport" fundingprograms)
  fi
}

# Runs one of the API's ops commands (audit-verify, rebuild) against the configured or local database.
api_command() {
  use_local_database
  dotnet build "$ROOT/src/FundingPrograms.Api" -c Release -v quiet -nologo -clp:ErrorsOnly >&2 || return 1
  local status=0
  ( cd "$ROOT/src/FundingPrograms.Api" && ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development} \
      dotnet bin/Release/net10.0/FundingPrograms.Api.dll "$@" --urls http://127.0.0.1:0 ) || status=$?
  [ "$own_db" = 1 ] && pg_stop "$(local_pgdir)"
  return $status
}

# The path of Debian's libfaketime (installed when missing): it runs a real process (the service, PostgreSQL) at another instant.
# need_tool COMMAND DEBIAN-PACKAGE: installs the Debian package when COMMAND is missing (chromium for the browser tests,
# qpdf for the PDF structure check); prints nothing on success, dies naming the package when it cannot be installed.
need_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "Installing Debian's $2 (for $1)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local aptlog; aptlog=$(mktemp /tmp/apt-install.XXXXXX)
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2"; } >"$aptlog" 2>&1 \
    || { tail -n 20 "$aptlog" >&2; die "could not install $2"; }
  rm -f "$aptlog"
  command -v "$1" >/dev/null 2>&1 || die "$2 is installed but $1 is not on PATH"
}

faketime_lib() {
  local lib
  lib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -n 1)
  if [ -z "$lib" ]; then
    log "Installing Debian's libfaketime (to run the service and PostgreSQL at another instant)"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libfaketime; } >&2 || die "could not install libfaketime"
    lib=$(dpkg -L libfaketime | grep '/libfaketime\.so\.1$' | head -n 1)
  fi
  echo "$lib"
}

# use_date "2027-12-31 22:30" (a Berlin local time, or any form GNU date reads, e.g. with an offset): exports
# FP_TEST_NOW (the instant, UTC ISO 8601), FP_FAKETIME_OFFSET (seconds from now) and FP_FAKETIME_LIB for the test suite, and
# FAKETIME_ENV, the environment to prefix to a real process (PostgreSQL, the service) so that it runs at that instant.
use_date() {
  local target now
  target=$(TZ=Europe/Berlin date -d "$1" +%s) || die "cannot read the date '$1' (e.g. \"2027-12-31 22:30\", Europe/Berlin)"
  now=$(date +%s)
  export FP_TEST_NOW FP_FAKETIME_OFFSET FP_FAKETIME_LIB
  FP_TEST_NOW=$(date -u -d "@$target" +%Y-%m-%dT%H:%M:%SZ)
  FP_FAKETIME_OFFSET=$((target - now))
  FP_FAKETIME_LIB=$(faketime_lib)
  local sign="+"; [ "$FP_FAKETIME_OFFSET" -lt 0 ] && sign=""
  FAKETIME_ENV="LD_PRELOAD=$FP_FAKETIME_LIB FAKETIME=$sign$FP_FAKETIME_OFFSET FAKETIME_DONT_FAKE_MONOTONIC=1"
  log "Running as of $(TZ=Europe/Berlin date -d "@$target" '+%Y-%m-%d %H:%M %Z') ($FP_TEST_NOW, offset ${FP_FAKETIME_OFFSET} s)"
}
