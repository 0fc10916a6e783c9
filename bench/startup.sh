#!/usr/bin/env bash
# Start-up time until /health/ready answers 200, for the host with the demo merchant:
#   cold  = empty data folder: initdb + start cluster + create database + migrate + seed 2 years of demo orders
#   stopped = cluster initialised but stopped: start it + migrate (no-op) + seed check
#   warm  = cluster running, everything in place
#   floor = an empty ASP.NET Core app on the same machine, same measurement
# Usage: bench/startup.sh [runs]   (default 5 warm/floor runs)
source "$(dirname "$0")/common.sh"
runs=${1:-5}
build
port=5181
data="$(mktemp -d /tmp/agents-bench-XXXXXX)"
chmod 755 "$data"
export Database__DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Development Demo__Enabled=true ASPNETCORE_URLS="http://127.0.0.1:$port"

run_host() {
  local start pid elapsed
  start=$(now)
  dotnet "$host_dll" >>"$out/startup-host.log" 2>&1 & pid=$!
  wait_ready "http://127.0.0.1:$port/health/ready" 180
  elapsed=$(echo "$(now) - $start" | bc)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$elapsed"
}

stop_cluster() { runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$data/pg15" -m fast -w stop >/dev/null; }

: >"$out/startup-host.log"
cold=$(run_host)
stopped=()
for _ in 1 2 3; do stop_cluster; stopped+=("$(run_host)"); done
warm=()
for _ in $(seq "$runs"); do warm+=("$(run_host)"); done
floor=()
for _ in $(seq "$runs"); do
  start=$(now)
  ASPNETCORE_URLS="http://127.0.0.1:$((port + 1))" dotnet "$floor_dll" >/dev/null 2>&1 & pid=$!
  wait_ready "http://127.0.0.1:$((port + 1))/health/ready" 60
  floor+=("$(echo "$(now) - $start" | bc)"); kill "$pid"; wait "$pid" 2>/dev/null || true
done
stop_cluster
rm -rf "$data"

stopped_median=$(printf '%s\n' "${stopped[@]}" | median)
warm_median=$(printf '%s\n' "${warm[@]}" | median)
floor_median=$(printf '%s\n' "${floor[@]}" | median)
{
  echo "machine: $(machine)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  printf 'cold (initdb + migrate + demo seed): %.2f s\n' "$cold"
  printf 'cluster stopped (median of 3): %.2f s\n' "$stopped_median"
  printf 'warm (median of %s): %.2f s  [%s]\n' "$runs" "$warm_median" "${warm[*]}"
  printf 'floor, empty ASP.NET app (median of %s): %.2f s\n' "$runs" "$floor_median"
  printf 'warm / floor: %.1fx\n' "$(echo "$warm_median / $floor_median" | bc -l)"
} | tee "$out/startup.txt"
