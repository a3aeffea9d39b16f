#!/usr/bin/env bash
# The integration tests need a PostgreSQL server at 127.0.0.1:5432 (user postgres, no password;
# each test run creates and drops its own databases there). Uses the server that answers;
# otherwise starts Debian's cluster, first installing `postgresql` from Debian's packages when
# it is missing and we are root, and waits until it accepts connections.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
ready() { pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; }

if command -v pg_isready >/dev/null 2>&1 && ready; then exit 0; fi

installed_now=false
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is missing: run 'sudo apt-get install postgresql' (or point TEST_DATABASE_URL at a server)." >&2
    exit 1
  fi
  echo "Installing Debian's postgresql for the tests…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null; }
  installed_now=true
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if $installed_now; then
  # A cluster we just created for the tests: let the local postgres user in over TCP without a
  # password, as the tests connect (Debian's default asks for one on 127.0.0.1).
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  printf '%s\n%s\n' "host all postgres 127.0.0.1/32 trust" "host all postgres ::1/128 trust" \
    | cat - "$hba" >"$hba.new" && mv "$hba.new" "$hba" && chown postgres:postgres "$hba"
fi

if [ "$(id -u)" = 0 ] || [ "$(id -un)" = postgres ]; then
  # (Fails harmlessly when the cluster runs but is not answering yet; the wait below decides.)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
else
  echo "PostgreSQL $version is installed but not running at $HOST:$PORT: run" \
    "'sudo pg_ctlcluster $version main start'." >&2
  exit 1
fi

for _ in $(seq 1 60); do
  if ready; then exit 0; fi
  sleep 0.5
done
echo "PostgreSQL $version did not come up at $HOST:$PORT within 30 s (see /var/log/postgresql/)." >&2
exit 1
