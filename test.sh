#!/usr/bin/env bash
# Runs every HealthGen test on a fresh clone and prints "tests: N passed, N failed" as its last line.
# Needs the .NET 10 SDK; everything else it installs or starts itself.
# HEALTHGEN_SOAK_SECONDS=600 ./test.sh runs the reliability soak for ten minutes (default 60 s).
set -uo pipefail
cd "$(dirname "$0")"

results="artifacts/test-results"
summary() { echo "tests: $1 passed, $2 failed"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (dotnet is not on PATH)." >&2
  summary 0 1
  exit 1
fi

# The built-in checks are tested against real servers on loopback: PostgreSQL, OpenLDAP slapd and
# SoftHSM2 (the tests start and stop their own instances). Install what is missing.
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v slapd >/dev/null 2>&1 || missing+=(slapd)
command -v ldapsearch >/dev/null 2>&1 || missing+=(ldap-utils)
command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || missing+=(opensc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "test.sh: could not install ${missing[*]}; the tests that need them will fail" >&2
  else
    echo "test.sh: not root, cannot install ${missing[*]}; the tests that need them will fail" >&2
  fi
fi

rm -rf "$results"
mkdir -p "$results"

# Warnings are errors in every project, so a clean build is part of the test.
if ! dotnet build HealthGen.sln -c Release -nologo; then
  echo "test.sh: the build failed." >&2
  summary 0 1
  exit 1
fi

# The sample as a native-AOT binary on net10.0 (docs/aot.md). Warnings are errors, so any IL2xxx/IL3xxx
# trimming or AOT warning fails here. The end-to-end tests run the binary against the real servers.
aot_failed=0
if ! dotnet publish samples/HealthGen.Sample -c Release -r linux-x64 -f net10.0 -o artifacts/aot -nologo; then
  echo "test.sh: the native-AOT publish of the sample failed." >&2
  aot_failed=1
fi

# One project at a time: the machine has two cores, and the end-to-end tests start real servers.
status=0
for project in tests/*/; do
  name=$(basename "$project")
  [ -f "$project/$name.csproj" ] || continue
  grep -q "<IsTestProject>false</IsTestProject>" "$project/$name.csproj" && continue
  echo "== $name"
  dotnet test "$project/$name.csproj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  for attribute in passed failed error timeout aborted; do
    value=$(sed -n "s/.* $attribute=\"\([0-9]*\)\".*/\1/p" <<<"$counters")
    value=${value:-0}
    if [ "$attribute" = passed ]; then passed=$((passed + value)); else failed=$((failed + value)); fi
  done
done

failed=$((failed + aot_failed))
[ "$aot_failed" -eq 0 ] || status=1

# A test host that crashed writes no counts: never report green for it.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

summary "$passed" "$failed"
exit "$status"
