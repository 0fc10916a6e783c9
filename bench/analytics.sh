#!/usr/bin/env bash
# POST /api/analytics/ask latency over the labelled questions (evals/analytics/questions.yaml),
# one at a time, next to the floor measured the same way: an authenticated GET /api/merchant.
# Usage: bench/analytics.sh [rounds]   (default 5 rounds of every question)
source "$(dirname "$0")/common.sh"
rounds=${1:-5}
build
port=5186
key="sk_test_BenchBenchBenchBenchBenchBenchBenchBenchBen"
export ASPNETCORE_ENVIRONMENT=Production Demo__Enabled=true Demo__SecretKey="$key" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
dotnet "$host_dll" >"$out/analytics-host.log" 2>&1 & pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$port/health/ready" 180
questions="$(mktemp)"
grep -E '^\s+question: ' "$root/evals/analytics/questions.yaml" | sed -E 's/^\s+question: "?//; s/"$//' >"$questions"
ask() { jq -nc --arg q "$1" '{question: $q, asOf: "2026-07-01"}' | curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$port/api/analytics/ask"; }
floor() { curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/merchant"; }
while read -r q; do ask "$q" >/dev/null; done <"$questions"   # warm-up
times="$(mktemp)"; floors="$(mktemp)"
for _ in $(seq "$rounds"); do
  while read -r q; do ask "$q" >>"$times"; floor >>"$floors"; done <"$questions"
done
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p/100); if (i<1) i=1; printf "%.1f", a[i]*1000}'; }
n=$(wc -l <"$times")
{
  echo "# POST /api/analytics/ask — $(date -u +%Y-%m-%d\ %H:%M)Z, $n asks ($(wc -l <"$questions") questions × $rounds), one at a time"
  echo
  echo "| | p50 | p99 |"
  echo "|---|---:|---:|"
  echo "| ask (plan + SQL + render) | $(pct "$times" 50) ms | $(pct "$times" 99) ms |"
  echo "| floor: authenticated GET /api/merchant | $(pct "$floors" 50) ms | $(pct "$floors" 99) ms |"
  echo
  echo "machine: $(machine)"
} | tee "$out/analytics.md"
