#!/usr/bin/env bash
# WhatsApp webhook acknowledgement latency (1 and 16 concurrent webhooks) next to an empty app
# reading the same form, how long the turns and outbox take to drain, and outbox throughput next
# to posting straight to the Twilio stand-in. Usage: bench/whatsapp.sh [seconds-per-level]   (default 10)
source "$(dirname "$0")/common.sh"
seconds=${1:-10}
build
dotnet build "$root/bench/WhatsAppBench" -c Release -v q -nologo >/dev/null
port=5184
admin="bench-admin-key-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ASPNETCORE_ENVIRONMENT=Production Demo__Enabled=false Admin__ApiKey="$admin" Logging__LogLevel__Default=Warning \
  Channels__PublicBaseUrl="http://127.0.0.1:$port" Channels__Twilio__ApiBaseUrl="http://127.0.0.1:$((port + 2))"
ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$host_dll" >"$out/whatsapp-host.log" 2>&1 & host=$!
ASPNETCORE_URLS="http://127.0.0.1:$((port + 1))" dotnet "$floor_dll" >/dev/null 2>&1 & floor=$!
trap 'kill $host $floor 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$port/health/ready" 180
wait_ready "http://127.0.0.1:$((port + 1))/health/live" 60
password="$(cat "$root/.data/postgres.password")"
dbport="$(cat "$root/.data/postgres.port")"
cd "$root"
dotnet "$root/bench/WhatsAppBench/bin/Release/net10.0/WhatsAppBench.dll" --url "http://127.0.0.1:$port" --floor "http://127.0.0.1:$((port + 1))" \
  --admin "$admin" --twilio-port "$((port + 2))" --seconds "$seconds" \
  --connection "Host=127.0.0.1;Port=$dbport;Username=agents;Password=$password;Database=agents"
echo "machine: $(machine)" | tee -a "$out/whatsapp.md"
