#!/bin/bash
# Wall time of sandbox-generator over 10, 100 and 1,000 generated profiles
# (one generator run each), median of several runs, against the target:
# 1,000 profiles in under 100 ms, growing linearly. For comparison, in the
# same run: xmllint validating the same 1,000 files against the schema in
# one process (schema compiled once) and one file per process (schema
# compiled per profile), the cost the generator avoids by compiling the
# schema once.
#
# Prints figures; it is not a pass/fail test.
#
#   bench/generator.sh [RUNS]      (default 21 runs per size)
#   BUILD_ROOT=... bench/generator.sh

set -eu

SOURCE_ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD_ROOT:=$SOURCE_ROOT/build}"
GENERATOR=$BUILD_ROOT/generator/sandbox-generator
SCHEMA=$SOURCE_ROOT/profiles/sandbox.rng
RUNS=${1:-21}
SIZES="10 100 1000"

if [ ! -x "$GENERATOR" ]; then
        echo "no generator at $GENERATOR (build first, or set BUILD_ROOT)" >&2
        exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-bench.XXXXXX")
chmod 0755 "$TMP"
OUT_BASE=
trap 'rm -rf "$TMP" ${OUT_BASE:+"$OUT_BASE"}' EXIT
umask 022

# systemd gives a generator directories on a tmpfs (/run/systemd/generator*):
# write there too, or the figures measure the disk's metadata speed
for d in /dev/shm /run; do
        if [ "$(stat -f -c %T "$d" 2>/dev/null)" = tmpfs ] && [ -w "$d" ]; then
                OUT_BASE=$(mktemp -d "$d/sandbox-bench-out.XXXXXX")
                break
        fi
done
OUT=${OUT_BASE:-$TMP}/out

# --- profiles ------------------------------------------------------------

