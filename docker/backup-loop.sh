#!/bin/sh
# Scheduled backups of the service's graph and job metadata with `atg backup`, run by a second
# container of the atg image beside the service (it shares the service's settings: NEO4J_*,
# REDIS_URL, ATG_DATA_DIR). Every day at BACKUP_HOUR_UTC it writes one archive, then removes
# archives older than BACKUP_KEEP_DAYS with `atg backup prune`.
#
# Where the archives go (one of):
#   BACKUP_BLOB_CONTAINER_URL  https://<account>.blob.core.windows.net/backups (managed identity
#                              or SharedKey, as `atg backup --blob-url` signs in)
#   BACKUP_DIR                 a mounted directory (the compose stack's backups volume)
# Other settings: BACKUP_HOUR_UTC (0-23, default 2), BACKUP_KEEP_DAYS (default 30),
# BACKUP_RESTORE_URL (restore this archive once before the first backup: the disaster-recovery
# path of infrastructure/scripts/restore.sh; a marker under ATG_DATA_DIR keeps a restarted
# container from restoring it again).
#
#   atg-backup-loop            run forever
#   atg-backup-loop --once     one backup (and prune) now, then exit
set -eu

log() { printf '{"time":"%s","level":"%s","msg":"%s"}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2" >&2; }
die() { log error "$1"; exit 2; }

hour="${BACKUP_HOUR_UTC:-2}"
keep="${BACKUP_KEEP_DAYS:-30}"
case "$hour" in '' | *[!0-9]*) die "BACKUP_HOUR_UTC must be an hour 0-23, not '$hour'" ;; esac
[ "$hour" -le 23 ] || die "BACKUP_HOUR_UTC must be an hour 0-23, not '$hour'"
case "$keep" in '' | *[!0-9]* | 0) die "BACKUP_KEEP_DAYS must be a number of days >= 1, not '$keep'" ;; esac
if [ -n "${BACKUP_BLOB_CONTAINER_URL:-}" ]; then
  case "$BACKUP_BLOB_CONTAINER_URL" in
    https://* | http://127.0.0.1* | http://localhost*) ;;
    *) die "BACKUP_BLOB_CONTAINER_URL must be an https:// blob container URL" ;;
  esac
  base="${BACKUP_BLOB_CONTAINER_URL%/}"
  where="--blob-url"
  prune_where="--blob-url"
elif [ -n "${BACKUP_DIR:-}" ]; then
  [ -d "$BACKUP_DIR" ] || die "BACKUP_DIR=$BACKUP_DIR is not a directory: mount the backups volume there"
  base="${BACKUP_DIR%/}"
  where="--output"
  prune_where="--dir"
else
  die "set BACKUP_BLOB_CONTAINER_URL (a blob container) or BACKUP_DIR (a mounted directory)"
fi

backup_once() {
  name="atg-backup-$(date -u +%Y%m%dT%H%M%SZ).tar.zst"
  if atg backup "$where" "$base/$name" --include-jobs; then
    log info "backup written: $name"
  else
    log error "backup failed: $name (see the lines above); the next attempt is tomorrow"
    return 1
  fi
  # Retention: the archives older than BACKUP_KEEP_DAYS go (in Azure the storage account's
  # lifecycle rule removes them as well, so a failed prune never keeps them for ever).
  if ! atg backup prune --keep-days "$keep" "$prune_where" "$base"; then
    log warning "backup prune failed; older archives stay until the next run"
  fi
}

restore_once() {
  url="$1"
  marker="${ATG_DATA_DIR:-/var/lib/atg}/.restored-$(printf '%s' "$url" | sha256sum | cut -c1-16)"
  if [ -e "$marker" ]; then
    log info "restore of this archive already done ($marker); not repeated"
    return 0
  fi
  log info "restoring the graph from the requested archive"
  atg restore --blob-url "$url" || { log error "restore failed; the service keeps the graph it had"; return 1; }
  : >"$marker"
  log info "restore completed"
}

if [ "${1:-}" = "--once" ]; then
  backup_once
  exit $?
fi
[ "$#" -eq 0 ] || die "usage: atg-backup-loop [--once]"

if [ -n "${BACKUP_RESTORE_URL:-}" ]; then restore_once "$BACKUP_RESTORE_URL" || true; fi
log info "daily backups at ${hour}:00 UTC to $where target, kept ${keep} days"
while :; do
  now=$(date -u +%s)
  next=$(date -u -d "today ${hour}:00" +%s)
  [ "$next" -gt "$now" ] || next=$(date -u -d "tomorrow ${hour}:00" +%s)
  sleep $((next - now))
  backup_once || true
done
