#!/usr/bin/env bash
# Native AOT: the same minimal HSM check on Pkcs11Interop 5.3.0 and on HealthGen.Checks.Pkcs11's own binding.
#
# Why: docs/checks.md decides HealthGen's PKCS#11 binding by these figures. Two console apps, built in a
# temp directory, do the same thing: load the PKCS#11 module, C_Initialize, find the token by label, open a
# session, C_Login as user, C_Logout, print one line. One calls Pkcs11Interop (the package the design card
# names), the other Pkcs11Token from src/HealthGen.Checks.Pkcs11. Both are published native AOT for
# linux-x64 / net10.0 with PublishAot in the project file (not on the command line, which would reach the
# generator project: NETSDK1207) and TrimmerSingleWarn=false, so every trim/AOT warning is listed with its
# own id instead of one IL2104/IL3053 summary per assembly.
#
# What it prints, per app:
#   - IL2xxx/IL3xxx warnings of the publish: how many (distinct warning lines) and which ids, counted;
#   - whether the native binary runs against a real SoftHSM2 token (a private one in the temp directory,
#     initialized with softhsm2-util): its exit code and first line of output. The Pkcs11Interop app runs
#     twice: as published, and with a DllImport resolver that maps "libdl" to libdl.so.2 (glibc >= 2.34 ships
#     no libdl.so; Debian 12 has only libdl.so.2), to see whether anything beyond the libdl failure breaks;
#   - the size of the native executable in bytes (the .dbg symbol file excluded).
#
# Run from anywhere (2 cores: expect two native publishes, a few minutes; not while another heavy build runs):
#   benchmarks/pkcs11-binding-aot.sh
# Needs the .NET 10 SDK, the served packages Pkcs11Interop 5.3.0 and the .NET 10 native-AOT packs, and for the
# runs softhsm2 (apt-get install -y softhsm2). Output on stdout only; the temp directory is removed at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
label="aot-bench"
pin="1234"

fail() { echo "pkcs11-binding-aot.sh: $*" >&2; exit 1; }
command -v dotnet >/dev/null || fail "the .NET 10 SDK is required (dotnet is not on PATH)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
cp "$root/nuget.config" "$work/nuget.config" # the machine's package folder, as in the repository

# ------------------------------------------------------------------------------------------------ the apps
mkdir -p "$work/interop" "$work/own"
cat > "$work/interop/InteropCheck.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <PublishAot>true</PublishAot>
    <TrimmerSingleWarn>false</TrimmerSingleWarn>
    <InvariantGlobalization>true</InvariantGlobalization>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Pkcs11Interop" Version="5.3.0" />
  </ItemGroup>
</Project>
EOF
cat > "$work/interop/Program.cs" <<'EOF'
using System;
using System.Linq;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

if (Environment.GetEnvironmentVariable("LIBDL_RESOLVER") == "1")
{
    NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly,
        (name, assembly, path) => name == "libdl" ? NativeLibrary.Load("libdl.so.2") : IntPtr.Zero);
}

var factories = new Pkcs11InteropFactories();
using IPkcs11Library library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, args[0], AppType.MultiThreaded);
ISlot slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.TrimEnd(' ') == args[1]);
bool initialized = slot.GetTokenInfo().TokenFlags.TokenInitialized;
using ISession session = slot.OpenSession(SessionType.ReadOnly);
session.Login(CKU.CKU_USER, args[2]);
session.Logout();
Console.WriteLine($"token '{args[1]}' present, initialized: {initialized}, login OK");
EOF
cat > "$work/own/OwnBindingCheck.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <PublishAot>true</PublishAot>
    <TrimmerSingleWarn>false</TrimmerSingleWarn>
    <InvariantGlobalization>true</InvariantGlobalization>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/HealthGen.Checks.Pkcs11/HealthGen.Checks.Pkcs11.csproj" />
  </ItemGroup>
</Project>
EOF
cat > "$work/own/Program.cs" <<'EOF'
using System;
using HealthGen;
using HealthGen.Checks.Pkcs11;

