#!/usr/bin/env bash
# `make prod` / `make prod-stop`: the portal as production runs it, on this
# machine (README, Production). nginx on 127.0.0.1:8080 in front of gunicorn,
# PgBouncer in front of PostgreSQL, Celery workers and one beat, each a
# background process with its pid file and log under the run directory.
#
#   deploy/prod.sh start    install what is missing, prepare the database and
#                           the static files, start everything, wait until ready
#   deploy/prod.sh stop     stop everything started here
#
# DATABASE_URL and REDIS_URL name PostgreSQL and Redis (defaults below); the
# portal itself reaches PostgreSQL through PgBouncer.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${PY:-$ROOT/.venv/bin/python}"
VENV_BIN="$(dirname "$PY")"
RUN_DIR="${PROD_RUN_DIR:-$ROOT/.prod}"
PIDS="$RUN_DIR/pids"
LOGS="$RUN_DIR/logs"
# The object store's data, when deploy/seaweedfs.sh runs one.
export SEAWEEDFS_DIR="${SEAWEEDFS_DIR:-$RUN_DIR/seaweedfs}"
# Started in this order, stopped in the reverse one.
PROCESSES=(pgbouncer gunicorn worker worker-reports beat nginx)

NGINX_PORT="${PROD_NGINX_PORT:-8080}"
GUNICORN_PORT="${PROD_GUNICORN_PORT:-8001}"
PGB_PORT="${PROD_PGBOUNCER_PORT:-6432}"

log() { printf '== %s\n' "$*"; }

running() {  # running NAME: its pid file names a live process
  [[ -f "$PIDS/$1.pid" ]] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null
}

