#!/usr/bin/env bash
# Side-by-side search benchmark: Trame (bleve) against PostgreSQL searching the
# way Les Bases does (pg_trgm word_similarity, and French full-text search),
# over the same seeded corpus, plus the relevance evaluation on the bundled
# sample catalogue. Figures are printed as Markdown (BENCHMARKS.md, ## Search).
#
#   bash cmd/trame-bench/pg-bench.sh            # N=100000 resources
#   N=10000 ROUNDS=3 bash cmd/trame-bench/pg-bench.sh
#
# Installs PostgreSQL 15 from Debian when it is missing (needs root), starts
# the cluster, creates the databases trame_bench and trame_relevance (their
# table "resource" is replaced) and a superuser role for the current user.
set -euo pipefail
N=${N:-100000}
ROUNDS=${ROUNDS:-5}
SEED=${SEED:-1}
OUT=${OUT:-/tmp/trame-bench-$N}
cd "$(dirname "$0")/../.."

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql postgresql-contrib
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for i in $(seq 1 30); do pg_isready -q && break; sleep 1; done
me=$(id -un)
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1 \
  || su postgres -c "createuser -s $me"
for db in trame_bench trame_relevance; do
  psql -qtAc "SELECT 1 FROM pg_database WHERE datname='$db'" postgres | grep -q 1 || createdb "$db"
done

mkdir -p "$OUT"
go build -o "$OUT/trame-bench" ./cmd/trame-bench
echo "# Search benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$OUT/trame-bench" gen -n "$N" -seed "$SEED" -o "$OUT/corpus.jsonl"
"$OUT/trame-bench" bleve -n "$N" -seed "$SEED" -rounds "$ROUNDS" -dir "$OUT/index"
echo
"$OUT/trame-bench" bleve -reuse -dir "$OUT/index" -rounds "$ROUNDS"
echo
"$OUT/trame-bench" pg -dsn "postgres:///trame_bench?host=/var/run/postgresql" -corpus "$OUT/corpus.jsonl" -rounds 1
echo
"$OUT/trame-bench" relevance -dsn "postgres:///trame_relevance?host=/var/run/postgresql"