using var token = new Pkcs11Token(new Pkcs11Options { Module = args[0], TokenLabel = args[1], Pin = args[2] });
HealthResult result = token.Probe();
Console.WriteLine(result.Description);
return result.Status == HealthStatus.Healthy ? 0 : 1;
EOF

# ---------------------------------------------------------------------------------------------- publish
# publish NAME PROJECT: native AOT into $work/NAME/out, the whole log in $work/NAME/publish.log.
publish() {
  local name=$1 project=$2
  echo "publishing $name (native AOT, linux-x64, net10.0)..." >&2
  if ! dotnet publish "$project" -c Release -o "$work/$name/out" -nologo -clp:NoSummary >"$work/$name/publish.log" 2>&1; then
    tail -n 30 "$work/$name/publish.log" >&2
    fail "the native-AOT publish of $name failed (log above)"
  fi
}

# warning_lines NAME: the distinct IL2xxx/IL3xxx warning lines of the publish, without the project suffix.
warning_lines() { grep -E 'warning IL[23][0-9]{3}' "$work/$1/publish.log" | sed 's/ \[[^]]*\]$//' | sort -u || true; }

# warnings NAME: "N (IL3050 x12, IL2026 x3)" from the distinct IL2xxx/IL3xxx warning lines of the publish.
warnings() {
  local lines
  lines=$(warning_lines "$1")
  if [ -z "$lines" ]; then
    echo "0"
    return
  fi
  local count ids
  count=$(wc -l <<<"$lines")
  ids=$(grep -oE 'IL[23][0-9]{3}' <<<"$lines" | sort | uniq -c | sort -rn | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
  echo "$count ($ids)"
}

# size NAME BINARY: bytes of the native executable.
size() { stat -c %s "$work/$1/out/$2"; }

publish interop "$work/interop/InteropCheck.csproj"
publish own "$work/own/OwnBindingCheck.csproj"

# ------------------------------------------------------------------------------------------------- runs
# run [ENV=VALUE...] BINARY: "exit N: first line of output" against the private SoftHSM2 token.
run() {
  local output code
  set +e
  output=$(env "$@" "$module" "$label" "$pin" 2>&1)
  code=$?
  set -e
  echo "exit $code: $(head -n 1 <<<"$output" | cut -c 1-220)"
}

if command -v softhsm2-util >/dev/null && [ -f "$module" ]; then
  mkdir -p "$work/hsm/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/hsm/tokens" > "$work/hsm/softhsm2.conf"
  export SOFTHSM2_CONF="$work/hsm/softhsm2.conf"
  softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin 123456 >/dev/null
  interop_run=$(run "$work/interop/out/InteropCheck")
  interop_resolved_run=$(run LIBDL_RESOLVER=1 "$work/interop/out/InteropCheck")
  own_run=$(run "$work/own/out/OwnBindingCheck")
else
  interop_run="not run: softhsm2 is not installed (apt-get install -y softhsm2)"
  interop_resolved_run="$interop_run"
  own_run="$interop_run"
fi

# ------------------------------------------------------------------------------------------------ report
echo
echo "Native AOT, linux-x64, net10.0 ($(dotnet --version) SDK), $(date -u +%Y-%m-%d), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo
echo "| binding | IL2xxx/IL3xxx warnings | runs (as published) | runs (libdl resolved by the app) | native binary |"
echo "|---|---|---|---|---|"
echo "| Pkcs11Interop 5.3.0 | $(warnings interop) | $interop_run | $interop_resolved_run | $(size interop InteropCheck) bytes |"
echo "| HealthGen.Checks.Pkcs11 (own binding) | $(warnings own) | $own_run | (needs no libdl) | $(size own OwnBindingCheck) bytes |"
for name in interop own; do
  lines=$(warning_lines "$name")
  if [ -n "$lines" ]; then
    echo
    echo "Warnings of $name:"
    sed 's/^/    /' <<<"$lines"
  fi
done
