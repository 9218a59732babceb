#!/usr/bin/env bash
# check_paper.sh - paper/ names the functions of src/ that compute each formula, as
# markdown links [`function`](../src/file.c). This check fails when a named function
# is no longer defined in the file the text points to, so paper/ stays true.
set -u
cd "$(dirname "$0")/.."
total=0; missing=0
while IFS=$'\t' read -r doc name file; do
  total=$((total + 1))
  path="paper/$file"
  if [ ! -f "$path" ]; then
    echo "paper check: $doc names $name in $file, which does not exist" >&2
    missing=$((missing + 1))
  elif ! grep -Eq "^[A-Za-z_].*[ *]${name}\(" "$path"; then
    echo "paper check: $doc names $name, which is not defined in $file" >&2
    missing=$((missing + 1))
  fi
done < <(grep -oE '\[`[A-Za-z_][A-Za-z0-9_]*`\]\(\.\./[^)]+\)' paper/*.md /dev/null |
         sed -E 's/^([^:]+):\[`([^`]+)`\]\(([^)]+)\)$/\1\t\2\t\3/')
if [ "$total" -eq 0 ]; then
  echo "paper check: no function references found in paper/*.md" >&2
  exit 1
fi
if [ "$missing" -gt 0 ]; then
  echo "paper check: $missing of $total function references in paper/ are broken" >&2
  exit 1
fi
echo "paper check: all $total function references in paper/ resolve to definitions in src/"
