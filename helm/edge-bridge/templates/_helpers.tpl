{{/* The chart's name, or nameOverride. */}}
{{- define "edge-bridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: objects, the service account and the default MQTT client id use it. */}}
{{- define "edge-bridge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "edge-bridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the pods: they never change between upgrades. */}}
{{- define "edge-bridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "edge-bridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "edge-bridge.labels" -}}
helm.sh/chart: {{ include "edge-bridge.chart" . }}
{{ include "edge-bridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: bridge
app.kubernetes.io/part-of: edge-bridge
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "edge-bridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "edge-bridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Rules or registry from values: a YAML string as written, an object rendered as YAML. */}}
{{- define "edge-bridge.yamlDocument" -}}
{{- if kindIs "string" . }}
{{- . }}
{{- else }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* Where the ConfigMap and the secrets are mounted; the BRIDGE_*_FILE variables point here. */}}
{{- define "edge-bridge.configDir" -}}/etc/edge-bridge/config{{- end }}
{{- define "edge-bridge.mqttTlsDir" -}}/etc/edge-bridge/mqtt-tls{{- end }}
{{- define "edge-bridge.kafkaTlsDir" -}}/etc/edge-bridge/kafka-tls{{- end }}
{{- define "edge-bridge.apiKeyDir" -}}/etc/edge-bridge/api-key{{- end }}
