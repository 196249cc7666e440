{{/*
Every block the templates share lives here once: names, labels, the component list, the
environment, the pod (security, probes, volumes), and the checks that make an install fail.
*/}}

{{- define "bazaar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bazaar.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains (include "bazaar.name" .) .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "bazaar.name" .) | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Object name of one component: <fullname>-<component>, e.g. bazaar-catalog-query. */}}
{{- define "bazaar.componentName" -}}
{{- printf "%s-%s" (include "bazaar.fullname" .root) .component -}}
{{- end -}}

{{- define "bazaar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bazaar.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "bazaar.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "bazaar.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: bazaar
{{- with .context }}
bazaar.io/context: {{ . }}
{{- end }}
{{- with .role }}
bazaar.io/role: {{ . }}
{{- end }}
{{- end -}}

{{/* Selects every pod of this release (the default-deny policy). */}}
{{- define "bazaar.releaseSelector" -}}
app.kubernetes.io/name: {{ include "bazaar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bazaar.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "bazaar.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "bazaar.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "bazaar.secretName" -}}
{{- default (printf "%s-secrets" (include "bazaar.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/*
The context processes, one per context and role, as JSON: name, context, role, whether it serves
gRPC (command and query do; a projector only consumes and serves /metrics), ports, and the role's
settings (values.roles.<role> merged with contexts.<name>.roles.<role>).
*/}}
{{- define "bazaar.components" -}}
{{- $components := list -}}
{{- range $context := keys .Values.contexts | sortAlpha -}}
{{- $spec := get $.Values.contexts $context -}}
{{- range $role := list "command" "projector" "query" -}}
{{- $settings := mergeOverwrite (deepCopy (get $.Values.roles $role)) (deepCopy (get (default dict $spec.roles) $role | default dict)) -}}
{{- $components = append $components (dict
    "name" (printf "%s-%s" $context $role)
    "context" $context
    "role" $role
    "grpc" (ne $role "projector")
    "grpcPort" $spec.grpcPort
    "metricsPort" $spec.metricsPort
    "settings" $settings) -}}
{{- end -}}
{{- end -}}
{{- dict "items" $components | toJson -}}
{{- end -}}

{{/* A settings map (camelCase keys) as env entries: requestBudgetMs -> REQUEST_BUDGET_MS. */}}
{{- define "bazaar.settingsEnv" -}}
{{- range $key := keys . | sortAlpha }}
- name: {{ $key | snakecase | upper }}
  value: {{ get $ $key | toString | quote }}
{{- end }}
{{- end -}}

{{- define "bazaar.devStoreName" -}}
{{- printf "%s-dev-%s" (include "bazaar.fullname" .root) .store -}}
{{- end -}}

{{/* Where the data stores are: the dev StatefulSets when enabled, else the configured clusters. */}}
{{- define "bazaar.dataStoreEnv" -}}
{{- $dev := .Values.devDataStores.enabled -}}
- name: CASSANDRA_CONTACT_POINTS
  value: {{ ternary (printf "%s:9042" (include "bazaar.devStoreName" (dict "root" . "store" "cassandra"))) (join "," .Values.cassandra.contactPoints) $dev | quote }}
- name: CASSANDRA_LOCAL_DC
  value: {{ ternary "datacenter1" .Values.cassandra.localDc $dev | quote }}
- name: CASSANDRA_REPLICATION_FACTOR
  value: {{ ternary 1 .Values.cassandra.replicationFactor $dev | toString | quote }}
- name: NATS_SERVERS
  value: {{ ternary (printf "nats://%s:4222" (include "bazaar.devStoreName" (dict "root" . "store" "nats"))) (join "," .Values.nats.servers) $dev | quote }}
- name: NATS_STREAM_REPLICAS
  value: {{ ternary 1 .Values.nats.streamReplicas $dev | toString | quote }}
- name: ELASTICSEARCH_URL
  value: {{ ternary (printf "http://%s:9200" (include "bazaar.devStoreName" (dict "root" . "store" "elasticsearch"))) .Values.elasticsearch.url $dev | quote }}
- name: ELASTICSEARCH_QUERY_TIMEOUT_MS
  value: {{ .Values.elasticsearch.queryTimeoutMs | toString | quote }}
- name: ELASTICSEARCH_REPLICAS
  value: {{ ternary 0 .Values.elasticsearch.replicas $dev | toString | quote }}
- name: CASSANDRA_CONSISTENCY
  value: {{ .Values.cassandra.consistency | quote }}
- name: CASSANDRA_SERIAL_CONSISTENCY
  value: {{ .Values.cassandra.serialConsistency | quote }}
{{- if and .Values.cassandra.tls (not $dev) }}
- name: CASSANDRA_TLS_CA
  value: /etc/bazaar/data-store-ca/ca.crt
{{- end }}
{{- if and .Values.nats.tls (not $dev) }}
- name: NATS_TLS_CA
  value: /etc/bazaar/data-store-ca/ca.crt
{{- end }}
- name: BAZAAR_NAMESPACE
  value: {{ .Values.bazaarNamespace | quote }}
{{- if not (and (ne .Values.secrets.existingSecret "") (not .Values.devDataStores.enabled)) }}
{{- /* `bazaar migrate` runs after install here (see migrate-job.yaml): until it has, the processes create what they need. Otherwise they only check. */}}
- name: BAZAAR_PROVISIONING
  value: create
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.dataStores.caSecret }}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/bazaar/data-store-ca/ca.crt
{{- end }}
{{- end -}}

{{/*
Secret-held data-store logins and address overrides come last, so they win over the values above:
the shared dataStores.credentialsSecret, then the process's own (a Cassandra role, a NATS user per
context, so each reaches only its own data).
*/}}
{{- define "bazaar.envFrom" -}}
{{- $secrets := compact (list .root.Values.dataStores.credentialsSecret (.credentialsSecret | default "")) -}}
{{- with $secrets }}
envFrom:
{{- range . }}
  - secretRef:
      name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Where every process sends its spans, and how many it keeps (values.tracing). */}}
{{- define "bazaar.tracingEnv" -}}
{{- if .Values.tracing.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.tracing.endpoint | quote }}
- name: OTEL_TRACES_SAMPLER
  value: parentbased_traceidratio
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ .Values.tracing.sampleRatio | toString | quote }}
{{- else }}
- name: OTEL_SDK_DISABLED
  value: "true"
{{- end }}
{{- end -}}

{{/* Every process that serves or calls gRPC proves who it is with this key. */}}
{{- define "bazaar.serviceAuthEnv" -}}
- name: SERVICE_AUTH_SECRET
  valueFrom:
    secretKeyRef: { name: {{ include "bazaar.secretName" . }}, key: SERVICE_AUTH_SECRET }
{{- end -}}

{{/* One context process: which context, which role, where it listens, what it tunes. */}}
{{- define "bazaar.contextEnv" -}}
{{- $root := .root -}}
{{- $spec := get $root.Values.contexts .component.context -}}
{{- $prefix := upper .component.context -}}
{{ include "bazaar.dataStoreEnv" $root }}
{{ include "bazaar.settingsEnv" $root.Values.contextSettings | trim }}
{{ include "bazaar.serviceAuthEnv" $root }}
{{ include "bazaar.tracingEnv" $root }}
- name: {{ $prefix }}_ROLES
  value: {{ .component.role | quote }}
- name: {{ $prefix }}_GRPC_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}_GRPC_PORT
  value: {{ $spec.grpcPort | toString | quote }}
- name: {{ $prefix }}_METRICS_PORT
  value: {{ $spec.metricsPort | toString | quote }}
- name: {{ $prefix }}_KEYSPACE
  value: {{ $spec.keyspace | quote }}
- name: {{ $prefix }}_SNAPSHOT_EVERY
  value: {{ $spec.snapshotEvery | toString | quote }}
{{- if eq .component.context "ordering" }}
- name: CATALOG_QUERY_ADDRESS
  value: {{ printf "%s:%v" (include "bazaar.componentName" (dict "root" $root "component" "catalog-query")) $root.Values.contexts.catalog.grpcPort | quote }}
{{ include "bazaar.settingsEnv" (default dict $spec.settings) | trim }}
{{- end }}
{{- with $root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Auth keys from the chart's or the user's Secret; the JWKS address is public, so a value. */}}
{{- define "bazaar.gatewayEnv" -}}
{{- $root := . -}}
{{- $secret := include "bazaar.secretName" . -}}
{{ include "bazaar.dataStoreEnv" . }}
{{ include "bazaar.tracingEnv" . }}
- name: GATEWAY_HOST
  value: "0.0.0.0"
- name: GATEWAY_PORT
  value: {{ .Values.gateway.port | toString | quote }}
- name: GATEWAY_KEYSPACE
  value: {{ .Values.gateway.keyspace | quote }}
- name: GATEWAY_METRICS
  value: {{ .Values.gateway.metrics | quote }}
- name: GATEWAY_METRICS_HOST
  value: "0.0.0.0"
- name: GATEWAY_METRICS_PORT
  value: {{ .Values.gateway.metricsPort | toString | quote }}
{{- range $context := keys .Values.contexts | sortAlpha }}
{{- $port := (get $root.Values.contexts $context).grpcPort }}
- name: {{ upper $context }}_COMMAND_ADDRESS
  value: {{ printf "%s:%v" (include "bazaar.componentName" (dict "root" $root "component" (printf "%s-command" $context))) $port | quote }}
- name: {{ upper $context }}_QUERY_ADDRESS
  value: {{ printf "%s:%v" (include "bazaar.componentName" (dict "root" $root "component" (printf "%s-query" $context))) $port | quote }}
{{- end }}
{{ include "bazaar.settingsEnv" .Values.gateway.settings | trim }}
{{ include "bazaar.serviceAuthEnv" . }}
- name: CONSISTENCY_TOKEN_SECRET
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: CONSISTENCY_TOKEN_SECRET }
{{- if .Values.auth.jwks.url }}
- name: AUTH_JWKS_URL
  value: {{ .Values.auth.jwks.url | quote }}