# N profiles of a few kinds (web servers, databases, caches, workers,
# batch jobs), each with its own values; about half include a base profile.
make_profiles() {
        python3 - "$1" "$2" <<'EOF'
import os, random, sys

dest, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(n)
os.makedirs(dest + "/base")

bases = {
    "hardened": """<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <service type="simple" restart="on-failure" restart-sec="2s" timeout-stop-sec="30s"/>
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
    <tmp size="64M"/>
    <run size="16M"/>
    <mask path="/root"/>
    <mask path="/home"/>
  </filesystem>
  <network mode="host"/>
  <security>
    <capabilities keep=""/>
    <no-new-privileges enabled="yes"/>
  </security>
  <resources memory="512M" tasks="512"/>
  <install wanted-by="sandbox.target"/>
</sandbox>
""",
    "web-base": """<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <include name="hardened"/>
  <filesystem>
    <mask path="/etc/ssl/private"/>
  </filesystem>
  <security>
    <capabilities keep="CAP_NET_BIND_SERVICE"/>
    <apparmor profile="sandbox-default" optional="yes"/>
  </security>
  <resources cpu="100%"/>
</sandbox>
""",
}
for name, text in bases.items():
    with open("%s/base/%s.xml" % (dest, name), "w") as f:
        f.write(text)

def web(i):
    port = 8000 + i
    inc = '  <include name="web-base"/>\n' if i % 2 == 0 else ""
    return """<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>Web site %(i)d on port %(port)d</description>
%(inc)s  <exec user="www-data" group="www-data" workdir="/srv/www/site%(i)d">
    <arg>/usr/sbin/nginx</arg>
    <arg>-g</arg>
    <arg>daemon off; worker_processes %(w)d; error_log stderr;</arg>
    <arg>-c</arg>
    <arg>/etc/nginx/sites/site%(i)d.conf</arg>
    <env name="LANG" value="C.UTF-8"/>
    <env name="SITE_ID" value="%(i)d"/>
  </exec>
  <service type="exec" restart="on-failure" restart-sec="5s"/>
  <filesystem>
    <bind source="/srv/www/site%(i)d" target="/srv/www/site%(i)d" readonly="yes"/>
    <bind source="/var/log/web/site%(i)d" target="/var/log/nginx" readonly="no"/>
    <tmpfs target="/var/cache/nginx" size="%(cache)dM" mode="0750"/>
  </filesystem>
  <hostname>site%(i)d</hostname>
  <resources memory="%(mem)dM" tasks="%(tasks)d" io-weight="%(io)d"/>
  <install wanted-by="sandbox.target multi-user.target"/>
</sandbox>
""" % dict(i=i, port=port, inc=inc, w=rnd.randint(1, 8), cache=rnd.choice([16, 32, 64]),
           mem=rnd.choice([128, 256, 512]), tasks=rnd.choice([64, 128, 256]), io=rnd.randint(10, 1000))

def db(i):
    inc = '  <include name="hardened"/>\n' if i % 3 == 0 else ""
    return """<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>PostgreSQL cluster db%(i)d</description>
%(inc)s  <exec user="postgres" group="postgres">
    <arg>/usr/lib/postgresql/15/bin/postgres</arg>
    <arg>-D</arg>
    <arg>/var/lib/postgresql/15/db%(i)d</arg>
    <arg>-c</arg>
    <arg>config_file=/etc/postgresql/15/db%(i)d/postgresql.conf</arg>
    <arg>-c</arg>
    <arg>port=%(port)d</arg>
    <supplementary-group name="ssl-cert"/>
    <env name="PGTZ" value="UTC"/>
    <env name="PGDATA" value="/var/lib/postgresql/15/db%(i)d"/>
  </exec>
  <service type="notify" restart="on-failure" timeout-start-sec="5min" timeout-stop-sec="5min"/>
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
    <tmp size="256M"/>
    <tmpfs target="/run/postgresql" size="8M" mode="2775"/>
    <tmpfs target="/dev/shm/postgres" size="1G" mode="0700"/>
    <block tag="pgdata%(i)d" source="/dev/disk/by-id/virtio-db%(i)d"/>
  </filesystem>
  <network mode="host"/>
  <hostname>db%(i)d</hostname>
  <security>
    <capabilities keep=""/>
  </security>
  <resources memory="%(mem)dG" cpu="%(cpu)d%%" tasks="1024" io-weight="500"/>
</sandbox>
""" % dict(i=i, inc=inc, port=5432 + i, mem=rnd.choice([1, 2, 4]), cpu=rnd.choice([100, 200, 400]))

def cache(i):
    return """<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>memcached instance %(i)d</description>
  <include name="hardened"/>
  <exec user="memcache">
    <arg>/usr/bin/memcached</arg>
    <arg>-l</arg>
    <arg>127.0.0.1</arg>
    <arg>-p</arg>
    <arg>%(port)d</arg>
    <arg>-m</arg>
    <arg>%(mem)d</arg>
  </exec>
  <filesystem>
    <var mode="tmpfs"/>
  </filesystem>
  <hostname>cache%(i)d</hostname>
  <resources memory="%(limit)dM"/>
</sandbox>
""" % dict(i=i, port=11211 + i, mem=rnd.choice([64, 128, 256]), limit=rnd.choice([128, 256, 512]))

def worker(i):
    return """<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>Queue worker %(i)d</description>
  <include name="%(base)s"/>
  <exec user="worker" group="worker" workdir="/srv/app">
    <arg>/usr/bin/python3</arg>
    <arg>-m</arg>
    <arg>app.worker</arg>
    <arg>--queue=jobs-%(q)d</arg>
    <arg>--concurrency=%(c)d</arg>
    <arg>--log-format=%%(asctime)s %%(message)s</arg>
    <env name="PYTHONUNBUFFERED" value="1"/>
    <env name="APP_ENV" value="production"/>
    <env name="WORKER_ID" value="worker-%(i)d"/>
  </exec>
  <filesystem>
    <bind source="/srv/app" readonly="yes"/>
    <bind source="/srv/spool/w%(i)d" target="/var/spool/app" readonly="no"/>
    <image source="/srv/images/models-%(q)d.img" target="/opt/models" readonly="yes"/>
  </filesystem>
  <network mode="private"/>
  <resources cpu="%(cpu)d%%" tasks="%(tasks)d"/>
</sandbox>
""" % dict(i=i, base=rnd.choice(["hardened", "web-base"]), q=i % 7, c=rnd.randint(1, 16),
           cpu=rnd.choice([25, 50, 100]), tasks=rnd.choice([32, 64]))

def job(i):
    return """<?xml version="1.0" encoding="UTF-8"?>
<!-- batch job %(i)d -->
<sandbox>
  <description>Nightly report %(i)d</description>
  <exec user="nobody" group="nogroup">
    <arg>/bin/sh</arg>
    <arg>-c</arg>
    <arg>mkdir -p /var/reports &amp;&amp; du -sh /usr/* &gt; /var/reports/usage-%(i)d-$(date +%%F).txt</arg>
  </exec>
  <service type="oneshot" restart="no" timeout-start-sec="1h"/>
  <root type="directory" path="/srv/roots/job%(i)d"/>
  <filesystem>
    <etc mode="private"/>
    <var mode="private"/>
    <tmp size="32M"/>
  </filesystem>
  <network mode="none"/>
  <security>
    <capabilities keep=""/>
  </security>
  <resources memory="64M" cpu="10%%" tasks="16" io-weight="10"/>
</sandbox>
""" % dict(i=i)

kinds = [web, web, db, cache, worker, worker, job]
for i in range(n):
    kind = kinds[i % len(kinds)]
    with open("%s/%s-%04d.xml" % (dest, kind.__name__, i), "w") as f:
        f.write(kind(i))
EOF
}

# --- timing ---------------------------------------------------------------

