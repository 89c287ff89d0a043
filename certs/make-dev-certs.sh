#!/usr/bin/env bash
# Makes a development CA and a serving certificate for the webhook Service, stores them in the
# pg-backup-guard-tls Secret and writes the CA into deploy/overlays/self-signed/cabundle.patch.yaml.
# For production use cert-manager (deploy/overlays/cert-manager), which also rotates the certificate.
#
#   certs/make-dev-certs.sh [--namespace NS] [--service NAME] [--days N] [--out DIR] [--no-apply]
#
# Needs bash and openssl; kubectl only without --no-apply. Re-running it rotates the serving certificate
# (the CA is kept when DIR/ca.key exists); running pods pick the new one up without a restart.
set -euo pipefail

namespace=pg-backup-guard
service=pg-backup-guard
days=365
out="$(cd "$(dirname "$0")" && pwd)/out"
apply=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) namespace="$2"; shift 2 ;;
    --service) service="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-apply) apply=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 2; }
mkdir -p "$out"
umask 077

if [[ ! -f "$out/ca.key" ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/ca.key" -out "$out/ca.crt" -days 3650 \
    -subj "/CN=pg-backup-guard dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "made CA $out/ca.crt"
fi

dns1="$service.$namespace.svc"
dns2="$service.$namespace.svc.cluster.local"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$out/tls.key" -out "$out/tls.csr" -subj "/CN=$dns1" 2>/dev/null
cat > "$out/ext.cnf" <<CNF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:$dns1,DNS:$dns2
CNF
openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -out "$out/tls.crt" -days "$days" -extfile "$out/ext.cnf" 2>/dev/null
rm -f "$out/tls.csr" "$out/ext.cnf"
openssl verify -CAfile "$out/ca.crt" "$out/tls.crt" >/dev/null
echo "made serving certificate $out/tls.crt for $dns1 (valid $days days)"

ca_bundle="$(base64 < "$out/ca.crt" | tr -d '\n')"
patch="$(cd "$(dirname "$0")/.." && pwd)/deploy/overlays/self-signed/cabundle.patch.yaml"
cat > "$patch" <<YAML
# Written by certs/make-dev-certs.sh: the dev CA that signed the webhook's serving certificate.
- op: replace
  path: /webhooks/0/clientConfig/caBundle
  value: $ca_bundle
YAML
echo "wrote caBundle into $patch"

if [[ $apply -eq 1 ]]; then
  command -v kubectl >/dev/null || { echo "kubectl not found; rerun with --no-apply and create the Secret yourself" >&2; exit 2; }
  kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
  kubectl -n "$namespace" create secret tls pg-backup-guard-tls --cert="$out/tls.crt" --key="$out/tls.key" \
    --dry-run=client -o yaml | kubectl apply -f -
  echo "applied Secret $namespace/pg-backup-guard-tls; now: kubectl apply -k deploy/overlays/self-signed"
fi
