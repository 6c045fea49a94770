#!/usr/bin/env bash
# Writes the Secret nexus-platform/nexus-db-app into a sandbox cluster: the credentials of the
# DR target's application role, which rotate-db-password rotates (runbook.security.databasePasswords).
#   db-app-secret.sh SANDBOX_URL
# The password is $NEXUS_APP_PASSWORD (default nexus-app-dev-password), as dr-target.sh sets it.
set -euo pipefail
url=${1:?usage: db-app-secret.sh SANDBOX_URL}
b64() { printf %s "$1" | base64 -w0; }
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
  "$url/api/v1/namespaces/nexus-platform/secrets" \
  -d "{\"metadata\":{\"name\":\"nexus-db-app\"},\"type\":\"Opaque\",\"data\":{\"username\":\"$(b64 nexus_app)\",\"password\":\"$(b64 "${NEXUS_APP_PASSWORD:-nexus-app-dev-password}")\"}}"
