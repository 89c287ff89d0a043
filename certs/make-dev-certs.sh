#!/usr/bin/env bash
# Makes a development CA and a serving certificate for the pg-backup-guard webhook.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: certs/make-dev-certs.sh [options]

Makes a development CA and a serving certificate for the webhook Service, stores them in the
pg-backup-guard-tls Secret and writes the CA into deploy/overlays/self-signed/cabundle.patch.yaml.
For production use cert-manager (deploy/overlays/cert-manager, or the chart's tls.mode=cert-manager),
which also rotates the certificate.

Options:
  --namespace NS     namespace of the Service and the Secret (default pg-backup-guard)
  --service NAME     name of the webhook Service (default pg-backup-guard); the certificate names
                     NAME.NS.svc and NAME.NS.svc.cluster.local
  --secret NAME      name of the TLS Secret (default pg-backup-guard-tls)
  --host NAME|IP     another name or address in the certificate, for local runs with
                     clientConfig.url (e.g. --host 127.0.0.1 --host localhost); repeatable
  --days N           validity of the serving certificate in days (default 365; the CA: 3650)
  --out DIR          where ca.crt, ca.key, tls.crt and tls.key go (default certs/out)
  --patch FILE       where the caBundle patch goes (default deploy/overlays/self-signed/cabundle.patch.yaml)
  --no-patch         do not write the caBundle patch
  --no-apply         do not create the Secret (no cluster, no kubectl needed)
  -h, --help         print this help

Re-running it rotates the serving certificate; the CA is kept when DIR/ca.key and DIR/ca.crt exist.
Running pods pick the new certificate up without a restart. Nothing in DIR and no patch file is
changed unless every step succeeded (the Secret, without --no-apply, included): the files are made
in a temporary directory and moved into place at the end.
Needs bash and openssl; kubectl only without --no-apply.
With the Helm chart (tls.mode=secret): --no-patch, then
  helm install ... --set tls.caBundle="$(base64 < certs/out/ca.crt | tr -d '\n')"
USAGE
}

fail() { echo "make-dev-certs: $*" >&2; exit 2; }

here="$(cd "$(dirname "$0")" && pwd)"
namespace=pg-backup-guard
service=pg-backup-guard
secret=pg-backup-guard-tls
days=365
out="$here/out"
patch="$(cd "$here/.." && pwd)/deploy/overlays/self-signed/cabundle.patch.yaml"
write_patch=1
apply=1
hosts=()

need_value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || fail "$1 needs a value (see --help)"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) need_value "$@"; namespace="$2"; shift 2 ;;
    --service) need_value "$@"; service="$2"; shift 2 ;;
    --secret) need_value "$@"; secret="$2"; shift 2 ;;
    --host) need_value "$@"; hosts+=("$2"); shift 2 ;;
    --days) need_value "$@"; days="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    --patch) need_value "$@"; patch="$2"; shift 2 ;;
    --no-patch) write_patch=0; shift ;;
    --no-apply) apply=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make-dev-certs: unknown argument: $1" >&2; echo "run certs/make-dev-certs.sh --help" >&2; exit 2 ;;
  esac
done

[[ "$days" =~ ^[1-9][0-9]{0,4}$ ]] || fail "--days must be a whole number of days from 1 to 99999 (got \"$days\")"
dns_label='[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?'
[[ "$namespace" =~ ^$dns_label$ ]] || fail "--namespace must be a DNS label (got \"$namespace\")"
[[ "$service" =~ ^$dns_label$ ]] || fail "--service must be a DNS label (got \"$service\")"
[[ "$secret" =~ ^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$ ]] || fail "--secret must be a DNS subdomain (got \"$secret\")"
command -v openssl >/dev/null || fail "openssl is required"
if [[ $apply -eq 1 ]]; then
  command -v kubectl >/dev/null || fail "kubectl not found; rerun with --no-apply and create the Secret yourself"
fi

