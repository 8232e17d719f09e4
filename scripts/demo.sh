#!/usr/bin/env bash
# The main job on the offline replica: serve it, crawl it into the archive, search it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8765}
ARTICLES=${ARTICLES:-300}
DB=${DB:-data/archive.db}
NA=.venv/bin/newsarchive
BASE="http://127.0.0.1:${PORT}"

mkdir -p "$(dirname "$DB")"
echo "== starting the turan.az replica ($ARTICLES articles) on $BASE"
$NA replica serve --port "$PORT" --articles "$ARTICLES" &
replica_pid=$!
trap 'kill "$replica_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$BASE/robots.txt" 2>/dev/null; then
    break
  fi
  kill -0 "$replica_pid" 2>/dev/null || { echo "the replica did not start (is port $PORT free? try PORT=...)" >&2; exit 1; }
  sleep 0.1
done

echo "== crawling it into $DB"
$NA crawl turan --base-url "$BASE" --db "$DB"

for query in "Aliyev" "Əliyev Bakı" "переговоры"; do
  echo
  echo "== newsarchive search \"$query\" --limit 3"
  $NA search "$query" --db "$DB" --limit 3
done
echo
echo "== newsarchive stats"
$NA stats --db "$DB"
