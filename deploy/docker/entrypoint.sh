#!/bin/sh
# Entrypoint of the G-Mart image: the first argument names what to run.
#   masking | patterns | rewards | storage | coupon-join | stock-analytics   a service (node apps/<name>/dist/main.js)
#   create-topics [--file F]...                                             create the topics of deploy/topics.yaml
#   generate [--rate N --brokers B --topic T]                               the purchase generator
#   generate-stocks [--rate N --brokers B]                                  the stock generator
#   anything else                                                           executed as given (e.g. `node -e ...`)
# With no argument, $GMART_SERVICE (set at build time by --build-arg SERVICE=...) is run.
# Every Node program started here runs with V8's semi-space capped at 32 MiB (--max-semi-space-size=32,
# deploy/README.md "Node.js runtime") unless NODE_OPTIONS sets the size; other NODE_OPTIONS flags are kept.
set -eu
case " ${NODE_OPTIONS:-}" in
  *" --max"[-_]"semi"[-_]"space"[-_]"size"*) ;;
  *) NODE_OPTIONS="--max-semi-space-size=32${NODE_OPTIONS:+ $NODE_OPTIONS}" ;;
esac
export NODE_OPTIONS
cmd="${1:-${GMART_SERVICE:-}}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
  masking|patterns|rewards|storage|coupon-join|stock-analytics)
    if [ ! -f "/app/apps/$cmd/dist/main.js" ]; then
      echo "gmart: service '$cmd' is not in this image (no apps/$cmd/dist/main.js)" >&2
      exit 64
    fi
    exec node "/app/apps/$cmd/dist/main.js" "$@" ;;
  create-topics)
    exec node /app/deploy/dist/cli/create-topics.js "$@" ;;
  generate)
    exec node /app/libs/gmart/dist/cli/generate.js "$@" ;;
  generate-stocks)
    exec node /app/libs/gmart/dist/cli/generate-stocks.js "$@" ;;
  "")
    echo "gmart: name a service (masking, patterns, rewards, storage, coupon-join, stock-analytics), create-topics, generate or generate-stocks" >&2
    exit 64 ;;
  *)
    exec "$cmd" "$@" ;;
esac
