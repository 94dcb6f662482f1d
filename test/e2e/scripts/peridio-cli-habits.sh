#!/usr/bin/env bash
# A Peridio CLI user's habitual commands, spelled as the Peridio CLI's documentation
# spells them: x509 create writing <CN>-certificate.pem and <CN>-private-key.pem into
# --out DIR, ca-certificates create with -c/-v, get/update/delete --prn, list --order,
# the organization chosen by name. Runs in an empty directory with `peridio` on PATH.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

mkdir certs
peridio x509 create --common-name dev-root --is-ca --start-date 2024-01-01 --end-date 2036-01-01 --out certs
[ -f certs/dev-root-certificate.pem ] && [ "$(stat -c %a certs/dev-root-private-key.pem)" = 600 ]

code=$(peridio ca-certificates create-verification-code --json | field code)
peridio x509 create --common-name "$code" --start-date 2024-01-01 --end-date 2036-01-01 \
  --signer-key certs/dev-root-private-key.pem --signer-cert certs/dev-root-certificate.pem --out certs
openssl verify -CAfile certs/dev-root-certificate.pem "certs/$code-certificate.pem" >/dev/null

peridio ca-certificates create --certificate-path certs/dev-root-certificate.pem \
  --verification-certificate-path "certs/$code-certificate.pem" --description "dev root" \
  --jitp-description "factory" --jitp-tags line2,eu --jitp-product-name gateway >/dev/null

# A second CA, made in the current directory (the default --out).
peridio x509 create --common-name line-2 --is-ca --start-date 2024-01-01 --end-date 2036-01-01 \
  --signer-key certs/dev-root-private-key.pem --signer-cert certs/dev-root-certificate.pem >/dev/null
[ -f line-2-certificate.pem ] && [ -f line-2-private-key.pem ]
code=$(peridio ca-certificates create-verification-code --json | field code)
peridio x509 create --common-name "$code" --start-date 2024-01-01 --end-date 2036-01-01 \
  --signer-key line-2-private-key.pem --signer-cert line-2-certificate.pem --out certs >/dev/null
peridio ca-certificates create -c line-2-certificate.pem -v "certs/$code-certificate.pem" >/dev/null

export PERIDIO_ORGANIZATION_NAME=default
prn=$(peridio ca-certificates list --order asc --json | field items.0.prn)
[ "$(peridio ca-certificates list --order desc --json | field items.1.prn)" = "$prn" ]
[ "$(peridio ca-certificates get --prn "$prn" --json | field description)" = "dev root" ]
peridio ca-certificates update --prn "$prn" --description "dev root, line 2" >/dev/null
[ "$(peridio --organization-name default ca-certificates get --prn "$prn" --json | field description)" = "dev root, line 2" ]

peridio ca-certificates get --prn "$prn" --pem > registered.pem
cmp <(openssl x509 -in registered.pem -outform DER) <(openssl x509 -in certs/dev-root-certificate.pem -outform DER)
peridio ca-certificates get --prn "$prn" --der > registered.der
cmp registered.der <(openssl x509 -in certs/dev-root-certificate.pem -outform DER)

peridio ca-certificates delete --prn "$prn" -y >/dev/null
if peridio ca-certificates get --prn "$prn" 2>/dev/null; then echo "deleted CA still there" >&2; exit 1; fi
echo "peridio cli habits: ok"
