#!/usr/bin/env bash
# Kills `mdnviz --headless --save-data FILE` with SIGKILL at random moments while it replaces an
# existing FILE, many times over. After every kill FILE must be byte-identical (sha256) to the old
# file or to the complete new one: never truncated, never a mix. A kill -9 cannot be cleaned up
# after by the killed process, so a hidden ".FILE.mdnviz-tmp-PID-N" may remain; the next
# successful save into the folder must remove every such file whose process is gone.
#
# Usage: tests/kill-during-save.sh MDNVIZ [KILLS] [POINTS] [SEED]
#   (defaults: 200 kills, 1,000,000 points, seed from $RANDOM; prints a summary line)
set -euo pipefail
mdnviz=$1
kills=${2:-200}
points=${3:-1000000}
seed=${4:-$RANDOM}
RANDOM=$seed
export QT_QPA_PLATFORM=offscreen

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=$work/folder
mkdir -p "$dir" "$work/ref"
target=$dir/data.csv

save() { # save SEED FILE: generate and write a dataset, nothing else
  "$mdnviz" --headless --epochs 0 --model mse --points "$points" --seed "$1" --save-data "$2"
}
start_save() { # as save, in the background; $pid is mdnviz's own process id (the one to kill)
  "$mdnviz" --headless --epochs 0 --model mse --points "$points" --seed "$1" --save-data "$2" \
    >/dev/null 2>&1 &
  pid=$!
}
save 7 "$work/ref/old.csv" >/dev/null 2>&1
save 8 "$work/ref/new.csv" >/dev/null 2>&1
old=$(sha256sum < "$work/ref/old.csv")
new=$(sha256sum < "$work/ref/new.csv")
cp "$work/ref/old.csv" "$target"

# How long the temporary file exists during a save (the shortest of a few runs watched), in
# microseconds: most kills wait for it to appear and then strike within that long (a slower
# save is still writing, a faster one may have finished), the others strike at random before it
# appears.
now_us() { echo $(( $(date +%s%N) / 1000 )); }
window=0 before_save=0
for ((c = 0; c < 3; c++)); do
  cp "$work/ref/old.csv" "$work/ref/calibrate.csv"
  start=$(now_us)
  start_save 8 "$work/ref/calibrate.csv"
  seen_first=0 seen_last=0
  while kill -0 "$pid" 2>/dev/null; do
    if compgen -G "$work/ref/.calibrate.csv.mdnviz-tmp-*" >/dev/null; then
      t=$(( $(now_us) - start ))
      ((seen_first == 0)) && seen_first=$t
      seen_last=$t
    fi
  done
  wait "$pid"
  # The shortest of the runs: a slow fsync now and then must not stretch the window.
  ((window == 0 || seen_last - seen_first < window)) && window=$((seen_last - seen_first))
  ((seen_first > before_save)) && before_save=$seen_first
done
window=$(( window + 1000 ))
before_save=$(( before_save + 1 ))

intact=0 replaced=0 corrupt=0 midwrite=0
for ((i = 1; i <= kills; i++)); do
  start_save 8 "$target"
  if ((RANDOM % 4 == 0)); then
    delay=$(( (RANDOM * 32768 + RANDOM) % before_save ))
  else
    while kill -0 "$pid" 2>/dev/null && ! compgen -G "$dir/.data.csv.mdnviz-tmp-$pid-*" >/dev/null; do
      :
    done
    delay=$(( (RANDOM * 32768 + RANDOM) % window ))
  fi
  sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # One more temporary file next to the target: the kill landed while the save was writing.
  temps=$(find "$dir" -name '.data.csv.mdnviz-tmp-*' | wc -l)
  if ((temps > ${before:-0})); then
    midwrite=$((midwrite + 1))
  fi
  before=$temps
  now=$(sha256sum < "$target")
  if [[ $now == "$old" ]]; then
    intact=$((intact + 1))
  elif [[ $now == "$new" ]]; then
    replaced=$((replaced + 1))
    cp "$work/ref/old.csv" "$target" # back to the old file for the next round
  else
    corrupt=$((corrupt + 1))
    echo "kill $i after ${delay} us: $target is neither the old nor the new file" >&2
    cp "$work/ref/old.csv" "$target"
  fi
done
leftover=$(find "$dir" -name '.data.csv.mdnviz-tmp-*' | wc -l)

# The next successful save cleans up what the killed ones left.
save 8 "$target" >/dev/null 2>&1
stray=$(find "$dir" -name '*mdnviz-tmp*' | wc -l)
final=$(sha256sum < "$target")

echo "kill -9 during save: $kills kills ($points points, seed $seed; the temporary file lives" \
     "about $((window / 1000)) ms):" \
     "$intact left the old file intact, $replaced after the new file was complete," \
     "$corrupt corrupt; $midwrite landed mid-write; $leftover temporary files left," \
     "$stray after the next save"
[[ $corrupt -eq 0 && $stray -eq 0 && $final == "$new" && $midwrite -gt 0 ]]
