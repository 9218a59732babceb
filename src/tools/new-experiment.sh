#!/usr/bin/env bash
# new-experiment.sh NAME - a new experiment experiments/NAME/ (main.c, plot.gp,
# README.md) from src/tools/template/, named NAME. Run by `make new-experiment
# NAME=...`; the Makefile finds it from then on (make NAME, make figures). It runs,
# summarises and plots as made: edit it into the experiment (experiments/PROTOCOL.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:-}
die() { echo "new-experiment: $*" >&2; exit 2; }
[ -n "$name" ] || die "give the experiment a name: make new-experiment NAME=my-experiment"
[[ "$name" =~ ^[a-z][a-z0-9-]*$ ]] || die "'$name': a name is lower-case letters, digits and -, starting with a letter"
[ ${#name} -le 40 ] || die "'$name': at most 40 characters"
case " all lib test help deps clean distclean figures programs data bench claims new-experiment ntk " in
  *" $name "*) die "'$name' is a make target already; choose another name" ;;
esac
[ ! -e "experiments/$name" ] || die "experiments/$name exists already"
for main in experiments/*/main.c; do
  if grep -Eq "^ *\.name *= *\"$name\"," "$main"; then die "'$name' is the name of $(dirname "$main") already"; fi
done
tmp=$(mktemp -d "experiments/.new-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for f in main.c plot.gp README.md; do
  sed "s/@NAME@/$name/g" "src/tools/template/$f" > "$tmp/$f"
done
mv "$tmp" "experiments/$name"
trap - EXIT
chmod 755 "experiments/$name"
echo "new-experiment: made experiments/$name/ (main.c, plot.gp, README.md)."
echo "  make $name PROFILE=smoke    runs it, summarises into build/smoke/data/$name/, plots build/smoke/figures/$name.png"
echo "  bin/$name --help            its commands and parameters"
echo "Edit main.c (settings, runs, run, summarize: see experiments/PROTOCOL.md), plot.gp and README.md."
