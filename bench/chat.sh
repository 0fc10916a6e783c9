#!/usr/bin/env bash
# POST /chat latency and throughput with the local model at 1, 16 and 64 concurrent conversations,
# next to the floor measured in the same run (the turn's retrieval query + one insert).
# Usage: bench/chat.sh [seconds-per-level] [ChatBench options, e.g. --levels 1,16 --checkout-levels 1,8]   (default 20 s)
source "$(dirname "$0")/common.sh"
seconds=${1:-20}
build
dotnet build "$root/bench/ChatBench" -c Release -v q -nologo >/dev/null
port=5182
key="sk_test_BenchBenchBenchBenchBenchBenchBenchBenchBen"
export ASPNETCORE_ENVIRONMENT=Production Demo__Enabled=true Demo__SecretKey="$key" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
dotnet "$host_dll" >"$out/chat-host.log" 2>&1 & pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$port/health/ready" 180
password="$(cat "$root/.data/postgres.password")"
dbport="$(cat "$root/.data/postgres.port")"
cd "$root"
dotnet "$root/bench/ChatBench/bin/Release/net10.0/ChatBench.dll" --url "http://127.0.0.1:$port" --key "$key" \
  --connection "Host=127.0.0.1;Port=$dbport;Username=agents;Password=$password;Database=agents" --seconds "$seconds" "${@:2}"
echo "machine: $(machine)" | tee -a "$out/chat.md"
