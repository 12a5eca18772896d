#!/usr/bin/env bash
# Starts or stops a throw-away redis-server on a free loopback port for running the Redis token cache tests by hand.
# The test suite starts its own server (tests/XCally.ModernAuth.Testing.Tests/EndToEnd/RedisServer.cs); this script is for
# trying a host against Redis. Usage: tests/redis-test-server.sh start   -> prints "port pid folder"
#                                     tests/redis-test-server.sh stop PID FOLDER
set -euo pipefail
case "${1:-}" in
  start)
    command -v redis-server >/dev/null || { echo "redis-server is not installed; install it with: apt-get install -y redis-server" >&2; exit 1; }
    folder=$(mktemp -d -t xcally-redis-XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$folder" > "$folder/redis.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port $pid $folder"; exit 0; fi
      kill -0 "$pid" 2>/dev/null || { cat "$folder/redis.log" >&2; exit 1; }
      sleep 0.1
    done
    kill "$pid"; echo "redis-server did not listen on port $port" >&2; exit 1
    ;;
  stop)
    pid=${2:?usage: $0 stop PID FOLDER}; folder=${3:?usage: $0 stop PID FOLDER}
    kill "$pid" 2>/dev/null || true
    case "$folder" in */xcally-redis-*) rm -rf -- "$folder" ;; esac
    ;;
  *) echo "usage: $0 start | stop PID FOLDER" >&2; exit 2 ;;
esac
