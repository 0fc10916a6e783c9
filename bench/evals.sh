#!/usr/bin/env bash
# Eval runner: a whole suite run on the local model, repeated, in-process (host start, database,
# demo seed, every turn over HTTP, every assertion). The floor, measured in the same run, is the
# host's own time per turn (latencyMs in each /chat answer): what is left is the runner's HTTP
# round trip, JSON and assertion work. Usage: bash bench/evals.sh [suite] [repeat]
source "$(dirname "$0")/common.sh"
suite=${1:-shopper}
repeat=${2:-5}
dotnet build "$root/src/Evals" -c Release -v q -nologo >/dev/null
evals_dll="$root/src/Evals/bin/Release/net10.0/Agents.Evals.dll"
report="$out/evals-$suite"
rm -rf "$report"

start=$(now)
( cd "$root" && dotnet "$evals_dll" run "evals/$suite.yaml" --repeat "$repeat" --out "$report" >"$out/evals-$suite.log" 2>&1 ) || true
wall=$(echo "$(now) - $start" | bc)

json="$report/results.json"
turns=$(jq '[.variants[].cases[].runs[].steps[] | select(.kind == "turn")] | length' "$json")
runs=$(jq '[.variants[].cases[].runs[]] | length' "$json")
client_p50=$(jq -r '[.variants[].cases[].runs[].steps[] | select(.kind == "turn") | .observation.latencyMs] | .[]' "$json" | median)
server_p50=$(jq -r '[.variants[].cases[].runs[].steps[] | select(.kind == "turn") | .observation.serverLatencyMs] | .[]' "$json" | median)
client_sum=$(jq '[.variants[].cases[].runs[].steps[] | select(.kind == "turn") | .observation.latencyMs] | add' "$json")
server_sum=$(jq '[.variants[].cases[].runs[].steps[] | select(.kind == "turn") | .observation.serverLatencyMs] | add' "$json")
passed=$(jq '[.variants[].passedRuns] | add' "$json")
counted=$(jq '[.variants[].runs] | add' "$json")
flaky=$(jq '[.variants[].cases[] | select(.flaky)] | length' "$json")

{
  echo "## Eval runner ($suite × $repeat, local model) — $(date -u +%F)"
  echo
  echo "Machine: $(machine)"
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  echo "| wall time (start, database, seed, $runs case runs, reports) | $(printf '%.1f' "$wall") s |"
  echo "| turns | $turns ($(echo "scale=1; $turns / $wall" | bc) turns/s overall) |"
  echo "| pass | $passed / $counted counted runs, $flaky flaky cases |"
  echo "| turn round trip p50 (runner) | $(printf '%.1f' "$client_p50") ms |"
  echo "| turn time in the host p50 (floor) | $(printf '%.1f' "$server_p50") ms |"
  echo "| round trip ÷ floor, sum over all turns | $(echo "scale=2; $client_sum / $server_sum" | bc)× |"
} | tee "$out/evals.md"
