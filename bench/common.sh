# Shared by the benchmark scripts: build once, start a host, wait until it is ready.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results"
mkdir -p "$out"
host_dll="$root/src/AgentHost/bin/Release/net10.0/Agents.AgentHost.dll"
floor_dll="$root/bench/Floor/bin/Release/net10.0/Floor.dll"

build() {
  dotnet build "$root/src/AgentHost" -c Release -v q -nologo >/dev/null
  dotnet build "$root/bench/Floor" -c Release -v q -nologo >/dev/null
}

now() { date +%s.%N; }

# wait_ready URL TIMEOUT_S: polls until 200, prints nothing, fails on timeout
wait_ready() {
  local url=$1 limit=${2:-120} start
  start=$(now)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = "200" ]; do
    if (( $(echo "$(now) - $start > $limit" | bc) )); then echo "timeout waiting for $url" >&2; return 1; fi
    sleep 0.02
  done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

machine() {
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --version), PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}')"
}
