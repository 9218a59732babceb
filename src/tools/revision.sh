#!/usr/bin/env bash
# revision.sh - the revision of the sources, as recorded in every data file header
# (build/revision.h, output.h's ntk_revision): the abbreviated hash of the last commit
# that changed the sources, with "-modified" when the working tree's sources differ
# from it (changed, staged, deleted or new files), "unknown" outside a git checkout.
#
# The sources are what can change a number: the library, harness, programs and build
# scripts (src/), each experiment's program (experiments/*/main.c) and the build
# (Makefile). Outputs (data/, figures/), documentation (README.md, REPRODUCE.md,
# paper/, experiments/*/README.md), plot scripts and tests are not: committing or
# regenerating them leaves the revision, and so every program and result, as it is.
# That is what lets a second `make figures` on a fresh clone do nothing, although the
# first one rewrote committed figures.
set -u
cd "$(dirname "$0")/../.." || { echo unknown; exit 0; }
SOURCES=(src Makefile ':(glob)experiments/*/main.c')
rev=$(git rev-list -1 HEAD -- "${SOURCES[@]}" 2>/dev/null) && [ -n "$rev" ] || { echo unknown; exit 0; }
short=$(git rev-parse --short "$rev") || { echo unknown; exit 0; }
if [ -n "$(git status --porcelain --untracked-files=normal -- "${SOURCES[@]}" 2>/dev/null)" ]; then
  echo "$short-modified"
else
  echo "$short"
fi
