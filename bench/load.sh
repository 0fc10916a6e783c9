#!/usr/bin/env bash
# Latency of an authenticated GET /api/admin/merchants/{id} under 32 concurrent clients, from a
# second process (wrk), against the Release host; the floor is the same load on an empty
# ASP.NET Core app in the same run. Also the merchant-key path (GET /api/merchant: key lookup by
# prefix + hash compare + tenant-filtered query).
# Usage: bench/load.sh [seconds]   (default 20)
source "$(dirname "$0")/common.sh"
seconds=${1:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
build
port=5182
admin="bench-admin-key-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
demo_key="sk_test_$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 43)"
while [ ${#demo_key} -lt 51 ]; do demo_key="${demo_key}0"; done

ASPNETCORE_ENVIRONMENT=Production Demo__Enabled=true Demo__SecretKey="$demo_key" Admin__ApiKey="$admin" \
  Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$host_dll" >"$out/load-host.log" 2>&1 & host=$!
trap 'kill $host 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$port/health/ready" 180
id=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/api/admin/merchants?limit=1" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)

ASPNETCORE_URLS="http://127.0.0.1:$((port + 1))" dotnet "$floor_dll" >/dev/null 2>&1 & floor=$!
trap 'kill $host $floor 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$((port + 1))/health/live" 60

# wrk_run NAME URL [header]: 5 s warm-up, then the measured run; prints "p50 p99 req/s"
wrk_run() {
  local name=$1 url=$2 header=${3:-X-Bench: 1}
  wrk -t2 -c32 -d5s -H "$header" "$url" >/dev/null
  wrk -t2 -c32 -d"${seconds}s" --latency -H "$header" "$url" >"$out/load-$name.txt"
  local p50 p99 rps
  p50=$(awk '/^ +50%/ {print $2}' "$out/load-$name.txt")
  p99=$(awk '/^ +99%/ {print $2}' "$out/load-$name.txt")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out/load-$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/load-$name.txt")
  echo "$name: p50 $p50, p99 $p99, $rps req/s${non2xx:+, NON-2XX $non2xx}"
}

{
  echo "machine: $(machine)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ), wrk -t2 -c32 -d${seconds}s (+5 s warm-up), host and wrk on the same 2 cores"
  wrk_run floor "http://127.0.0.1:$((port + 1))/health/live"
  wrk_run live "http://127.0.0.1:$port/health/live"
  wrk_run admin-get-merchant "http://127.0.0.1:$port/api/admin/merchants/$id" "Authorization: Bearer $admin"
  wrk_run merchant-self "http://127.0.0.1:$port/api/merchant" "Authorization: Bearer $demo_key"
} | tee "$out/load.txt"
