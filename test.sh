#!/usr/bin/env bash
# Runs every test: makes sure a local PostgreSQL is there for the cluster-mode provider tests (installing and
# starting it when run as root), runs `dotnet test Orleans.sln`, and ends with "N passed, N failed".
# Set ADWALLET_TEST_POSTGRES to use another server.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Setup failures stop the run before the tests, loudly, with the closing line counting them.
fail_setup() {
  echo "Test setup failed: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# The PostgreSQL provider tests need a server (they fail without one): install, start and prepare a local cluster,
# unless ADWALLET_TEST_POSTGRES already names a server. Runs as root, as CI does.
setup_postgres() {
  if [ -n "${ADWALLET_TEST_POSTGRES:-}" ]; then
    echo "Using the PostgreSQL server of ADWALLET_TEST_POSTGRES."
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || fail_setup "installing and starting PostgreSQL needs root; or set ADWALLET_TEST_POSTGRES to a server's connection string."

  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Installing PostgreSQL..."
    apt-get update || fail_setup "apt-get update failed."
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql || fail_setup "apt-get install postgresql failed."
    command -v pg_ctlcluster >/dev/null 2>&1 || fail_setup "pg_ctlcluster is missing after installing postgresql."
  fi

  # The first cluster (Debian creates "main" on install); create one if the install did not.
  local version name port status
  read -r version name port status _ < <(pg_lsclusters --no-header 2>/dev/null | head -n 1)
  if [ -z "${version:-}" ]; then
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$version" ] || fail_setup "no PostgreSQL server version is installed under /usr/lib/postgresql."
    pg_createcluster "$version" main || fail_setup "pg_createcluster $version main failed."
    read -r version name port status _ < <(pg_lsclusters --no-header | head -n 1)
  fi
  echo "PostgreSQL cluster $version/$name on port $port is $status."

  if [ "$status" != "online" ]; then
    # Exits non-zero when the cluster is already running: the readiness check below is what counts.
    pg_ctlcluster "$version" "$name" start || echo "pg_ctlcluster $version $name start exited with $?; checking whether it runs."
  fi

  local ready=0
  for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then ready=1; break; fi
    sleep 1
  done
  if [ "$ready" -ne 1 ]; then
    tail -n 50 "/var/log/postgresql/postgresql-$version-$name.log" >&2 2>/dev/null
    fail_setup "PostgreSQL $version/$name does not accept connections on 127.0.0.1:$port after 60 s."
  fi

  as_postgres() { (cd / && runuser -u postgres -- "$@"); }
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -c "ALTER USER postgres PASSWORD 'postgres'" \
    || fail_setup "setting the postgres user's password failed."
  if [ "$(as_postgres psql -X -tA -p "$port" -c "SELECT 1 FROM pg_database WHERE datname = 'adwallet_test'")" != "1" ]; then
    as_postgres createdb -p "$port" adwallet_test || fail_setup "creating the database adwallet_test failed."
  fi

  export ADWALLET_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=adwallet_test"
  echo "PostgreSQL is ready: ADWALLET_TEST_POSTGRES=$ADWALLET_TEST_POSTGRES"
}
# The dashboard's browser test drives Debian's Chromium (Playwright's own browser download does not work on these
# machines). CHROMIUM_PATH may name another Chromium.
setup_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; then return 0; fi
  [ "$(id -u)" -eq 0 ] || fail_setup "installing Chromium needs root; or set CHROMIUM_PATH to a Chromium executable."
  echo "Installing Chromium..."
  apt-get update || fail_setup "apt-get update failed."
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || fail_setup "apt-get install chromium failed."
}
setup_chromium

setup_postgres

dotnet test Orleans.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 47, Skipped: 0, Total: 47, ..."
read -r passed failed < <(grep -E '^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\2 \1/' \
  | awk '{ p += $1; f += $2 } END { printf "%d %d\n", p, f }')

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before any test reported: count that as a failure.
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
