#!/usr/bin/env bash
# check_identical.sh - are two trees of data files the same results?
#
#   tests/check_identical.sh [--data-only] [--exclude PREFIX ...] OLD NEW
#
# Compares every *.dat under the directories OLD and NEW (recursively: summaries and
# run files), for example the data/ of two checkouts, or build/smoke/data of two
# smoke runs. Two files are the same results when they are byte for byte identical
# apart from the header lines that say when, where and from which build they were
# made (src/harness/output.h):
#   # revision: ...   # date: ...   # cpu: ...   # blas: ...   # blas threads: ...
#   # libraries: ...  # compiler: ...   # cflags: ...
# and the timings, which measure this run's speed rather than compute a result: header
# parameters named *seconds ("# limit_seconds = 0.056") and columns named *seconds
# (their values; the rest of the row is compared). Every other line is compared: the
# program, the parameters, comments, the columns line and every number, bit for bit
# (%.17g). With --data-only every '#' line is passed over (for comparing across a
# change of header wording).
# --exclude PREFIX skips files whose path under OLD/NEW starts with PREFIX (e.g.
# --exclude bench/ for timings, which never repeat).
#
# Prints one line per file that differs, saying how: missing on one side, header
# lines that differ (the first of each side), or data lines that differ (how many,
# the first one, counted in data lines, and the largest absolute and relative
# difference between numbers in the same place). Exit status 0 when every file is the same, 1 when any differs, 2 on a
# usage error.
set -uo pipefail

usage() { echo "usage: $0 [--data-only] [--exclude PREFIX ...] OLD NEW" >&2; exit 2; }
data_only=0
excludes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data-only) data_only=1; shift ;;
    --exclude) [ $# -ge 2 ] || usage; excludes+=("$2"); shift 2 ;;
    --help|-h) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "$0: unknown option '$1'" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
old=${1%/} new=${2%/}
for d in "$old" "$new"; do
  [ -d "$d" ] || { echo "$0: '$d' is not a directory" >&2; exit 2; }
done

PROVENANCE='^# (revision|date|cpu|blas|blas threads|libraries|compiler|cflags): '

# The lines of a file that make its results: all but the provenance lines (with
# --data-only, all but the '#' lines) and the timings, whose values become '*'.
results() {
  awk -v data_only="$data_only" -v prov="$PROVENANCE" '
    /^# columns:/ {
      ntime = 0
      for (i = 3; i <= NF; i++) if ($i ~ /seconds$/) timecol[++ntime] = i - 2
    }
    /^#/ {
      if (data_only || $0 ~ prov || $0 ~ /^# [A-Za-z0-9_]*seconds = /) next
      print; next
    }
    ntime > 0 && NF > 0 { for (k = 1; k <= ntime; k++) if (timecol[k] <= NF) $(timecol[k]) = "*" }
    { print }' "$1"
}

skipped() {
  local p
  for p in "${excludes[@]+"${excludes[@]}"}"; do
    case "$1" in "$p"*) return 0 ;; esac
  done
  return 1
}

# How the data lines (not '#') of two result streams differ: count, first, largest
# differences.
describe_data() {
  awk '
    FNR == 1 { file = FILENAME == ARGV[1] ? 1 : 2 }
    /^#/ { next }
    file == 1 { a[++n1] = $0; next }
    { b[++n2] = $0 }
    END {
      n = n1 > n2 ? n1 : n2; bad = 0; maxabs = 0; maxrel = 0
      for (i = 1; i <= n; i++) {
        if (a[i] == b[i]) continue
        if (!bad) first = i
        bad++
        k1 = split(a[i], x); k2 = split(b[i], y)
        for (j = 1; j <= (k1 < k2 ? k1 : k2); j++) {
          if (x[j] !~ /^[-+0-9.eEinfa]+$/ || y[j] !~ /^[-+0-9.eEinfa]+$/) continue
          d = x[j] - y[j]; if (d < 0) d = -d
          s = x[j] < 0 ? -x[j] : x[j]
          if (d > maxabs) maxabs = d
          if (s > 0 && d / s > maxrel) maxrel = d / s
        }
      }
      if (n1 != n2) printf "%d data lines vs %d; ", n1, n2
      printf "%d data lines differ, the first is data line %d", bad, first
      printf "; largest difference %.3g absolute, %.3g relative\n", maxabs, maxrel
    }' "$1" "$2"
}

files=$( { (cd "$old" && find . -name '*.dat' -type f); (cd "$new" && find . -name '*.dat' -type f); } |
         sed 's|^\./||' | sort -u)
total=0 same=0 differ=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
while IFS= read -r f; do
  [ -n "$f" ] || continue
  skipped "$f" && continue
  total=$((total + 1))
  if [ ! -f "$old/$f" ]; then echo "$f: only in $new"; differ=$((differ + 1)); continue; fi
  if [ ! -f "$new/$f" ]; then echo "$f: only in $old"; differ=$((differ + 1)); continue; fi
  results "$old/$f" > "$tmp/old"
  results "$new/$f" > "$tmp/new"
  if cmp -s "$tmp/old" "$tmp/new"; then same=$((same + 1)); continue; fi
  differ=$((differ + 1))
  hdr=$(diff <(grep '^#' "$tmp/old") <(grep '^#' "$tmp/new"))
  if [ -n "$hdr" ]; then
    o=$(grep -m1 '^<' <<< "$hdr" | cut -c3-) n=$(grep -m1 '^>' <<< "$hdr" | cut -c3-)
    echo "$f: header lines differ: old '${o:-(none)}', new '${n:-(none)}'"
  fi
  if ! cmp -s <(grep -v '^#' "$tmp/old") <(grep -v '^#' "$tmp/new"); then
    echo "$f: $(describe_data "$tmp/old" "$tmp/new")"
  fi
done <<< "$files"
echo "check_identical: $total files compared, $same the same, $differ differ ($old vs $new)"
[ "$differ" -eq 0 ]
