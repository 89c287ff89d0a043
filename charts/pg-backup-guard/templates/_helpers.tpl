{{/* Names and labels. With release name pg-backup-guard every name equals deploy/'s. */}}
{{- define "pgbg.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pgbg.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pgbg.labels" -}}
app.kubernetes.io/name: {{ include "pgbg.name" . }}
app.kubernetes.io/part-of: pg-backup-guard
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "pgbg.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pgbg.name" . }}
app.kubernetes.io/component: webhook
{{- end -}}

{{- define "pgbg.serviceAccountName" -}}
{{- default (include "pgbg.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "pgbg.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "pgbg.fullname" .)) .Values.tls.secretName -}}
{{- end -}}

{{/* The DNS names the serving certificate must carry: the webhook Service's. */}}
{{- define "pgbg.serviceDnsNames" -}}
{{- $svc := printf "%s.%s.svc" (include "pgbg.fullname" .) .Release.Namespace -}}
{{- list $svc (printf "%s.cluster.local" $svc) | toJson -}}
{{- end -}}

{{- define "pgbg.namespaceSelector" -}}
{{- $root := index . 0 -}}
{{- $override := index . 1 -}}
{{- if $override -}}
{{- toYaml $override -}}
{{- else -}}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values: {{ concat (list $root.Release.Namespace) $root.Values.webhooks.excludedNamespaces | uniq | toJson }}
  - key: pgbackupguard.io/ignore
    operator: NotIn
    values: ["true"]
{{- end -}}
{{- end -}}

{{- define "pgbg.validateRules" -}}
{{- /* BEGIN generated: validate rules (node scripts/gen-deploy.ts, from src/operators; do not edit) */ -}}
- apiGroups: [postgresql.cnpg.io]
  apiVersions: [v1]
  resources: [clusters, backups, scheduledbackups]
  operations: [CREATE, UPDATE]
  scope: Namespaced
- apiGroups: [barmancloud.cnpg.io]
  apiVersions: [v1]
  resources: [objectstores]
  operations: [CREATE, UPDATE]
  scope: Namespaced
- apiGroups: [cpo.opensource.cybertec.at]
  apiVersions: [v1]
  resources: [postgresqls]
  operations: [CREATE, UPDATE]
  scope: Namespaced
- apiGroups: [postgres-operator.crunchydata.com]
  apiVersions: [v1, v1beta1]
  resources: [postgresclusters]
  operations: [CREATE, UPDATE]
  scope: Namespaced
{{- /* END generated: validate rules */ -}}
{{- end -}}

{{- define "pgbg.mutateRules" -}}
{{- /* BEGIN generated: mutate rules (node scripts/gen-deploy.ts, from src/operators; do not edit) */ -}}
- apiGroups: [postgresql.cnpg.io]
  apiVersions: [v1]
  resources: [clusters, backups, scheduledbackups]
  operations: [CREATE, UPDATE]
  scope: Namespaced
- apiGroups: [cpo.opensource.cybertec.at]
  apiVersions: [v1]
  resources: [postgresqls]
  operations: [CREATE, UPDATE]
  scope: Namespaced
- apiGroups: [postgres-operator.crunchydata.com]
  apiVersions: [v1, v1beta1]
  resources: [postgresclusters]
  operations: [CREATE, UPDATE]
  scope: Namespaced
{{- /* END generated: mutate rules */ -}}
{{- end -}}

{{/*
The serving certificate for tls.mode=self-signed, made once per render and shared by the Secret and the
caBundle: the existing Secret's when it has one (so upgrades keep it), else a new CA and certificate.
*/}}
{{- define "pgbg.selfSignedTls" -}}
{{- if not .Values._selfSignedTls -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "pgbg.tlsSecretName" .) -}}
{{- if and $existing $existing.data (index $existing.data "ca.crt") (index $existing.data "tls.crt") (index $existing.data "tls.key") -}}
{{- $_ := set .Values "_selfSignedTls" (dict "ca" (index $existing.data "ca.crt") "crt" (index $existing.data "tls.crt") "key" (index $existing.data "tls.key")) -}}
{{- else -}}
{{- $ca := genCA "pg-backup-guard CA" 3650 -}}
{{- $names := include "pgbg.serviceDnsNames" . | fromJsonArray -}}
{{- $cert := genSignedCert (first $names) nil $names (int .Values.tls.days) $ca -}}
{{- $_ := set .Values "_selfSignedTls" (dict "ca" ($ca.Cert | b64enc) "crt" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pgbg.caBundle" -}}
{{- if eq .Values.tls.mode "self-signed" -}}
{{- include "pgbg.selfSignedTls" . -}}
{{- .Values._selfSignedTls.ca -}}
{{- else if eq .Values.tls.mode "secret" -}}
{{- .Values.tls.caBundle -}}
{{- end -}}
{{- end -}}

{{/* A CEL list body of single-quoted strings: 'a', 'b'. Quotes and backslashes in a value are escaped. */}}
{{- define "pgbg.celStrings" -}}
{{- $out := list -}}
{{- range . -}}
{{- $out = append $out (printf "'%s'" (. | toString | replace "\\" "\\\\" | replace "'" "\\'")) -}}
{{- end -}}
{{- join ", " $out -}}
{{- end -}}