dns1="$service.$namespace.svc"
dns2="$service.$namespace.svc.cluster.local"
san="DNS:$dns1,DNS:$dns2"
for h in "${hosts[@]}"; do
  if [[ "$h" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ || "$h" == *:* ]]; then
    [[ "$h" =~ ^[0-9a-fA-F:.]+$ ]] || fail "--host $h is not an IP address or a DNS name"
    san="$san,IP:$h"
  elif [[ "$h" =~ ^[A-Za-z0-9*]([-.A-Za-z0-9]{0,251}[A-Za-z0-9])?$ ]]; then
    san="$san,DNS:$h"
  else
    fail "--host $h is not an IP address or a DNS name"
  fi
done

if [[ $write_patch -eq 1 ]]; then
  [[ -d "$(dirname "$patch")" ]] || fail "--patch $patch: no such directory"
fi

umask 077
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# Next to DIR, so that the final moves are renames on one file system.
work="$(mktemp -d "$out/.make-dev-certs.XXXXXX")"
tmp_patch=""
trap 'rm -rf "$work"; [[ -z "$tmp_patch" ]] || rm -f "$tmp_patch"' EXIT

new_ca=0
if [[ -f "$out/ca.key" && -f "$out/ca.crt" ]]; then
  cp "$out/ca.key" "$out/ca.crt" "$work/"
else
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$work/ca.key" -out "$work/ca.crt" -days 3650 \
    -subj "/CN=pg-backup-guard dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$work/openssl.log" \
    || { cat "$work/openssl.log" >&2; fail "could not make the CA"; }
  new_ca=1
fi

openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$work/tls.key" -out "$work/tls.csr" -subj "/CN=$dns1" 2>"$work/openssl.log" \
  || { cat "$work/openssl.log" >&2; fail "could not make the serving key"; }
cat > "$work/ext.cnf" <<CNF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san
CNF
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
  -set_serial "0x$(openssl rand -hex 16)" -out "$work/tls.crt" -days "$days" -extfile "$work/ext.cnf" \
  2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; fail "could not sign the serving certificate"; }
openssl verify -CAfile "$work/ca.crt" "$work/tls.crt" >/dev/null || fail "the serving certificate does not verify against the CA"

ca_bundle="$(base64 < "$work/ca.crt" | tr -d '\n')"
cat > "$work/cabundle.patch.yaml" <<YAML
# Written by certs/make-dev-certs.sh: the dev CA that signed the webhook's serving certificate.
- op: replace
  path: /webhooks/0/clientConfig/caBundle
  value: $ca_bundle
YAML
if [[ $write_patch -eq 1 ]]; then
  # Also next to its target, so that the final move is a rename.
  tmp_patch="$(mktemp "$(dirname "$patch")/.cabundle.patch.XXXXXX")"
  cp "$work/cabundle.patch.yaml" "$tmp_patch"
  chmod 644 "$tmp_patch"
fi

if [[ $apply -eq 1 ]]; then
  kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace" >/dev/null \
    || fail "could not create namespace $namespace; nothing was written"
  kubectl -n "$namespace" create secret tls "$secret" --cert="$work/tls.crt" --key="$work/tls.key" \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null \
    || fail "could not apply Secret $namespace/$secret; nothing was written"
  echo "applied Secret $namespace/$secret"
fi

# Everything succeeded: move the files into place.
if [[ $new_ca -eq 1 ]]; then
  mv -f "$work/ca.key" "$out/ca.key"
  mv -f "$work/ca.crt" "$out/ca.crt"
  echo "made CA $out/ca.crt"
fi
mv -f "$work/tls.key" "$out/tls.key"
mv -f "$work/tls.crt" "$out/tls.crt"
echo "made serving certificate $out/tls.crt for $san (valid $days days)"
if [[ $write_patch -eq 1 ]]; then
  mv -f "$tmp_patch" "$patch"
  tmp_patch=""
  echo "wrote caBundle into $patch"
fi
if [[ $apply -eq 1 ]]; then
  echo "now: kubectl apply -k deploy/overlays/self-signed"
fi
