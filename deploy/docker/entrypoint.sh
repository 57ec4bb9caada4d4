#!/bin/sh
# Entrypoint of the G-Mart image: the first argument names what to run.
#   masking | patterns | rewards | storage | coupon-join | stock-analytics   a service (node apps/<name>/dist/main.js)
#   create-topics [--file F]...                                             create the topics of deploy/topics.yaml
#   generate [--rate N --brokers B --topic T]                               the purchase generator
#   generate-stocks [--rate N --brokers B]                                  the stock generator
#   anything else                                                           executed as given (e.g. `node -e ...`)
# With no argument, $GMART_SERVICE (set at build time by --build-arg SERVICE=...) is run.
# Every Node program started here runs with V8's semi-space capped at 32 MiB (--max-semi-space-size=32,
# deploy/README.md "Node.js runtime") unless NODE_OPTIONS sets the cap; other NODE_OPTIONS flags are kept.
# The services, create-topics and the generators also get the cap in effect as the semi-space's floor
# (--min-semi-space-size=<cap>, on node's command line: Node does not allow it in NODE_OPTIONS), so V8 commits
# the young generation at its full size from the start and the RSS does not step when V8 would resize it;
# GMART_FIXED_SEMI_SPACE=false leaves V8 to resize it.
# They also run with V8's garbage collector on the main thread alone (--single-threaded-gc, on the command line:
# Node does not allow it in NODE_OPTIONS), except stock-analytics, which runs with V8's parallel and concurrent GC
# (single-thread bound and allocation-heavy: its GC goes to otherwise idle cores). GMART_SINGLE_THREADED_GC=false
# gives V8's parallel GC to any of them, any other non-empty value (true) the flag, stock-analytics included.
set -eu
case " ${NODE_OPTIONS:-}" in
  *" --max"[-_]"semi"[-_]"space"[-_]"size"*) ;;
  *) NODE_OPTIONS="--max-semi-space-size=32${NODE_OPTIONS:+ $NODE_OPTIONS}" ;;
esac
export NODE_OPTIONS
flags=""
if [ "${GMART_FIXED_SEMI_SPACE:-}" != false ]; then
  cap=$(printf ' %s\n' "$NODE_OPTIONS" | sed -n 's/.*[[:space:]]--max[-_]semi[-_]space[-_]size[= ]\([0-9][0-9]*\).*/\1/p')
  if [ -n "$cap" ] && [ "$cap" -gt 0 ]; then flags="--min-semi-space-size=$cap"; fi
fi
cmd="${1:-${GMART_SERVICE:-}}"
[ "$#" -gt 0 ] && shift
single_threaded_gc="${GMART_SINGLE_THREADED_GC:-}"
if [ -z "$single_threaded_gc" ]; then
  # Each program's default: stock-analytics (deploy/src/runtime/node-runtime.ts, PARALLEL_GC_SERVICES) without the flag.
  case "$cmd" in stock-analytics) single_threaded_gc=false ;; *) single_threaded_gc=true ;; esac
fi
if [ "$single_threaded_gc" != false ]; then flags="${flags:+$flags }--single-threaded-gc"; fi
case "$cmd" in
  masking|patterns|rewards|storage|coupon-join|stock-analytics)
    if [ ! -f "/app/apps/$cmd/dist/main.js" ]; then
      echo "gmart: service '$cmd' is not in this image (no apps/$cmd/dist/main.js)" >&2
      exit 64
    fi
    exec node $flags "/app/apps/$cmd/dist/main.js" "$@" ;;
  create-topics)
    exec node $flags /app/deploy/dist/cli/create-topics.js "$@" ;;
  generate)
    exec node $flags /app/libs/gmart/dist/cli/generate.js "$@" ;;
  generate-stocks)
    exec node $flags /app/libs/gmart/dist/cli/generate-stocks.js "$@" ;;
  "")
    echo "gmart: name a service (masking, patterns, rewards, storage, coupon-join, stock-analytics), create-topics, generate or generate-stocks" >&2
    exit 64 ;;
  *)
    exec "$cmd" "$@" ;;
esac