launch() {  # launch NAME COMMAND...: in the background, in its own session
  local name="$1"
  shift
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

stop_one() {
  local name="$1" pid
  [[ -f "$PIDS/$name.pid" ]] || return 0
  pid="$(cat "$PIDS/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    # TERM: gunicorn and Celery finish what they hold (warm shutdown), nginx
    # and PgBouncer stop at once. Whatever is left after 60 s is killed.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDS/$name.pid"
  log "stopped $name"
}

stop() {
  local index
  for ((index = ${#PROCESSES[@]} - 1; index >= 0; index--)); do
    stop_one "${PROCESSES[index]}"
  done
  if [[ -x deploy/seaweedfs.sh ]]; then
    deploy/seaweedfs.sh stop || true
  fi
}

install_missing() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]] || missing+=(pgbouncer)
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [[ ! -x "$PY" ]]; then
    python3 -m venv "$(dirname "$VENV_BIN")"
  fi
  "$PY" -m pip install --quiet -r requirements.txt
}

database_parts() {  # the parts of DATABASE_URL, as shell assignments
  "$PY" - "$DATABASE_URL" <<'PYTHON'
import shlex
import sys
from urllib.parse import unquote, urlsplit

url = urlsplit(sys.argv[1])
if url.scheme not in ("postgres", "postgresql", "pgsql"):
    sys.exit("make prod needs DATABASE_URL to name a PostgreSQL database")
for name, value in {
    "PG_HOST": url.hostname or "127.0.0.1",
    "PG_PORT": str(url.port or 5432),
    "PG_USER": unquote(url.username or "postgres"),
    "PG_PASSWORD": unquote(url.password or ""),
    "PG_DATABASE": url.path.lstrip("/") or "ipfin",
}.items():
    print(f"{name}={shlex.quote(value)}")
PYTHON
}

free_port() {
  if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 is already taken: stop what listens there (make prod-stop?)" >&2
    exit 1
  fi
}

wait_for() {  # wait_for WHAT SECONDS COMMAND...
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq $((seconds * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$what did not come up within $seconds s; its log is under $LOGS" >&2
  return 1
}

start() {
  for name in "${PROCESSES[@]}"; do
    if running "$name"; then
      echo "$name already runs (pid $(cat "$PIDS/$name.pid")): make prod-stop first" >&2
      exit 1
    fi
  done
  free_port "$NGINX_PORT"
  free_port "$GUNICORN_PORT"
  free_port "$PGB_PORT"
  install_missing
  mkdir -p "$PIDS" "$LOGS" "$RUN_DIR/nginx"
  chmod 755 "$RUN_DIR" "$LOGS" "$RUN_DIR/nginx"

  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ipfin}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  eval "$(database_parts)"
  # A key generated once and kept in the run directory, readable by root only.
  if [[ ! -s "$RUN_DIR/secret_key" ]]; then
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$RUN_DIR/secret_key")
  fi

  export DEBUG=false
  SECRET_KEY="$(cat "$RUN_DIR/secret_key")"
  export SECRET_KEY
  export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
  export CSRF_TRUSTED_ORIGINS="${CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:$NGINX_PORT,http://localhost:$NGINX_PORT}"
  export SITE_URL="${SITE_URL:-http://127.0.0.1:$NGINX_PORT}"
  # This stack serves plain HTTP on the loopback interface: no redirect to
  # HTTPS and cookies sent without TLS. Behind a TLS proxy keep both on.
  export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
  export SECURE_COOKIES="${SECURE_COOKIES:-false}"
  # nginx is the one proxy in front: the client is the last X-Forwarded-For entry.
  export TRUSTED_PROXY_COUNT=1
  export HEARTBEAT_STALE_AFTER="${HEARTBEAT_STALE_AFTER:-300}"
  export MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/media}"
  export PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$ROOT/private}"
  # Metrics from every gunicorn worker, gathered in one fresh folder.
  export PROMETHEUS_MULTIPROC_DIR="$RUN_DIR/prometheus"
  rm -rf "$PROMETHEUS_MULTIPROC_DIR"
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

  # The object store: SeaweedFS's S3 gateway, when this checkout has its script.
  export S3_ENDPOINT_URL="${S3_ENDPOINT_URL:-http://127.0.0.1:8333}"
  if [[ -x deploy/seaweedfs.sh ]]; then
    log "SeaweedFS"
    deploy/seaweedfs.sh start
    # The portal's S3_* settings, as the store was set up (its key pair kept there).
    set -a
    # shellcheck source=/dev/null
    source "$SEAWEEDFS_DIR/s3.env"
    set +a
    export IPFIN_FILES_ACCEL="${IPFIN_FILES_ACCEL:-/_files/}"
  fi

  log "database $PG_DATABASE on $PG_HOST:$PG_PORT"
  if ! PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
    PGPASSWORD="$PG_PASSWORD" createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_DATABASE"
  fi
  # Migrations talk to PostgreSQL directly: they run outside the pool.
  "$PY" manage.py migrate --no-input
  "$PY" manage.py compile_translations
  "$PY" manage.py collectstatic --no-input >/dev/null
  if [[ "$("$PY" manage.py shell -v 0 -c 'from accounts.models import User; print(User.objects.exists())')" == "False" ]]; then
    log "seeding the demo campaign into the empty database"
    "$PY" manage.py seed_campaign
  fi

  log "PgBouncer on 127.0.0.1:$PGB_PORT"
  export RUN_DIR PGB_PORT PG_HOST PG_PORT PG_USER PG_PASSWORD PG_DATABASE
  export PGB_DATABASE="$PG_DATABASE"
  export PGB_AUTH_TYPE="${PGB_AUTH_TYPE:-$([[ -n "$PG_PASSWORD" ]] && echo md5 || echo trust)}"
  (umask 077 && "$PY" deploy/render.py deploy/pgbouncer.ini >"$RUN_DIR/pgbouncer.ini"
    "$PY" deploy/render.py deploy/pgbouncer-userlist.txt >"$RUN_DIR/pgbouncer-userlist.txt")
  # PgBouncer refuses to run as root: it switches to PostgreSQL's user (or
  # nobody, where PostgreSQL runs on another machine).
  local pgb_user=postgres
  id -u postgres >/dev/null 2>&1 || pgb_user=nobody
  chown "$pgb_user" "$RUN_DIR/pgbouncer.ini" "$RUN_DIR/pgbouncer-userlist.txt"
  launch pgbouncer pgbouncer -u "$pgb_user" "$RUN_DIR/pgbouncer.ini"
  wait_for PgBouncer 20 bash -c "echo >/dev/tcp/127.0.0.1/$PGB_PORT"

  # From here on the portal reaches PostgreSQL through the pool.
  export DATABASE_URL="postgres://$PG_USER${PG_PASSWORD:+:$PG_PASSWORD}@127.0.0.1:$PGB_PORT/$PGB_DATABASE"
  export DATABASE_POOLED=true

  log "gunicorn on 127.0.0.1:$GUNICORN_PORT"
  export GUNICORN_BIND="127.0.0.1:$GUNICORN_PORT"
  launch gunicorn env GUNICORN_ACCESS_LOG="$LOGS/gunicorn-access.log" \
    "$VENV_BIN/gunicorn" -c deploy/gunicorn.conf.py ipfin.wsgi

  log "Celery: a worker for the heartbeat, mail and rollups, one for reports, one beat"
  launch worker "$VENV_BIN/celery" -A ipfin worker -n "default@%h" \
    -Q celery,mail,rollups --loglevel=INFO
  # Report and import jobs run long: one job per process, handed out one at a
  # time, and a process replaced after a few dozen PDFs.
  launch worker-reports "$VENV_BIN/celery" -A ipfin worker -n "reports@%h" \
    -Q reports --prefetch-multiplier 1 --max-tasks-per-child 50 --loglevel=INFO
  launch beat "$VENV_BIN/celery" -A ipfin beat --loglevel=INFO \
    --schedule "$RUN_DIR/celerybeat-schedule" --pidfile=

  log "nginx on 127.0.0.1:$NGINX_PORT"
  STATIC_ROOT="$("$PY" manage.py shell -v 0 -c 'from django.conf import settings; print(settings.STATIC_ROOT)')"
  REQUEST_BODY_MAX_BYTES="$("$PY" -c 'from core.limits import REQUEST_BODY_MAX_BYTES as b; print(b)')"
  export STATIC_ROOT REQUEST_BODY_MAX_BYTES
  export NGINX_USER="${NGINX_USER:-www-data}"
  export NGINX_LISTEN="127.0.0.1:$NGINX_PORT"
  export S3_ENDPOINT_HOST="${S3_ENDPOINT_URL#*://}"
  "$PY" deploy/render.py deploy/nginx.conf >"$RUN_DIR/nginx.conf"
  nginx -t -q -e "$LOGS/nginx-error.log" -c "$RUN_DIR/nginx.conf"
  launch nginx nginx -e "$LOGS/nginx-error.log" -c "$RUN_DIR/nginx.conf"

  log "waiting for /readyz/ through nginx"
  wait_for "the portal" 120 "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
    "http://127.0.0.1:$NGINX_PORT/readyz/"
  cat <<TEXT
The portal:      http://127.0.0.1:$NGINX_PORT/
Readiness:       http://127.0.0.1:$NGINX_PORT/readyz/
Metrics:         http://127.0.0.1:$NGINX_PORT/metrics/ (this machine only)
Logs and pids:   $RUN_DIR/
Stop with:       make prod-stop
TEXT
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
