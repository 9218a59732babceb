# checklib.sh - what the shell checks of `make test` share; sourced, after setting
# CHECK_NAME (the script's name, e.g. check_claims.sh) and CHECK_LABEL (the prefix of
# its lines, e.g. claims):
#   $tmp               a scratch directory, removed when the script exits
#   check WHAT CMD...  runs CMD; prints "LABEL: ok   WHAT" or "LABEL: FAIL WHAT" and
#                      counts the failures
#   checks_done        the summary line; exits 1 if any check failed
tmp=$(mktemp -d "/tmp/ntk-test-$CHECK_LABEL.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0

check() {
    local what=$1; shift
    if "$@"; then echo "$CHECK_LABEL: ok   $what"; else echo "$CHECK_LABEL: FAIL $what"; fails=$((fails + 1)); fi
}

checks_done() {
    [ "$fails" = 0 ] || { echo "$CHECK_NAME: $fails check(s) failed"; exit 1; }
    echo "$CHECK_NAME: all passed"
}