median() {
        sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# time_generator DIR [OUTPUT]: one run into a fresh output directory, in
# microseconds
time_generator() {
        local out=${2:-$OUT} t0 t1
        rm -rf "$out"
        mkdir "$out"
        # EPOCHREALTIME without its ".": microseconds, read without a fork
        t0=${EPOCHREALTIME/./}
        SANDBOX_PROFILE_PATH=$1 "$GENERATOR" "$out" 2>"$TMP/gen.err"
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
}

# time_command COMMAND...: one run, in microseconds
time_command() {
        local t0 t1
        t0=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>&1 || true
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
}

# 1 profile: the fixed cost of a run (start, schema compile, exit)
declare -A MEDIAN
for n in 1 $SIZES; do
        make_profiles "$TMP/p$n" "$n"
        # sanity: every profile is valid and written
        time_generator "$TMP/p$n" >/dev/null || {
                echo "generator failed on the $n generated profiles:" >&2
                cat "$TMP/gen.err" >&2
                exit 1
        }
        written=$(find "$OUT" -name 50-profile.conf | wc -l)
        if [ "$written" -ne "$n" ]; then
                echo "generator wrote $written drop-ins for $n profiles" >&2
                exit 1
        fi
        for _ in $(seq "$RUNS"); do
                time_generator "$TMP/p$n"
        done | median >"$TMP/median"
        MEDIAN[$n]=$(cat "$TMP/median")
done

ms() {
        awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'
}

echo "sandbox-generator: $GENERATOR"
echo "median of $RUNS runs each, warm cache, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "output on $(stat -f -c %T "$(dirname "$OUT")") ($(dirname "$OUT"))"
echo
printf '%10s  %10s  %14s  %s\n' profiles "total ms" "ms per profile" target
printf '%10s  %10s  %14s  %s\n' 1 "$(ms "${MEDIAN[1]}")" - "(fixed cost: start, schema compile, exit)"
for n in $SIZES; do
        per=$(awk -v us="${MEDIAN[$n]}" -v n="$n" 'BEGIN { printf "%.3f", us / 1000 / n }')
        target=-
        if [ "$n" -eq 1000 ]; then
                target=$(awk -v us="${MEDIAN[$n]}" 'BEGIN { printf "< 100 ms: %s", (us / 1000 < 100) ? "met" : "missed" }')
        fi
        printf '%10s  %10s  %14s  %s\n' "$n" "$(ms "${MEDIAN[$n]}")" "$per" "$target"
done

# linear growth: the cost per added profile between sizes, without the
# fixed start-up cost
echo
awk -v a="${MEDIAN[100]}" -v b="${MEDIAN[1000]}" -v z="${MEDIAN[1]}" 'BEGIN {
        m1 = (a - z) / 99 / 1000; m2 = (b - a) / 900 / 1000
        printf "cost per added profile: %.3f ms (1 -> 100), %.3f ms (100 -> 1,000); ratio %.2f (1.0 is linear)\n", m1, m2, (m1 > 0 ? m2 / m1 : 0)
        printf "fixed cost of a run (1 profile): %.1f ms\n", z / 1000 }'

# the same 1,000 written to the disk that holds $TMP, for scale
if [ -n "$OUT_BASE" ]; then
        for _ in $(seq 3); do
                time_generator "$TMP/p1000" "$TMP/out-disk"
        done | median >"$TMP/median"
        echo "1,000 profiles with the output on $(stat -f -c %T "$TMP") ($TMP) instead: $(ms "$(cat "$TMP/median")") ms"
fi

# --- comparison: xmllint and the schema ----------------------------------

if command -v xmllint >/dev/null; then
        files=("$TMP/p1000"/*.xml)
        xmedian() {
                local k=$1
                shift
                for _ in $(seq "$k"); do
                        time_command "$@"
                done | median
        }
        all=$(xmedian 3 xmllint --noout --relaxng "$SCHEMA" "${files[@]}")
        one=$(xmedian "$RUNS" xmllint --noout --relaxng "$SCHEMA" "${files[0]}")
        plain=$(xmedian "$RUNS" xmllint --noout "${files[0]}")
        echo
        echo "comparison, the same 1,000 profiles:"
        printf '  %-60s %9s ms\n' "sandbox-generator (parse, includes, schema, checks, write)" "$(ms "${MEDIAN[1000]}")"
        printf '  %-60s %9s ms\n' "xmllint --relaxng, all files in one process (schema once)" "$(ms "$all")"
        printf '  %-60s %9s ms\n' "xmllint --relaxng, one process per file (1 file x 1,000)" "$(ms $((one * 1000)))"
        awk -v one="$one" -v plain="$plain" -v a="${MEDIAN[100]}" -v b="${MEDIAN[1000]}" 'BEGIN {
                printf "  one xmllint run on one file: %.1f ms with the schema, %.1f ms without;\n", one / 1000, plain / 1000
                printf "  the generator adds %.3f ms per profile: the schema is compiled once per run, not per profile\n", \
                        (b - a) / 900 / 1000 }'
else
        echo
        echo "comparison: xmllint not installed"
fi
