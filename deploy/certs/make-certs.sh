#!/usr/bin/env bash
# Test certificates and the Mosquitto password file for deploy/compose.yaml. Not for production: the CA key
# sits next to the certificates. Needs only OpenSSL 3 (openssl kdf makes Mosquitto's PBKDF2 password hashes).
#
#   deploy/certs/make-certs.sh [OUT_DIR]        default OUT_DIR: deploy/certs/generated
#
# Environment (all optional):
#   BROKER_HOST    the broker's name in compose, put in the certificate with localhost (default: mosquitto)
#   MQTT_USERNAME  the bridge's MQTT user (default: bridge)
#   MQTT_PASSWORD  its password (default: random)
#   CLIENT_CERT=1  also make client.crt/client.key, signed by the same CA, for mutual TLS
#   DAYS           validity of the certificates (default: 365)
#   TOKEN_DAYS     validity of the command API token operator.jwt (default: 30)
#
# Idempotent: existing files are kept; certificates are remade only when missing or when the CA was remade.
set -euo pipefail

out=${1:-"$(cd "$(dirname "$0")" && pwd)/generated"}
broker_host=${BROKER_HOST:-mosquitto}
username=${MQTT_USERNAME:-bridge}
days=${DAYS:-365}

command -v openssl >/dev/null || { echo "make-certs.sh: openssl is not installed" >&2; exit 1; }
mkdir -p "$out"
cd "$out"
umask 077

made=()
kept=()
new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
serial() { echo "0x$(openssl rand -hex 16)"; }

# The CA.
ca_made=false
if [ -s ca.crt ] && [ -s ca.key ]; then
    kept+=(ca.crt ca.key)
else
    new_key ca.key
    openssl req -x509 -new -key ca.key -out ca.crt -days "$days" -set_serial "$(serial)" \
        -subj "/CN=edge-bridge test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    ca_made=true
    made+=(ca.crt ca.key)
fi

# sign NAME SUBJECT EXTENSIONS: NAME.key and NAME.crt signed by the CA.
sign() {
    local name=$1 subject=$2 extensions=$3
    if [ "$ca_made" = false ] && [ -s "$name.crt" ] && [ -s "$name.key" ]; then
        kept+=("$name.crt" "$name.key")
        return
    fi
    new_key "$name.key"
    openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -set_serial "$(serial)" -days "$days" \
        -extfile <(printf '%s\n' "$extensions") -out "$name.crt" 2>/dev/null
    rm -f "$name.csr"
    made+=("$name.crt" "$name.key")
}

# The broker: clients verify its name, so it carries the compose host name and localhost.
sign broker "/CN=$broker_host" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=serverAuth
subjectAltName=DNS:$broker_host,DNS:localhost"
# The containers run as their own users (mosquitto, 185) and read these files from a bind mount.
chmod 644 ca.crt broker.crt broker.key

if [ "${CLIENT_CERT:-0}" = 1 ]; then
    sign client "/CN=$username" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=clientAuth"
    chmod 644 client.crt client.key
fi

# Mosquitto's password file ($7$: PBKDF2-HMAC-SHA512, 101 iterations, as mosquitto_passwd writes it) and
# the same credentials as the bridge's env file for compose.
if [ -s passwd ] && [ -s bridge.env ]; then
    kept+=(passwd bridge.env)
else
    password=${MQTT_PASSWORD:-$(openssl rand -hex 16)}
    openssl rand 12 > salt.bin
    salt_hex=$(od -An -v -tx1 salt.bin | tr -d ' \n')
    hash=$(openssl kdf -binary -keylen 64 -kdfopt digest:SHA512 -kdfopt "pass:$password" \
        -kdfopt "hexsalt:$salt_hex" -kdfopt iter:101 PBKDF2 | base64 | tr -d "\n")
    printf '%s:$7$101$%s$%s\n' "$username" "$(base64 < salt.bin | tr -d "\n")" "$hash" > passwd
    rm -f salt.bin
    chmod 644 passwd
    printf 'BRIDGE_MQTT_USERNAME=%s\nBRIDGE_MQTT_PASSWORD=%s\n' "$username" "$password" > bridge.env
    made+=(passwd bridge.env)
fi

# The command API wants bearer JWTs: a signing key pair standing in for an identity provider, its public
# half for the bridge (jwt-public.pem), and one operator token with both roles (operator.jwt, RS256).
if [ -s jwt-private.pem ] && [ -s jwt-public.pem ] && [ -s operator.jwt ]; then
    kept+=(jwt-private.pem jwt-public.pem operator.jwt)
else
    b64url() { base64 | tr -d '=\n' | tr '+/' '-_'; }
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-private.pem 2>/dev/null
    openssl pkey -in jwt-private.pem -pubout -out jwt-public.pem
    now=$(date +%s)
    header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
    claims=$(printf '{"iss":"%s","sub":"compose-operator","groups":["commands:write","commands:read"],"iat":%d,"exp":%d}' \
        "https://edge-bridge.compose" "$now" "$((now + ${TOKEN_DAYS:-30} * 86400))" | b64url)
    signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign jwt-private.pem -binary | b64url)
    printf '%s.%s.%s\n' "$header" "$claims" "$signature" > operator.jwt
    chmod 644 jwt-public.pem
    made+=(jwt-private.pem jwt-public.pem operator.jwt)
fi

echo "make-certs.sh: files in $out"
[ ${#made[@]} -eq 0 ] || echo "  made: ${made[*]}"
[ ${#kept[@]} -eq 0 ] || echo "  kept: ${kept[*]}"
echo "  broker certificate names: $broker_host, localhost; MQTT user: $username (password in bridge.env)"
echo "  command API token (issuer https://edge-bridge.compose): curl -H \"Authorization: Bearer \$(cat $out/operator.jwt)\" .."
