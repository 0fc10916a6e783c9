#!/usr/bin/env bash
# POST /api/orders/bulk: 100k generated orders streamed as NDJSON (all new, then the same upload
# again as updates) — orders/s and the host's peak RSS — next to two floors measured in the same
# run: an empty app reading and parsing the same NDJSON, and a binary COPY of the same rows into
# bare tables. Usage: bench/orders-bulk.sh [orders]   (default 100000)
# With ConnectionStrings__Agents set, the host runs on a throw-away database on that server;
# without, on the local cluster in .data/ like the other benchmarks.
source "$(dirname "$0")/common.sh"
orders=${1:-100000}
dotnet build "$root/src/AgentHost" -c Release -v q -nologo >/dev/null
dotnet build "$root/bench/OrdersBulkBench" -c Release -v q -nologo >/dev/null
bench_dll="$root/bench/OrdersBulkBench/bin/Release/net10.0/OrdersBulkBench.dll"
port=5187
admin="bench-admin-key-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cd "$root"
if [ -n "${ConnectionStrings__Agents:-}" ]; then
  connection="$(dotnet "$bench_dll" create-database "$ConnectionStrings__Agents")"
  export ConnectionStrings__Agents="$connection"
  cleanup_db() { dotnet "$bench_dll" drop-database "$connection" || true; }
else
  cleanup_db() { :; }
fi
export ASPNETCORE_ENVIRONMENT=Production Demo__Enabled=false Admin__ApiKey="$admin" Logging__LogLevel__Default=Warning
ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$host_dll" >"$out/orders-bulk-host.log" 2>&1 & host=$!
trap 'kill $host 2>/dev/null || true; wait $host 2>/dev/null || true; cleanup_db' EXIT
wait_ready "http://127.0.0.1:$port/health/ready" 180
if [ -z "${connection:-}" ]; then
  connection="Host=127.0.0.1;Port=$(cat "$root/.data/postgres.port");Username=agents;Password=$(cat "$root/.data/postgres.password");Database=agents"
fi
dotnet "$bench_dll" --url "http://127.0.0.1:$port" --admin "$admin" --host-pid "$host" --connection "$connection" \
  --orders "$orders" --floor-port $((port + 1)) --report "$out/orders-bulk.md"
echo "machine: $(machine)" | tee -a "$out/orders-bulk.md"