- name: AUTH_ISSUER
  value: {{ .Values.auth.jwks.issuer | quote }}
- name: AUTH_AUDIENCE
  value: {{ .Values.auth.jwks.audience | quote }}
{{- else }}
- name: AUTH_HS256_SECRET
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: AUTH_HS256_SECRET }
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Native gRPC probes (grpc.health.v1) for a gRPC role; /metrics for a projector (it serves nothing else). */}}
{{- define "bazaar.probes" -}}
{{- $p := .root.Values.probes -}}
{{- range $kind := list "readiness" "liveness" "startup" }}
{{ $kind }}Probe:
  {{- if eq $.kind "grpc" }}
  grpc: { port: {{ $.port }} }
  {{- else }}
  httpGet: { path: {{ if and (eq $.kind "gateway") (eq $kind "readiness") }}/readyz{{ else if eq $.kind "gateway" }}/healthz{{ else }}/metrics{{ end }}, port: {{ $.port }} }
  {{- end }}
  {{- toYaml (get $p $kind) | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Volumes every Bazaar pod has: a small /tmp (the root filesystem is read-only), the data stores' CA. */}}
{{- define "bazaar.volumes" -}}
volumes:
  - name: tmp
    emptyDir: { sizeLimit: {{ .Values.tmpSizeLimit }} }
{{- with .Values.dataStores.caSecret }}
  - name: data-store-ca
    secret: { secretName: {{ . }}, items: [{ key: ca.crt, path: ca.crt }] }
{{- end }}
{{- end -}}

{{- define "bazaar.volumeMounts" -}}
volumeMounts:
  - { name: tmp, mountPath: /tmp }
{{- if .Values.dataStores.caSecret }}
  - { name: data-store-ca, mountPath: /etc/bazaar/data-store-ca, readOnly: true }
{{- end }}
{{- end -}}

{{/* Scheduling and identity shared by every Bazaar pod. */}}
{{- define "bazaar.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{ toYaml . | nindent 2 }}
{{- end }}
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector: {{ toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{ toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{ toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{/*
A Bazaar process's pod template: one hardened container running `node <entrypoint>` with the given
env, ports and probes. Called with root, component, context, role, entrypoint, env, ports, probeKind,
probePort, resources.
*/}}
{{- define "bazaar.podTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "bazaar.labels" . | nindent 4 }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $root.Values.podAnnotations }}
  annotations: {{ toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ include "bazaar.serviceAccountName" $root }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
  {{- with include "bazaar.podCommon" $root | trim }}{{ . | nindent 2 }}{{ end }}
  {{- with $root.Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- range . }}
    - {{ toYaml . | nindent 6 | trim }}
      labelSelector:
        matchLabels: {{- include "bazaar.selectorLabels" $ | nindent 10 }}
    {{- end }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "bazaar.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      command: ["node", {{ .entrypoint | quote }}]
      env: {{- .env | nindent 8 }}
      {{- with include "bazaar.envFrom" (dict "root" $root "credentialsSecret" .credentialsSecret) | trim }}{{ . | nindent 6 }}{{ end }}
      ports: {{- toYaml .ports | nindent 8 }}
      {{- include "bazaar.probes" (dict "root" $root "kind" .probeKind "port" .probePort) | trim | nindent 6 }}
      resources: {{- toYaml .resources | nindent 8 }}
      securityContext: {{- toYaml $root.Values.securityContext | nindent 8 }}
      {{- include "bazaar.volumeMounts" $root | nindent 6 }}
  {{- include "bazaar.volumes" $root | nindent 2 }}
{{- end -}}

{{/*
Checks an install must pass; `fail` stops it with the message. There is no default secret: the
gateway needs a way to verify tokens and a key to sign consistency tokens.
*/}}
{{- define "bazaar.validate" -}}
{{- $auth := .Values.auth -}}
{{- if and (or .Values.cassandra.tls .Values.nats.tls) (not .Values.dataStores.caSecret) (not .Values.devDataStores.enabled) -}}
{{- fail "cassandra.tls / nats.tls need dataStores.caSecret (a Secret with ca.crt, the CA that signed the data stores' certificates)" -}}
{{- end -}}
{{- if .Values.secrets.existingSecret -}}
{{- if or $auth.hs256Secret .Values.consistencyTokenSecret .Values.serviceAuthSecret -}}
{{- fail "secrets.existingSecret is set: leave auth.hs256Secret, consistencyTokenSecret and serviceAuthSecret empty (their keys come from that Secret)" -}}
{{- end -}}
{{- else if and (not $auth.hs256Secret) (not $auth.jwks.url) -}}
{{- fail "no way to verify bearer tokens: set auth.hs256Secret (at least 32 characters), auth.jwks.url with auth.jwks.issuer and auth.jwks.audience, or secrets.existingSecret (a Secret with AUTH_HS256_SECRET, CONSISTENCY_TOKEN_SECRET and SERVICE_AUTH_SECRET)" -}}
{{- end -}}
{{- if and $auth.hs256Secret (lt (len $auth.hs256Secret) 32) -}}
{{- fail (printf "auth.hs256Secret is %d characters: at least 32 are needed (e.g. openssl rand -base64 48)" (len $auth.hs256Secret)) -}}
{{- end -}}
{{- range $key := list "consistencyTokenSecret" "serviceAuthSecret" -}}
{{- $value := get $.Values $key -}}
{{- if and $value (lt (len $value) 32) -}}
{{- fail (printf "%s must be at least 32 characters (or empty: generated)" $key) -}}
{{- end -}}
{{- end -}}
{{- if and $auth.jwks.url (or (not $auth.jwks.issuer) (not $auth.jwks.audience)) -}}
{{- fail "auth.jwks.url needs auth.jwks.issuer and auth.jwks.audience (only tokens minted by that issuer for this API pass)" -}}
{{- end -}}
{{- if and $auth.jwks.url $auth.hs256Secret -}}
{{- fail "set auth.jwks.url or auth.hs256Secret, not both" -}}
{{- end -}}
{{- end -}}
