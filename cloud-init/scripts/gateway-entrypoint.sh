#!/bin/sh
# Entrypoint of the gateway container, mounted read-only from the root disk at
# /run/openclaw/entrypoint.sh. Exports the KEY=VALUE lines of the read-only
# secrets file, then runs its arguments. The values reach only this process
# tree: never the container's configuration (`docker inspect`), argv or a log.
# POSIX sh: the image's /bin/sh, whatever shell it is.
set -eu

secrets=${OPENCLAW_SECRETS_FILE:-/run/openclaw/.env}
# Keys to export, separated by spaces (default: every key). The host's pre-start check runs this script as root
# and asks for the two auth keys only, so no LD_PRELOAD, PATH or the like from the file reaches a root process.
only=${OPENCLAW_SECRETS_KEYS:-}
if [ ! -r "$secrets" ]; then
  echo "gateway-entrypoint: cannot read $secrets (is it mounted, and readable by uid $(id -u)?)" >&2
  exit 78
fi

while IFS= read -r line || [ -n "$line" ]; do
  case $line in '' | '#'*) continue ;; esac
  line=${line#export }
  case $line in *=*) ;; *) continue ;; esac
  key=${line%%=*}
  value=${line#*=}
  case $key in '' | [0-9]* | *[!A-Za-z0-9_]*)
    echo "gateway-entrypoint: skipped a line of $secrets that is not KEY=VALUE" >&2
    continue ;;
  esac
  if [ -n "$only" ]; then
    case " $only " in *" $key "*) ;; *) continue ;; esac
  fi
  # One pair of surrounding quotes is removed, as docker compose's env_file did.
  case $value in
    \"*\") value=${value#\"} value=${value%\"} ;;
    \'*\') value=${value#\'} value=${value%\'} ;;
  esac
  export "$key=$value"
done <"$secrets"

exec "$@"
