#!/usr/bin/env bash
# Schemathesis against both GraphQL endpoints of the reference server, from their live introspection: every generated
# query and mutation must get an answer that is not a server error, read in the API's own error format
# (scripts/schemathesis_checks.py says why Schemathesis's own `not_a_server_error` cannot read it). Quotas are lifted
# (the run sends thousands of requests); each endpoint gets MAX_TIME seconds (default 120). Loopback only.
#
# Usage: scripts/schemathesis.sh [MAX_TIME]
# Needs schemathesis (pinned in scripts/schemathesis-requirements.txt), e.g.:
#   python3 -m venv target/schemathesis && target/schemathesis/bin/pip install -r scripts/schemathesis-requirements.txt
# SCHEMATHESIS names the executable (default: target/schemathesis/bin/schemathesis, else `schemathesis` on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
max_time="${1:-120}"
st="${SCHEMATHESIS:-target/schemathesis/bin/schemathesis}"
[ -x "$st" ] || st="$(command -v schemathesis || true)"
if [ -z "$st" ]; then
  echo "schemathesis is not installed: python3 -m venv target/schemathesis && target/schemathesis/bin/pip install -r scripts/schemathesis-requirements.txt" >&2
  exit 2
fi
cargo build --release --locked -p reference-server --bin reference-server
config="$(mktemp)"
log="$(mktemp)"
printf '[[rate_limits]]\napi = "greenhouse_onboarding"\nlimit = 10000000\n\n[[rate_limits]]\napi = "workable_members"\nlimit = 10000000\n' > "$config"
target/release/reference-server --listen 127.0.0.1:0 --config "$config" > "$log" 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$config" "$log"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$log" && break; sleep 0.2; done
address="$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$log")"
status=0
run() {
  local path="$1" authorization="$2"
  echo "== $path"
  SCHEMATHESIS_HOOKS=schemathesis_checks PYTHONPATH=scripts "$st" --no-color run "$address$path" \
    -H "Authorization: $authorization" --max-time "$max_time" --request-timeout 10 \
    --checks no_server_error_in_the_apis_format || status=1
}
run /greenhouse/graphql "Basic ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ=="
run /workable/graphql "Bearer wk_acme_oauth"
exit "$status"
