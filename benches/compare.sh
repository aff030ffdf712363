#!/usr/bin/env bash
# Side-by-side figures for smtrust and OpenSSL on this machine, in one run:
#   - `smtrust speed all --json` against `openssl speed` (sm2; sm3, sm4-ecb/cbc/ctr via -evp);
#   - `smtrust cert verify` / `smtrust cms verify` against `openssl verify` /
#     `openssl cms -verify` on the interop PKI of test-vectors/interop/pki (emptyid flavour,
#     which OpenSSL 3 verifies without -vfyopt), timed with hyperfine when installed and a
#     plain loop otherwise (both include process start-up on each side).
# Prints one markdown table: operation, smtrust, OpenSSL, ratio (smtrust / OpenSSL, higher
# is better for smtrust), then the machine and date. Figures are noisy on a shared machine.
#
# Usage: benches/compare.sh [SECONDS_PER_OPENSSL_TEST]   (default 1; the whole run takes a
# few minutes). Needs: cargo, openssl, python3; hyperfine optional.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" cargo build --release --quiet --example smtrust
smtrust="target/release/examples/smtrust"

"$smtrust" speed all --json --seconds "$seconds" > "$work/smtrust.json"

# openssl speed -mr -elapsed (wall-clock, as smtrust speed measures): "+F:idx:name:bytes_per_sec" for -evp with -bytes, "+F7:..." for sm2.
openssl speed -mr -elapsed -seconds "$seconds" sm2 2>/dev/null | grep '^+F' > "$work/openssl-sm2.txt" || true
for cipher in sm3 sm4-ecb sm4-cbc sm4-ctr; do
    openssl speed -mr -elapsed -seconds "$seconds" -bytes 8192 -evp "$cipher" 2>/dev/null \
        | grep '^+F' | sed "s/^/$cipher /" >> "$work/openssl-sym.txt" || true
done

# Certificates and CMS: one verification per process on each side.
pki="test-vectors/interop/pki/emptyid"
keys="test-vectors/interop/pki/keys"
at_unix=1906502400
at_rfc3339="2030-06-01T00:00:00Z"
printf 'registration form\n' > "$work/form"
"$smtrust" cms sign --key "$keys/leaf-good.key.pem" --cert "$pki/leaf-good.pem" \
    --in "$work/form" --out "$work/form.p7s" --id-hex "" --oids pkcs7 --detached \
    --signing-time "2030-05-31T00:00:00Z" >/dev/null
cat "$pki/root.pem" "$pki/int.pem" > "$work/ca.pem"

declare -A command
command[smtrust_cert]="$smtrust cert verify --cert $pki/leaf-good.pem --ca $pki/root.pem --untrusted $pki/int.pem --at $at_rfc3339 --id-hex ''"
command[openssl_cert]="openssl verify -attime $at_unix -CAfile $pki/root.pem -untrusted $pki/int.pem $pki/leaf-good.pem"
# The SignedData carries only the signer's certificate, and `cms verify` takes no untrusted
# intermediates: both sides get the intermediate beside the root as a trusted certificate.
command[smtrust_cms]="$smtrust cms verify --in $work/form.p7s --content $work/form --ca $pki/root.pem --ca $pki/int.pem --at $at_rfc3339 --id-hex ''"
command[openssl_cms]="openssl cms -verify -binary -inform DER -in $work/form.p7s -content $work/form -CAfile $work/ca.pem -attime $at_unix -out /dev/null"

# Runs per second of a command, or "n/a" when it does not succeed.
runs_per_sec() {
    if ! bash -c "$1" >/dev/null 2>&1; then
        echo "n/a"
        return
    fi
    if command -v hyperfine >/dev/null; then
        hyperfine --warmup 3 --min-runs 30 --export-json "$work/h.json" -N "$1" >/dev/null 2>&1 \
            || hyperfine --warmup 3 --min-runs 30 --export-json "$work/h.json" "$1" >/dev/null 2>&1
        python3 -c 'import json,sys; print(1/json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/h.json"
    else
        local runs=50 start end
        start=$(date +%s.%N)
        for _ in $(seq "$runs"); do bash -c "$1" >/dev/null 2>&1; done
        end=$(date +%s.%N)
        python3 -c "print($runs / ($end - $start))"
    fi
}
for name in smtrust_cert openssl_cert smtrust_cms openssl_cms; do
    echo "$name $(runs_per_sec "${command[$name]}")" >> "$work/process.txt"
done

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
cores="$(nproc)"
timer="$(command -v hyperfine >/dev/null && echo hyperfine || echo 'a shell loop')"

python3 - "$work" "$cpu" "$cores" "$timer" "$(date -u +%Y-%m-%d)" "$(openssl version)" <<'PY'
import json, sys
work, cpu, cores, timer, date, openssl = sys.argv[1:]
ours = {row["op"]: row for row in json.load(open(f"{work}/smtrust.json"))}
theirs = {}
for line in open(f"{work}/openssl-sm2.txt"):
    fields = line.strip().split(":")
    if fields[0] == "+F7":
        theirs["sm2-sign"], theirs["sm2-verify"] = float(fields[4]), float(fields[5])
for line in open(f"{work}/openssl-sym.txt"):
    cipher, record = line.split(" ", 1)
    theirs[cipher] = float(record.strip().split(":")[-1]) / 1e6
process = dict(line.split() for line in open(f"{work}/process.txt"))

rows = [
    ("SM2 sign (ops/s)", ours["sm2-sign"]["per_sec"], theirs.get("sm2-sign")),
    ("SM2 verify (ops/s)", ours["sm2-verify"]["per_sec"], theirs.get("sm2-verify")),
    ("SM3, 8 KiB blocks (MB/s)", ours["sm3-8k"]["mb_per_sec"], theirs.get("sm3")),
    ("SM4-ECB, 8 KiB (MB/s)", ours["sm4-ecb-8k"]["mb_per_sec"], theirs.get("sm4-ecb")),
    ("SM4-CBC encrypt, 8 KiB (MB/s)", ours["sm4-cbc-enc-8k"]["mb_per_sec"], theirs.get("sm4-cbc")),
    ("SM4-CTR, 8 KiB (MB/s)", ours["sm4-ctr-8k"]["mb_per_sec"], theirs.get("sm4-ctr")),
]
for label, key in [("certificate path verify, per process (runs/s)", "cert"),
                   ("CMS detached verify, per process (runs/s)", "cms")]:
    def number(text):
        return None if text == "n/a" else float(text)
    rows.append((label, number(process[f"smtrust_{key}"]), number(process[f"openssl_{key}"])))

def show(value):
    return "n/a" if value is None else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"

print("| operation | smtrust | OpenSSL | ratio |")
print("| --- | ---: | ---: | ---: |")
for label, a, b in rows:
    ratio = "n/a" if a is None or not b else f"{a / b:.2f}"
    print(f"| {label} | {show(a)} | {show(b)} | {ratio} |")
print()
print(f"Machine: {cpu}, {cores} cores; {date}; {openssl}; process timings with {timer}.")
PY
