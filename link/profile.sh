#!/usr/bin/env bash
# Regenerates link/hot-functions.txt: builds the release binary, runs the benchmarks that start
# it (the comparison, Discord, Slack with Discord, the coach, start-up on SQLite) with that
# binary under valgrind's callgrind, and lists every function of it that ran. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cargo build --release --locked
cp target/release/mentorbot "$work/mentorbot"
cat > "$work/wrap" <<WRAP
#!/bin/sh
exec valgrind --quiet --tool=callgrind --demangle=no --compress-strings=no --dump-instr=no \
  --callgrind-out-file="$work/callgrind.%p" "$work/mentorbot" "\$@"
WRAP
chmod +x "$work/wrap"
for bench in compare discord slack coach core; do
  echo "profiling under cargo bench --bench $bench" >&2
  MENTORBOT_BINARY="$work/wrap" COMPARE_PYTHON=/nonexistent \
    cargo bench --locked --bench "$bench" >"$work/$bench.log" 2>&1 \
    || echo "  it failed (see $work/$bench.log); keeping what ran" >&2
done
python3 - "$work" <<'PY'
import glob, subprocess, sys
work = sys.argv[1]
symbols = set()
listing = subprocess.run(["nm", f"{work}/mentorbot"], capture_output=True, text=True).stdout
for line in listing.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tTwW":
        symbols.add(parts[2])
ran = set()
for path in glob.glob(f"{work}/callgrind.*"):
    in_binary = False
    for line in open(path, errors="replace"):
        if line.startswith("ob="):
            in_binary = line.strip().endswith("/mentorbot")
        elif line.startswith("fn=") and in_binary:
            ran.add(line[3:].strip().split("'")[0])
hot = sorted(ran & symbols)
with open("link/hot-functions.txt") as old:
    header = [line for line in old if line.startswith("#")]
with open("link/hot-functions.txt", "w") as new:
    new.writelines(header)
    new.writelines(name + "\n" for name in hot)
print(f"{len(hot)} functions", file=sys.stderr)
PY
rm -rf "$work"
