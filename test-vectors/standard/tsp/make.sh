#!/bin/sh
# Regenerates the OpenSSL-made RFC 3161 fixtures of this directory (see README.md).
# Needs OpenSSL 3.0; keys are random, so every run makes different (equally valid) files.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/ext.cnf" <<'CNF'
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[tsa_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
CNF

# make_pki NAME KEYGEN-ARGS: a root and a TSA certificate under it, valid for 10 years.
make_pki() {
    name=$1; shift
    openssl genpkey "$@" -out "$work/$name-root.key" 2>/dev/null
    openssl req -new -x509 -key "$work/$name-root.key" -subj "/C=CN/O=smtrust test/CN=$name TSA Root" \
        -days 3650 -config "$work/ext.cnf" -extensions ca_ext -out "$name-root.pem"
    openssl genpkey "$@" -out "$work/$name-tsa.key" 2>/dev/null
    openssl req -new -key "$work/$name-tsa.key" -subj "/C=CN/O=smtrust test/CN=$name TSA" \
        -out "$work/$name-tsa.csr"
    openssl x509 -req -in "$work/$name-tsa.csr" -CA "$name-root.pem" -CAkey "$work/$name-root.key" \
        -set_serial 2 -days 3650 -extfile "$work/ext.cnf" -extensions tsa_ext -out "$name-tsa.pem" 2>/dev/null
}

# tsa_config NAME DIGEST: an `openssl ts -reply` configuration for that TSA.
tsa_config() {
    cat > "$work/$1.cnf" <<CNF
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = $work/$1.serial
crypto_device = builtin
signer_cert = $1-tsa.pem
signer_key = $work/$1-tsa.key
signer_digest = $2
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512, sm3
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = $3
CNF
    echo 2a > "$work/$1.serial"
}

printf 'registration form 2026-0001\n' > data.txt

make_pki ecdsa -algorithm EC -pkeyopt ec_paramgen_curve:P-256
make_pki rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
tsa_config ecdsa sha256 sha256
tsa_config rsa sha256 sha1

# ECDSA P-256 TSA, SHA-256 imprint, nonce 0x0102030405060708, certificate included.
openssl ts -query -data data.txt -sha256 -cert -out ecdsa-sha256.tsq
openssl ts -reply -config "$work/ecdsa.cnf" -queryfile ecdsa-sha256.tsq -out ecdsa-sha256.tsr 2>/dev/null
openssl ts -reply -in ecdsa-sha256.tsr -token_out -out ecdsa-sha256.tst
# ECDSA TSA, SM3 imprint.
openssl ts -query -data data.txt -sm3 -cert -out ecdsa-sm3.tsq
openssl ts -reply -config "$work/ecdsa.cnf" -queryfile ecdsa-sm3.tsq -out "$work/ecdsa-sm3.tsr" 2>/dev/null
openssl ts -reply -in "$work/ecdsa-sm3.tsr" -token_out -out ecdsa-sm3.tst
# RSA 2048 TSA, SHA-256 imprint, ESS signingCertificate v1 (SHA-1), no certificate in the token.
openssl ts -query -data data.txt -sha256 -no_nonce -out "$work/rsa.tsq"
openssl ts -reply -config "$work/rsa.cnf" -queryfile "$work/rsa.tsq" -out "$work/rsa.tsr" 2>/dev/null
openssl ts -reply -in "$work/rsa.tsr" -token_out -out rsa-sha256-nocert.tst

# An SM2 TSA: OpenSSL 3.0 answers with a rejection (PKCS#7 cannot sign with SM2).
openssl genpkey -algorithm SM2 -out "$work/sm2-tsa.key"
openssl req -new -x509 -key "$work/sm2-tsa.key" -sm3 -subj "/CN=sm2 TSA" -days 3650 \
    -config "$work/ext.cnf" -extensions tsa_ext -out "$work/sm2-tsa.pem"
cp "$work/sm2-tsa.pem" sm2-tsa-self.pem
sed -e "s|signer_cert = .*|signer_cert = sm2-tsa-self.pem|; s|signer_key = .*|signer_key = $work/sm2-tsa.key|; s|signer_digest = .*|signer_digest = sm3|" \
    "$work/ecdsa.cnf" > "$work/sm2.cnf"
openssl ts -reply -config "$work/sm2.cnf" -queryfile ecdsa-sm3.tsq -out sm2-rejection.tsr 2>/dev/null || true
rm sm2-tsa-self.pem

for f in ecdsa-sha256.tsr; do openssl ts -reply -in "$f" -text; done > ecdsa-sha256.txt
openssl ts -reply -in ecdsa-sm3.tst -token_in -text > ecdsa-sm3.txt
openssl ts -reply -in rsa-sha256-nocert.tst -token_in -text > rsa-sha256-nocert.txt
openssl ts -reply -in sm2-rejection.tsr -text > sm2-rejection.txt
