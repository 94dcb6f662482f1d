#!/usr/bin/env bash
# The Azure IoT Hub proof-of-possession flow, as `az iot hub certificate` scripts run
# it, with `peridio` where the script had `az iot hub certificate`: create (unverified)
# -> generate-verification-code -> verify, each step passing the etag the previous
# step returned (`--etag`, az's spelling). Certificates are made with openssl as
# Azure's guide shows. Runs in an empty directory with `peridio` on PATH.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days 365 -out ca.pem -subj "/CN=Contoso Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign

verification_certificate() { # CODE OUT: the guide's CSR with CN = code, signed by the CA
  openssl genrsa -out "$2.key" 2048 2>/dev/null
  openssl req -new -key "$2.key" -out "$2.csr" -subj "/CN=$1"
  openssl x509 -req -in "$2.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$2" -days 30 -sha256 2>/dev/null
}

# az iot hub certificate create --name contoso-root --path ca.pem
etag=$(peridio ca-certificates create -c ca.pem --name contoso-root --json | field etag)

# az iot hub certificate generate-verification-code --name contoso-root --etag $etag
issued=$(peridio ca-certificates verification-codes create --certificate contoso-root --etag "$etag" --json)
first_code=$(field code <<<"$issued")
etag=$(field certificate_etag <<<"$issued")

# Run again, as a script that lost the first code would: the CA keeps one live code.
issued=$(peridio ca-certificates verification-codes create --certificate contoso-root --etag "$etag" --json)
code=$(field code <<<"$issued")
etag=$(field certificate_etag <<<"$issued")

verification_certificate "$first_code" stale.pem
if peridio ca-certificates verify contoso-root -v stale.pem --etag "$etag" 2>stale.err; then
  echo "a superseded code verified" >&2; exit 1
fi
grep -q 'superseded' stale.err

# az iot hub certificate verify --name contoso-root --path verification.pem --etag $etag
verification_certificate "$code" verification.pem
verified=$(peridio ca-certificates verify contoso-root -v verification.pem --etag "$etag" --json)
[ "$(field is_verified <<<"$verified")" = true ]
[ "$(field etag <<<"$verified")" != "$etag" ]

# az iot hub certificate show --name contoso-root
[ "$(peridio ca-certificates get contoso-root --json | field is_verified)" = true ]
echo "azure flow: ok"
