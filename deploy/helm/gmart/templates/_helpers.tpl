{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "gmart.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name: the release name, with the chart name added unless the release name holds it. */}}
{{- define "gmart.fullname" -}}
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

{{/* Name of one service's objects. Call with (dict "root" $ "name" $serviceName). */}}
{{- define "gmart.serviceFullname" -}}
{{- printf "%s-%s" (include "gmart.fullname" .root | trunc 45 | trimSuffix "-") .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gmart.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Recommended labels shared by every object. */}}
{{- define "gmart.commonLabels" -}}
helm.sh/chart: {{ include "gmart.chart" . }}
app.kubernetes.io/name: {{ include "gmart.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: gmart
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels of one component. Call with (dict "root" $ "name" $componentName). */}}
{{- define "gmart.labels" -}}
{{ include "gmart.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Selector labels of one component (immutable: never add to these). */}}
{{- define "gmart.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gmart.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Image reference; the tag defaults to the chart's appVersion. */}}
{{- define "gmart.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "gmart.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "gmart.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Restricted Pod Security Standard: pod level. */}}
{{- define "gmart.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Restricted Pod Security Standard: container level. */}}
{{- define "gmart.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Kafka connection environment shared by the services and the topics Job. */}}
{{- define "gmart.kafkaEnv" -}}
- name: KAFKA_BROKERS
  value: {{ required "kafka.brokers is required (bootstrap servers, host:port[,host:port])" .Values.kafka.brokers | quote }}
{{- if .Values.kafka.tls.enabled }}
- name: KAFKA_SSL
  value: "true"
{{- if .Values.kafka.tls.caSecret.name }}
- name: KAFKA_SSL_CA_FILE
  value: {{ printf "/etc/gmart/kafka-ca/%s" .Values.kafka.tls.caSecret.key | quote }}
{{- end }}
{{- with .Values.kafka.tls.clientCert.existingSecret }}
- name: KAFKA_SSL_CERT_FILE
  value: {{ printf "/etc/gmart/kafka-client/%s" $.Values.kafka.tls.clientCert.certKey | quote }}
- name: KAFKA_SSL_KEY_FILE
  value: {{ printf "/etc/gmart/kafka-client/%s" $.Values.kafka.tls.clientCert.keyKey | quote }}
{{- end }}
{{- end }}
{{- if .Values.kafka.sasl.enabled }}
- name: KAFKA_SASL_MECHANISM
  value: {{ .Values.kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
{{- if .Values.kafka.sasl.username }}
  value: {{ .Values.kafka.sasl.username | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.enabled" .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.usernameKey }}
{{- end }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.enabled" .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.passwordKey }}
{{- end }}
{{- end -}}

{{/* Volumes and mounts of the Kafka TLS files: the CA (kafka.tls.caSecret.name) and the client certificate and key (kafka.tls.clientCert.existingSecret). */}}
{{- define "gmart.kafkaTlsVolumes" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: {{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.clientCert.existingSecret }}
- name: kafka-client-cert
  secret:
    secretName: {{ .Values.kafka.tls.clientCert.existingSecret }}
    # The key is readable by the pod's user only (fsGroup owns it).
    defaultMode: 0440
    items:
      - key: {{ .Values.kafka.tls.clientCert.certKey }}
        path: {{ .Values.kafka.tls.clientCert.certKey }}
      - key: {{ .Values.kafka.tls.clientCert.keyKey }}
        path: {{ .Values.kafka.tls.clientCert.keyKey }}
{{- end }}
{{- end -}}
{{- define "gmart.kafkaTlsMounts" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/gmart/kafka-ca
  readOnly: true
{{- end }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.clientCert.existingSecret }}
- name: kafka-client-cert
  mountPath: /etc/gmart/kafka-client
  readOnly: true
{{- end }}
{{- end -}}

{{/* Termination grace: the service's shutdown timeout plus a margin, so SIGKILL never cuts a clean shutdown. */}}
{{- define "gmart.terminationGracePeriodSeconds" -}}
{{- $shutdownMs := int (default .root.Values.shutdownTimeoutMs .svc.shutdownTimeoutMs) -}}
{{- add (div (add $shutdownMs 999) 1000) (int .root.Values.terminationGraceMarginSeconds) -}}
{{- end -}}

{{/*
NODE_OPTIONS of one service container: --max-semi-space-size=<nodejs.maxSemiSpaceSizeMiB> (0 included: it stops
the image's entrypoint from adding its own 32 and leaves V8 to size the young generation), then nodejs.options, then
the service block's env.NODE_OPTIONS; of a flag given twice, the last applies. The entrypoint adds the cap in effect
as the floor (--min-semi-space-size, which Node does not allow in NODE_OPTIONS) unless GMART_FIXED_SEMI_SPACE=false.
Call with (dict "root" $ "svc" $svc).
*/}}
{{- define "gmart.nodeOptions" -}}
{{- $nodejs := default (dict) .root.Values.nodejs -}}
{{- $flags := list -}}
{{- if hasKey $nodejs "maxSemiSpaceSizeMiB" -}}
{{- $flags = append $flags (printf "--max-semi-space-size=%d" (int $nodejs.maxSemiSpaceSizeMiB)) -}}
{{- end -}}
{{- with $nodejs.options -}}
{{- $flags = append $flags . -}}
{{- end -}}
{{- with (get (default (dict) .svc.env) "NODE_OPTIONS") -}}
{{- $flags = append $flags . -}}
{{- end -}}
{{- join " " $flags -}}
{{- end -}}

{{/* Whether the services' young generation is fixed at its cap (nodejs.fixedSemiSpace, default true): "false" or "". */}}
{{- define "gmart.fixedSemiSpaceOff" -}}
{{- $nodejs := default (dict) .Values.nodejs -}}
{{- if and (hasKey $nodejs "fixedSemiSpace") (not $nodejs.fixedSemiSpace) -}}false{{- end -}}
{{- end -}}

{{/*
GMART_SINGLE_THREADED_GC of one service container, "true" or "false": the service block's singleThreadedGc if it
sets one (values.yaml: false for stock-analytics), else nodejs.singleThreadedGc (default true); "" when the block's
env sets the variable itself. Rendered either way, so the chart, not the image's per-service default, decides.
Call with (dict "root" $ "svc" $svc).
*/}}
{{- define "gmart.singleThreadedGc" -}}
{{- $nodejs := default (dict) .root.Values.nodejs -}}
{{- $on := true -}}
{{- if and (hasKey $nodejs "singleThreadedGc") (not (kindIs "invalid" $nodejs.singleThreadedGc)) -}}
{{- $on = $nodejs.singleThreadedGc -}}
{{- end -}}
{{- if and (hasKey .svc "singleThreadedGc") (not (kindIs "invalid" .svc.singleThreadedGc)) -}}
{{- $on = .svc.singleThreadedGc -}}
{{- end -}}
{{- if not (hasKey (default (dict) .svc.env) "GMART_SINGLE_THREADED_GC") -}}
{{- ternary "true" "false" $on -}}
{{- end -}}
{{- end -}}
