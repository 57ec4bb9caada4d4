import fs from 'node:fs';
import { KAFKA_CONNECTION_VARIABLES } from '@gmart/kafka-connection';
import { parse } from 'yaml';
import { SERVICE_MAX_SEMI_SPACE_MIB, parseTopicsFile } from '../src';
import { helm, renderChart, type Manifest } from './support/helm';
import { validateManifest } from './support/k8s-models';
import { ALL_FEATURES_VALUES, CHART_DIR, DASHBOARDS_DIR, PROMETHEUS_DIR, TOPICS_FILE } from './support/paths';
import { restrictedViolations } from './support/pod-security';
import { SERVICES, isKnownVariable } from './support/service-contract';

jest.setTimeout(180_000);

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];
let defaults: Manifest[];
let all: Manifest[];

beforeAll(async () => {
  [defaults, all] = await Promise.all([renderChart(), renderChart(['-f', ALL_FEATURES_VALUES])]);
});

const find = (ms: Manifest[], kind: string, name: string): Manifest | undefined =>
  ms.find((m) => m.kind === kind && m.metadata.name === name);
const workloads = (ms: Manifest[]): Manifest[] => ms.filter((m) => WORKLOAD_KINDS.includes(m.kind));
const podSpec = (m: Manifest): any => m.spec.template.spec;
const envOf = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
const topicSpecs = parseTopicsFile(fs.readFileSync(TOPICS_FILE, 'utf8'), TOPICS_FILE);

describe.each([
  ['default values', [] as string[]],
  ['all-features values', ['-f', ALL_FEATURES_VALUES]],
])('helm lint (%s)', (_label, args) => {
  it('passes with no errors or warnings', async () => {
    const result = await helm(['lint', CHART_DIR, '--strict', ...args]);
    expect(result.stdout + result.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(result.code).toBe(0);
  });
});

describe('rendered manifests', () => {
  it('default values render the six current services and nothing optional', () => {
    const kinds = defaults.map((m) => `${m.kind}/${m.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/gmart-test-masking',
        'Deployment/gmart-test-patterns',
        'Deployment/gmart-test-storage',
        'StatefulSet/gmart-test-rewards',
        'StatefulSet/gmart-test-coupon-join',
        'StatefulSet/gmart-test-stock-analytics',
        'Job/gmart-test-topics',
        'ConfigMap/gmart-test-topics',
        'ConfigMap/gmart-test-dashboard-consumer-lag',
        'ConfigMap/gmart-test-dashboard-services',
      ]),
    );
    // The one NetworkPolicy on by default restricts who reaches the HTTP ports (see 'HTTP ingress').
    expect(defaults.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name)).toEqual([
      'gmart-test-http-ingress',
    ]);
    for (const optional of ['ServiceMonitor', 'PrometheusRule', 'ScaledObject', 'HorizontalPodAutoscaler']) {
      expect(defaults.filter((m) => m.kind === optional)).toEqual([]);
    }
    // coupon-join holds window stores: a StatefulSet with a state volume, its topics and APPLICATION_SERVER.
    const couponJoin = defaults.find(
      (m) => m.kind === 'StatefulSet' && m.metadata.name === 'gmart-test-coupon-join',
    ) as
      | {
          spec: {
            volumeClaimTemplates?: unknown[];
            template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } };
          };
        }
      | undefined;
    expect(couponJoin?.spec.volumeClaimTemplates?.length).toBe(1);
    const env = couponJoin!.spec.template.spec.containers[0]!.env ?? [];
    expect(env.map((e) => e.name)).toEqual(
      expect.arrayContaining(['TOPIC_COFFEE', 'TOPIC_ELECTRONICS', 'TOPIC_COUPONS', 'APPLICATION_SERVER']),
    );
  });

  it('all-features values render every optional object, later services included', () => {
    const count = (kind: string) => all.filter((m) => m.kind === kind).length;
    expect(count('StatefulSet')).toBe(3);
    expect(count('Deployment')).toBe(3);
    expect(count('ServiceMonitor')).toBe(1);
    expect(count('PrometheusRule')).toBe(1);
    expect(count('NetworkPolicy')).toBe(3);
    expect(count('ScaledObject')).toBe(2);
    expect(count('HorizontalPodAutoscaler')).toBe(1);
    expect(count('PodDisruptionBudget')).toBe(6);
  });

  it.each([
    ['default', () => defaults],
    ['all-features', () => all],
  ])('every %s manifest is valid against the Kubernetes, prometheus-operator and KEDA schemas', (_l, get) => {
    const problems = get().map(validateManifest).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('schema validation catches a broken manifest (negative control)', () => {
    const d = structuredClone(find(defaults, 'Deployment', 'gmart-test-masking')!);
    d.spec.replicas = 'two';
    expect(validateManifest(d)).toMatch(/replicas must be integer/);
    expect(validateManifest({ ...d, kind: 'Frobnicator' })).toMatch(/no schema known/);
  });

  it('every object carries the recommended labels; per-service objects name their component', () => {
    for (const m of all) {
      const l = m.metadata.labels ?? {};
      for (const key of [
        'app.kubernetes.io/name',
        'app.kubernetes.io/instance',
        'app.kubernetes.io/part-of',
        'app.kubernetes.io/managed-by',
        'helm.sh/chart',
      ]) {
        expect({ object: `${m.kind}/${m.metadata.name}`, key, present: key in l }).toEqual({
          object: `${m.kind}/${m.metadata.name}`,
          key,
          present: true,
        });
      }
      expect(l['app.kubernetes.io/managed-by']).toBe('Helm');
      expect(l['app.kubernetes.io/part-of']).toBe('gmart');
      if (WORKLOAD_KINDS.includes(m.kind)) expect(l['app.kubernetes.io/component']).toBeTruthy();
    }
  });
});

describe('pod security', () => {
  it.each([
    ['default', () => defaults],
    ['all-features', () => all],
  ])('every %s pod spec meets the restricted Pod Security Standard', (_l, get) => {
    const ws = workloads(get());
    expect(ws.length).toBeGreaterThanOrEqual(5);
    const violations = ws.flatMap((w) =>
      restrictedViolations(podSpec(w)).map((v) => `${w.kind}/${w.metadata.name}: ${v}`),
    );
    expect(violations).toEqual([]);
    for (const w of ws) expect(podSpec(w).automountServiceAccountToken).toBe(false);
  });

  it('the checker flags a privileged, root, writable pod (negative control)', () => {
    const spec = structuredClone(podSpec(find(defaults, 'Deployment', 'gmart-test-masking')!));
    spec.hostNetwork = true;
    spec.securityContext = {};
    spec.containers[0].securityContext = {
      privileged: true,
      runAsUser: 0,
      capabilities: { add: ['SYS_ADMIN'] },
    };
    spec.volumes.push({ name: 'host', hostPath: { path: '/' } });
    const v = restrictedViolations(spec).join('\n');
    for (const expected of [
      'hostNetwork',
      'privileged',
      'allowPrivilegeEscalation',
      'drop ALL',
      'SYS_ADMIN',
      'runAsNonRoot',
      'runAsUser 0',
      'seccompProfile',
      'readOnlyRootFilesystem',
      'hostPath',
    ]) {
      expect(v).toContain(expected);
    }
  });
});

describe('services against their runtime contract', () => {
  const enabledIn = (ms: Manifest[]) =>
    SERVICES.filter((s) =>
      ms.some(
        (m) =>
          m.metadata.labels?.['app.kubernetes.io/component'] === s.name && WORKLOAD_KINDS.includes(m.kind),
      ),
    );

  it.each([
    ['default', () => defaults],
    ['all-features', () => all],
  ])('%s: kind, ports, env, probes, state and grace period match each service', (_l, get) => {
    const ms = get();
    const services = enabledIn(ms);
    expect(services.length).toBeGreaterThanOrEqual(4);
    for (const s of services) {
      const kind = s.stateful ? 'StatefulSet' : 'Deployment';
      const w = find(ms, kind, `gmart-test-${s.name}`);
      expect({ service: s.name, kind: w?.kind }).toEqual({ service: s.name, kind });
      const c = podSpec(w!).containers[0];
      expect(c.args).toEqual([s.name]);
      expect(c.ports).toEqual([{ name: 'http', containerPort: s.port, protocol: 'TCP' }]);
      const env = envOf(c);
      const names = c.env.map((e: any) => e.name);
      expect(new Set(names).size).toBe(names.length);
      for (const name of Object.keys(env))
        expect({ service: s.name, variable: name, known: isKnownVariable(s, name) }).toEqual({
          service: s.name,
          variable: name,
          known: true,
        });
      for (const name of s.required)
        expect({ service: s.name, variable: name, set: name in env }).toEqual({
          service: s.name,
          variable: name,
          set: true,
        });
      expect(env.APPLICATION_ID).toBe(`gmart-${s.name}`);
      expect(env.HTTP_PORT).toBe(String(s.port));
      expect(env.HTTP_HOST).toBe('0.0.0.0');
      expect({ service: s.name, guarantee: env.PROCESSING_GUARANTEE }).toEqual({
        service: s.name,
        guarantee: s.processingGuarantee,
      });
      expect(topicSpecs.map((t) => t.name)).toContain(env.DLQ_TOPIC);
      for (const [k, v] of Object.entries(s.topics)) expect(env[k]).toBe(v);
      for (const [k, v] of Object.entries(env))
        if (k.startsWith('TOPIC_')) expect(topicSpecs.map((t) => t.name)).toContain(v);
      // Service object: same port, selects the pods.
      const svc = find(ms, 'Service', `gmart-test-${s.name}`)!;
      expect(svc.spec.ports[0]).toMatchObject({ name: 'http', port: s.port, targetPort: 'http' });
      expect(w!.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
      // Probes on the service's health endpoints.
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(c.startupProbe.httpGet.port).toBe('http');
      const startupWindow = c.startupProbe.periodSeconds * c.startupProbe.failureThreshold;
      expect(startupWindow).toBeGreaterThanOrEqual(s.stateful ? 600 : 60);
      // SIGKILL must never cut a clean shutdown short.
      expect(podSpec(w!).terminationGracePeriodSeconds).toBeGreaterThan(
        Number(env.SHUTDOWN_TIMEOUT_MS) / 1000,
      );
      // State: a PVC mounted at STATE_DIR for stateful services, the /tmp emptyDir otherwise.
      if (s.stateful) {
        expect(w!.spec.volumeClaimTemplates.map((v: any) => v.metadata.name)).toEqual(['state']);
        expect(c.volumeMounts).toContainEqual({ name: 'state', mountPath: env.STATE_DIR });
        expect(w!.spec.serviceName).toBe(svc.metadata.name);
        expect(svc.spec.clusterIP).toBe('None');
      } else {
        expect(env.STATE_DIR.startsWith('/tmp/')).toBe(true);
      }
      // Spread and disruption budget select exactly this service's pods.
      for (const t of podSpec(w!).topologySpreadConstraints)
        expect(w!.spec.template.metadata.labels).toMatchObject(t.labelSelector.matchLabels);
      const pdb = find(ms, 'PodDisruptionBudget', `gmart-test-${s.name}`)!;
      expect(pdb.spec.selector.matchLabels).toEqual(w!.spec.selector.matchLabels);
    }
  });

  it('rewards, coupon-join and stock-analytics run exactly_once_v2 by default, the others at_least_once', () => {
    const guarantees = Object.fromEntries(
      SERVICES.map((s) => [
        s.name,
        envOf(
          podSpec(workloads(defaults).find((w) => w.metadata.name === `gmart-test-${s.name}`)!).containers[0],
        ).PROCESSING_GUARANTEE,
      ]),
    );
    expect(guarantees).toEqual({
      masking: 'at_least_once',
      patterns: 'at_least_once',
      rewards: 'exactly_once_v2',
      storage: 'at_least_once',
      'coupon-join': 'exactly_once_v2',
      'stock-analytics': 'exactly_once_v2',
    });
  });

  it('rewards advertises <pod IP>:<port> as APPLICATION_SERVER so instances can route key lookups', () => {
    const env = envOf(podSpec(find(defaults, 'StatefulSet', 'gmart-test-rewards')!).containers[0]);
    expect(env.POD_IP).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    expect(env.APPLICATION_SERVER).toBe('$(POD_IP):8083');
    const names = podSpec(find(defaults, 'StatefulSet', 'gmart-test-rewards')!).containers[0].env.map(
      (e: any) => e.name,
    );
    expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('APPLICATION_SERVER'));
    const masking = envOf(podSpec(find(defaults, 'Deployment', 'gmart-test-masking')!).containers[0]);
    expect(masking.APPLICATION_SERVER).toBeUndefined();
  });

  it('storage reads MONGODB_URI from the existing Secret', () => {
    const env = envOf(podSpec(find(defaults, 'Deployment', 'gmart-test-storage')!).containers[0]);
    expect(env.MONGODB_URI).toEqual({ secretKeyRef: { name: 'gmart-mongodb', key: 'uri' } });
    expect(env.MONGODB_DATABASE).toBe('gmart');
  });

  it('Kafka SASL/SCRAM comes from the existing Secret and the CA from a mounted Secret', () => {
    for (const w of workloads(all)) {
      const spec = podSpec(w);
      const c = spec.containers[0];
      const env = envOf(c);
      expect(env.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
      expect(env.KAFKA_SASL_USERNAME).toEqual({
        secretKeyRef: { name: 'gmart-kafka-user', key: 'username' },
      });
      expect(env.KAFKA_SASL_PASSWORD).toEqual({
        secretKeyRef: { name: 'gmart-kafka-user', key: 'password' },
      });
      expect(env.KAFKA_SSL).toBe('true');
      const mount = c.volumeMounts.find((m: any) => env.KAFKA_SSL_CA_FILE.startsWith(`${m.mountPath}/`));
      expect(mount).toBeDefined();
      const volume = spec.volumes.find((v: any) => v.name === mount.name);
      expect(volume.secret.secretName).toBe('gmart-cluster-ca-cert');
      expect(JSON.stringify(w)).not.toMatch(/password"\s*:\s*"[^{]/);
    }
  });

  it('autoscaled services leave replicas to the autoscaler, target their own workload, and never exceed input partitions', () => {
    const inputTopic: Record<string, string> = {
      masking: 'transactions',
      patterns: 'purchases',
      rewards: 'purchases',
    };
    const scalers = all.filter((m) => m.kind === 'ScaledObject' || m.kind === 'HorizontalPodAutoscaler');
    expect(scalers.length).toBe(3);
    for (const sc of scalers) {
      const ref = sc.spec.scaleTargetRef;
      const target = find(all, ref.kind, ref.name);
      expect(target).toBeDefined();
      expect(target!.spec.replicas).toBeUndefined();
      const service = target!.metadata.labels!['app.kubernetes.io/component'];
      const partitions = topicSpecs.find((t) => t.name === inputTopic[service])!.partitions;
      const max = sc.kind === 'ScaledObject' ? sc.spec.maxReplicaCount : sc.spec.maxReplicas;
      expect(max).toBeLessThanOrEqual(partitions);
      if (sc.kind === 'ScaledObject') {
        expect(sc.spec.triggers[0].metadata.query).toBe(
          `sum(kafka_consumergroup_lag_sum{consumergroup="gmart-${service}"})`,
        );
      }
    }
  });
});

describe('HTTP_HOST', () => {
  it('binds every service to httpHost, overridable per service', async () => {
    const ms = await renderChart(['--set', 'httpHost=::', '--set', 'services.rewards.httpHost=127.0.0.1']);
    const hosts = Object.fromEntries(
      SERVICES.map((s) => [
        s.name,
        envOf(podSpec(workloads(ms).find((w) => w.metadata.name === `gmart-test-${s.name}`)!).containers[0])
          .HTTP_HOST,
      ]),
    );
    for (const [name, host] of Object.entries(hosts))
      expect(host).toBe(name === 'rewards' ? '127.0.0.1' : '::');
  });

  it('on the platformatic client, StatefulSet pods join as static members named after the pod', async () => {
    const envs = (ms: Manifest[]) =>
      workloads(ms)
        .filter((w) => w.kind === 'StatefulSet' || w.kind === 'Deployment')
        .map((w) => ({ kind: w.kind, env: envOf(podSpec(w).containers[0]) }));
    for (const { env } of envs(defaults)) {
      expect(env.KAFKA_CLIENT).toBe('kafkajs');
      expect(env.KAFKA_GROUP_INSTANCE_ID).toBeUndefined();
      expect(env.KAFKA_REBALANCE_PROTOCOL).toBeUndefined();
    }
    const plt = envs(
      await renderChart([
        '--set',
        'kafka.client=platformatic',
        '--set',
        'kafka.rebalanceProtocol=cooperative',
      ]),
    );
    expect(plt.some((w) => w.kind === 'StatefulSet')).toBe(true);
    for (const { kind, env } of plt) {
      expect([env.KAFKA_CLIENT, env.KAFKA_REBALANCE_PROTOCOL]).toEqual(['platformatic', 'cooperative']);
      if (kind === 'StatefulSet')
        expect(env.KAFKA_GROUP_INSTANCE_ID).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
      else expect(env.KAFKA_GROUP_INSTANCE_ID).toBeUndefined();
    }
  });
});

describe('Kafka credentials for Strimzi-style secrets', () => {
  it('takes a literal user name with the password from the KafkaUser Secret', async () => {
    const ms = await renderChart([
      '--set',
      'kafka.sasl.enabled=true',
      '--set',
      'kafka.sasl.existingSecret=gmart-app',
      '--set',
      'kafka.sasl.username=gmart-app',
    ]);
    for (const w of workloads(ms)) {
      const env = envOf(podSpec(w).containers[0]);
      expect(env.KAFKA_SASL_USERNAME).toBe('gmart-app');
      expect(env.KAFKA_SASL_PASSWORD).toEqual({ secretKeyRef: { name: 'gmart-app', key: 'password' } });
    }
  });
});

describe('topics Job', () => {
  it('is a pre-install/pre-upgrade hook fed by deploy/topics.yaml (through the chart symlink) plus topics.extra', () => {
    const cm = find(all, 'ConfigMap', 'gmart-test-topics')!;
    const job = find(all, 'Job', 'gmart-test-topics')!;
    for (const m of [cm, job])
      expect(m.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(cm.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(
      Number(job.metadata.annotations!['helm.sh/hook-weight']),
    );
    expect(fs.realpathSync(`${CHART_DIR}/files/topics.yaml`)).toBe(fs.realpathSync(TOPICS_FILE));
    expect(cm.data!['topics.yaml'].trim()).toBe(fs.readFileSync(TOPICS_FILE, 'utf8').trim());
    expect(parseTopicsFile(cm.data!['topics.yaml'], 'configmap')).toEqual(topicSpecs);
    expect(parseTopicsFile(cm.data!['extra.yaml'], 'extra').map((t) => t.name)).toEqual(['audit-events']);
    const c = podSpec(job).containers[0];
    expect(c.args.slice(0, 5)).toEqual([
      'create-topics',
      '--file',
      '/etc/gmart/topics/topics.yaml',
      '--file',
      '/etc/gmart/topics/extra.yaml',
    ]);
    expect(podSpec(job).volumes.find((v: any) => v.name === 'topics').configMap.name).toBe(cm.metadata.name);
    expect(podSpec(job).restartPolicy).toBe('Never');
  });
});

describe('monitoring objects', () => {
  it('ServiceMonitor carries the release label and scrapes the http port of every service as job "gmart"', () => {
    const sm = all.find((m) => m.kind === 'ServiceMonitor')!;
    expect(sm.metadata.labels!.release).toBe('kube-prometheus-stack');
    expect(sm.spec.jobLabel).toBe('app.kubernetes.io/part-of');
    expect(sm.spec.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics', honorLabels: true }),
    ]);
    const services = all.filter((m) => m.kind === 'Service');
    expect(services.length).toBe(6);
    for (const s of services) {
      expect(s.metadata.labels).toMatchObject(sm.spec.selector.matchLabels);
      expect(s.metadata.labels!['app.kubernetes.io/part-of']).toBe('gmart');
      expect(s.spec.ports.map((p: any) => p.name)).toContain('http');
    }
  });

  it('PrometheusRule holds exactly the alert rules promtool tests', () => {
    const pr = all.find((m) => m.kind === 'PrometheusRule')!;
    expect(pr.metadata.labels!.release).toBe('kube-prometheus-stack');
    const file = parse(fs.readFileSync(`${PROMETHEUS_DIR}/rules/gmart-alerts.yml`, 'utf8'));
    expect(pr.spec.groups).toEqual(file.groups);
  });

  it('dashboards ship as ConfigMaps labelled grafana_dashboard: "1" with the files verbatim', () => {
    const files = fs.readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['consumer-lag.json', 'services.json', 'stock-analytics.json']);
    for (const f of files) {
      const cm = find(all, 'ConfigMap', `gmart-test-dashboard-${f.replace(/\.json$/, '')}`)!;
      expect(cm.metadata.labels!.grafana_dashboard).toBe('1');
      expect(cm.metadata.namespace).toBe('monitoring');
      expect(JSON.parse(cm.data![f])).toEqual(JSON.parse(fs.readFileSync(`${DASHBOARDS_DIR}/${f}`, 'utf8')));
    }
  });

  it('NetworkPolicy denies by default and allows DNS, Kafka, MongoDB and the scraper', () => {
    const deny = find(all, 'NetworkPolicy', 'gmart-test-default-deny')!;
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny.spec.ingress).toBeUndefined();
    expect(deny.spec.egress).toBeUndefined();
    const allow = find(all, 'NetworkPolicy', 'gmart-test-allow')!;
    for (const w of workloads(all))
      expect(w.spec.template.metadata.labels).toMatchObject(allow.spec.podSelector.matchLabels);
    const egressPorts = allow.spec.egress.flatMap((r: any) =>
      r.ports.map((p: any) => `${p.protocol}/${p.port}`),
    );
    expect(egressPorts).toEqual(expect.arrayContaining(['UDP/53', 'TCP/53', 'TCP/9093', 'TCP/27017']));
    const ingressPorts = allow.spec.ingress[0].ports.map((p: any) => p.port).sort();
    expect(ingressPorts).toEqual(SERVICES.map((s) => s.port).sort());
    expect(allow.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'monitoring',
    });
  });
});

describe('values.schema.json rejects bad values with a clear message', () => {
  it.each([
    [['--set', 'services.masking.replicas=-1'], '/services/masking/replicas'],
    [['--set', 'services.masking.port=70000'], '/services/masking/port'],
    [['--set', 'kafka.brokers=not-a-host-port'], '/kafka/brokers'],
    [['--set', 'kafka.sasl.mechanism=md5'], '/kafka/sasl/mechanism'],
    [['--set', 'kafka.sasl.enabled=true'], '/kafka/sasl/existingSecret'],
    [['--set', 'securityContext.runAsUser=0'], '/securityContext/runAsUser'],
    [['--set', 'replica=3'], 'replica'],
    [['--set', 'services.masking.topics.transactions=x'], "'transactions' does not match pattern '^TOPIC_"],
    [['--set', 'services.rewards.autoscaling.mode=vpa'], '/services/rewards/autoscaling/mode'],
    [['--set', 'image.pullPolicy=Sometimes'], '/image/pullPolicy'],
    [['--set', 'topics.extra[0].name=bad topic'], '/topics/extra/0/name'],
    [['--set', 'services.new-service.replicas=1'], '/services/new-service'],
  ])('helm template %j fails naming %s', async (args, path) => {
    const result = await helm(['template', 'gmart-test', CHART_DIR, ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(path);
  });

  it('a missing MongoDB secret names the value to set', async () => {
    const result = await helm(['template', 'gmart-test', CHART_DIR, '--set', 'mongodb.existingSecret=']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('mongodb.existingSecret is required when services.storage is enabled');
  });

  it('good overrides still render (the schema is not simply rejecting everything)', async () => {
    const ms = await renderChart([
      '--set',
      'services.masking.replicas=4',
      '--set',
      'kafka.brokers=a:9092\\,b:9093',
    ]);
    const masking = find(ms, 'Deployment', 'gmart-test-masking')!;
    expect(masking.spec.replicas).toBe(4);
    expect(envOf(podSpec(masking).containers[0]).KAFKA_BROKERS).toBe('a:9092,b:9093');
  });
});

describe('NOTES.txt', () => {
  it('tells how to reach metrics and dashboards (offline dry-run install)', async () => {
    const result = await helm([
      'install',
      'gmart-test',
      CHART_DIR,
      '--dry-run=client',
      '-f',
      ALL_FEATURES_VALUES,
    ]);
    expect(result.code).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
    expect(notes).toContain('port-forward svc/gmart-test-coupon-join 8085:8085');
    expect(notes).toContain('ServiceMonitor gmart-test (release label "kube-prometheus-stack")');
    expect(notes).toContain('grafana_dashboard');
    expect(notes).toContain('rewards          StatefulSet gmart-test-rewards, port 8083');
  });
});

/** A pod trying to reach a port: its namespace (name and labels) and its labels. */
interface Peer {
  readonly namespace: string;
  readonly namespaceLabels: Record<string, string>;
  readonly labels: Record<string, string>;
}

/** Whether a label selector (matchLabels only; `{}` selects everything) selects `labels`. */
function selects(selector: any, labels: Record<string, string>): boolean {
  if (selector.matchExpressions?.length) throw new Error('the model handles matchLabels only');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/**
 * The model of an Ingress NetworkPolicy (networking.k8s.io/v1): a peer reaches `port` when a rule
 * lists the port and one of its `from` entries selects the peer (no namespaceSelector: the
 * policy's own namespace; both selectors: both must match).
 */
function admits(policy: Manifest, peer: Peer, port: number): boolean {
  return (policy.spec.ingress ?? []).some(
    (rule: any) =>
      (rule.ports ?? []).some((p: any) => p.port === port && (p.protocol ?? 'TCP') === 'TCP') &&
      (rule.from ?? []).some((f: any) => {
        if (f.ipBlock) return false;
        const ns = f.namespaceSelector
          ? selects(f.namespaceSelector, peer.namespaceLabels)
          : peer.namespace === policy.metadata.namespace;
        return ns && (f.podSelector ? selects(f.podSelector, peer.labels) : true);
      }),
  );
}

const peer = (namespace: string, labels: Record<string, string> = {}): Peer => ({
  namespace,
  namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
  labels,
});

describe('HTTP ingress NetworkPolicy (on by default)', () => {
  const ports = SERVICES.map((s) => s.port);

  it('selects every service pod, Ingress only, on every HTTP port', () => {
    for (const ms of [defaults, all]) {
      const policy = find(ms, 'NetworkPolicy', 'gmart-test-http-ingress')!;
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      expect(policy.metadata.namespace).toBe('gmart');
      for (const w of workloads(ms))
        expect(selects(policy.spec.podSelector, w.spec.template.metadata.labels)).toBe(true);
      const listed = policy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)).sort();
      expect(listed).toEqual([...ports].sort());
    }
  });

  it('default values: the scraper, the release pods and labelled clients of the namespace only', () => {
    const policy = find(defaults, 'NetworkPolicy', 'gmart-test-http-ingress')!;
    const rewardsPod = find(defaults, 'StatefulSet', 'gmart-test-rewards')!.spec.template.metadata.labels;
    const cases: Array<[string, Peer, boolean]> = [
      ['Prometheus in monitoring', peer('monitoring', { app: 'prometheus' }), true],
      ['another rewards instance (query forwarding)', peer('gmart', rewardsPod), true],
      ['a labelled API client', peer('gmart', { 'gmart.io/api-client': 'true' }), true],
      ['a pod of the namespace without the label', peer('gmart', { app: 'shell' }), false],
      ['a labelled pod of another namespace', peer('shop', { 'gmart.io/api-client': 'true' }), false],
      [
        "another release's pod",
        peer('gmart', { ...rewardsPod, 'app.kubernetes.io/instance': 'other' }),
        false,
      ],
      ['a pod in kube-system', peer('kube-system', { 'k8s-app': 'kube-dns' }), false],
    ];
    for (const [what, p, allowed] of cases)
      for (const port of ports)
        expect({ what, port, allowed: admits(policy, p, port) }).toEqual({ what, port, allowed });
    // Nothing reaches another port, not even the scraper.
    expect(admits(policy, peer('monitoring'), 9092)).toBe(false);
  });

  it('all-features values: apiClients labels replace the default, extraFrom adds peers', () => {
    const policy = find(all, 'NetworkPolicy', 'gmart-test-http-ingress')!;
    expect(admits(policy, peer('gmart', { 'app.kubernetes.io/part-of': 'gmart-frontend' }), 8083)).toBe(true);
    expect(admits(policy, peer('gmart', { 'gmart.io/api-client': 'true' }), 8083)).toBe(false);
    expect(admits(policy, peer('ingress-nginx', { app: 'controller' }), 8086)).toBe(true);
    expect(admits(policy, peer('shop', { 'app.kubernetes.io/part-of': 'gmart-frontend' }), 8083)).toBe(false);
  });

  it('can be turned off', async () => {
    const ms = await renderChart(['--set', 'networkPolicy.ingress.enabled=false']);
    expect(ms.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });
});

describe('Kafka mutual TLS', () => {
  it('mounts the client certificate and key from the existing Secret as the files the connection parser reads', () => {
    const targets = workloads(all);
    expect(targets.map((w) => w.kind)).toEqual(expect.arrayContaining(['Deployment', 'StatefulSet', 'Job']));
    for (const w of targets) {
      const spec = podSpec(w);
      const c = spec.containers[0];
      const env = envOf(c);
      expect(KAFKA_CONNECTION_VARIABLES).toEqual(
        expect.arrayContaining(['KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE']),
      );
      expect([env.KAFKA_SSL_CERT_FILE, env.KAFKA_SSL_KEY_FILE]).toEqual([
        '/etc/gmart/kafka-client/user.crt',
        '/etc/gmart/kafka-client/user.key',
      ]);
      for (const file of [env.KAFKA_SSL_CERT_FILE, env.KAFKA_SSL_KEY_FILE, env.KAFKA_SSL_CA_FILE]) {
        const mount = c.volumeMounts.find((m: any) => file.startsWith(`${m.mountPath}/`));
        expect({ file, readOnly: mount?.readOnly }).toEqual({ file, readOnly: true });
        const volume = spec.volumes.find((v: any) => v.name === mount.name);
        const item = volume.secret.items.find((i: any) => `${mount.mountPath}/${i.path}` === file);
        expect({ file, secret: volume.secret.secretName, key: item?.key }).toEqual({
          file,
          secret: file.includes('kafka-client') ? 'gmart-kafka-user-tls' : 'gmart-cluster-ca-cert',
          key: file.split('/').pop(),
        });
      }
    }
  });

  it('renders no client certificate without kafka.tls.enabled or without a Secret', async () => {
    const withoutTls = await renderChart(['--set', 'kafka.tls.clientCert.existingSecret=x']);
    for (const ms of [defaults, withoutTls])
      for (const w of workloads(ms)) {
        const c = podSpec(w).containers[0];
        expect(envOf(c).KAFKA_SSL_CERT_FILE).toBeUndefined();
        expect(JSON.stringify(podSpec(w).volumes ?? [])).not.toContain('kafka-client');
      }
  });

  it('rejects an empty certificate or key name', async () => {
    for (const key of ['certKey', 'keyKey']) {
      const r = await helm(['template', 'gmart-test', CHART_DIR, '--set', `kafka.tls.clientCert.${key}=`]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`/kafka/tls/clientCert/${key}`);
    }
  });
});

describe('Node.js runtime (NODE_OPTIONS, deploy/README.md)', () => {
  /** A Kubernetes memory quantity in MiB. */
  const mib = (q: string | number): number => {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
    if (!m) throw new Error(`unexpected memory quantity ${q}`);
    const scale: Record<string, number> = {
      '': 1 / 2 ** 20,
      Ki: 1 / 1024,
      Mi: 1,
      Gi: 1024,
      Ti: 2 ** 20,
      k: 1e3 / 2 ** 20,
      M: 1e6 / 2 ** 20,
      G: 1e9 / 2 ** 20,
      T: 1e12 / 2 ** 20,
    };
    return Number(m[1]) * scale[m[2] ?? '']!;
  };
  /** The semi-space size a NODE_OPTIONS value gives V8 (the last flag applies), or V8's own cap in a small container. */
  const semiSpaceMiB = (nodeOptions: string | undefined): number => {
    const sizes = [...(nodeOptions ?? '').matchAll(/--max[-_]semi[-_]space[-_]size[= ](\d+)/g)];
    return sizes.length ? Number(sizes[sizes.length - 1]![1]) : 1;
  };
  /**
   * Services whose memory limit leaves less than 128 MiB beside V8's heap cap: the old generation's
   * (a quarter of the limit, at least 256 MiB: Node 22 sizes it from the cgroup limit, measured 256 MiB
   * at 384 and 512 MiB) plus the young generation's, 3 x the semi-space. Below that the kernel's OOM
   * killer, not V8, would end a service whose heap grows to its cap.
   */
  const tightOnMemory = (ms: Manifest[]): string[] =>
    workloads(ms)
      .filter((w) => w.kind !== 'Job')
      .map((w) => {
        const c = podSpec(w).containers[0];
        const limit = mib(c.resources.limits.memory);
        const heapCap = Math.max(256, limit / 4) + 3 * semiSpaceMiB(envOf(c).NODE_OPTIONS);
        return limit - heapCap >= 128
          ? ''
          : `${w.metadata.name}: limit ${limit} MiB, heap cap ${heapCap} MiB`;
      })
      .filter(Boolean);

  it(`every service runs with --max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB} (nodejs.maxSemiSpaceSizeMiB), the topics Job without`, () => {
    const ws = workloads(defaults).filter((w) => w.kind !== 'Job');
    expect(ws.length).toBe(6);
    for (const w of ws)
      expect({
        workload: w.metadata.name,
        NODE_OPTIONS: envOf(podSpec(w).containers[0]).NODE_OPTIONS,
      }).toEqual({
        workload: w.metadata.name,
        NODE_OPTIONS: `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`,
      });
    expect(
      envOf(podSpec(find(defaults, 'Job', 'gmart-test-topics')!).containers[0]).NODE_OPTIONS,
    ).toBeUndefined();
  });

  it("appends nodejs.options and then a service block's env.NODE_OPTIONS, in one variable", async () => {
    const storage = find(all, 'Deployment', 'gmart-test-storage')!;
    expect(envOf(podSpec(storage).containers[0]).NODE_OPTIONS).toBe(
      `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB} --max-old-space-size=320`,
    );
    const ms = await renderChart([
      '--set',
      'nodejs.maxSemiSpaceSizeMiB=16',
      '--set',
      'nodejs.options=--stack-size=2000',
      '--set',
      'services.masking.env.NODE_OPTIONS=--max-semi-space-size=8',
    ]);
    const env = (name: string) => envOf(podSpec(find(ms, 'Deployment', `gmart-test-${name}`)!).containers[0]);
    expect(env('patterns').NODE_OPTIONS).toBe('--max-semi-space-size=16 --stack-size=2000');
    expect(env('masking').NODE_OPTIONS).toBe(
      '--max-semi-space-size=16 --stack-size=2000 --max-semi-space-size=8',
    );
    expect(semiSpaceMiB(env('masking').NODE_OPTIONS)).toBe(8);
    // 0 is rendered, so that the image's entrypoint does not add its own cap (nor a floor: the cap in effect is 0).
    const off = await renderChart(['--set', 'nodejs.maxSemiSpaceSizeMiB=0']);
    for (const w of workloads(off).filter((x) => x.kind !== 'Job'))
      expect(envOf(podSpec(w).containers[0]).NODE_OPTIONS).toBe('--max-semi-space-size=0');
  });

  it('fixes the young generation at its cap by default; nodejs.fixedSemiSpace=false renders GMART_FIXED_SEMI_SPACE=false', async () => {
    const services = (ms: Manifest[]) => workloads(ms).filter((w) => w.kind !== 'Job');
    // The entrypoint adds --min-semi-space-size=<cap> unless the variable is false (docker.test.ts).
    for (const ms of [defaults, all])
      for (const w of services(ms))
        expect(envOf(podSpec(w).containers[0]).GMART_FIXED_SEMI_SPACE).toBeUndefined();
    const resized = await renderChart(['--set', 'nodejs.fixedSemiSpace=false']);
    expect(services(resized).length).toBe(6);
    for (const w of services(resized))
      expect({
        workload: w.metadata.name,
        fixed: envOf(podSpec(w).containers[0]).GMART_FIXED_SEMI_SPACE,
      }).toEqual({
        workload: w.metadata.name,
        fixed: 'false',
      });
    const bad = await helm(['template', 'gmart-test', CHART_DIR, '--set', 'nodejs.fixedSemiSpace=maybe']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('/nodejs/fixedSemiSpace');
  });

  it("runs V8's GC on the main thread by default, stock-analytics with V8's parallel GC; nodejs.singleThreadedGc and services.<name>.singleThreadedGc render GMART_SINGLE_THREADED_GC", async () => {
    const services = (ms: Manifest[]) => workloads(ms).filter((w) => w.kind !== 'Job');
    // The chart renders the variable for every service, so the entrypoint's own per-service default
    // (docker.test.ts) does not decide: true forces --single-threaded-gc, false removes it.
    const gcOf = (ms: Manifest[]) =>
      Object.fromEntries(
        services(ms).map((w) => [w.metadata.name, envOf(podSpec(w).containers[0]).GMART_SINGLE_THREADED_GC]),
      );
    const rendered = (ms: Manifest[], parallel: (workload: string) => boolean) =>
      Object.fromEntries(
        services(ms).map((w) => [w.metadata.name, parallel(w.metadata.name) ? 'false' : 'true']),
      );
    const stockAnalytics = (w: string) => w.endsWith('stock-analytics');
    for (const ms of [defaults, all]) {
      expect(services(ms).length).toBe(6);
      expect(services(ms).filter((w) => stockAnalytics(w.metadata.name)).length).toBe(1);
      expect(gcOf(ms)).toEqual(rendered(ms, stockAnalytics));
    }
    const parallel = await renderChart(['--set', 'nodejs.singleThreadedGc=false']);
    expect(gcOf(parallel)).toEqual(rendered(parallel, () => true));
    for (const w of services(parallel))
      expect(envOf(podSpec(w).containers[0]).GMART_FIXED_SEMI_SPACE).toBeUndefined();
    // A service block's own value wins over nodejs.singleThreadedGc, either way; null falls back to it.
    const back = await renderChart(['--set', 'services.stock-analytics.singleThreadedGc=true']);
    expect(gcOf(back)).toEqual(rendered(back, () => false));
    const unset = await renderChart(['--set', 'services.stock-analytics.singleThreadedGc=null']);
    expect(gcOf(unset)).toEqual(rendered(unset, () => false));
    const mixed = await renderChart([
      '--set',
      'nodejs.singleThreadedGc=false',
      '--set',
      'services.masking.singleThreadedGc=true',
    ]);
    expect(gcOf(mixed)).toEqual(rendered(mixed, (w) => !w.endsWith('masking')));
    // A block's env that sets the variable itself is rendered once, as given.
    const own = await renderChart(['--set', 'services.stock-analytics.env.GMART_SINGLE_THREADED_GC=true']);
    const sa = services(own).find((w) => stockAnalytics(w.metadata.name))!;
    expect(podSpec(sa).containers[0].env!.filter((e) => e.name === 'GMART_SINGLE_THREADED_GC')).toEqual([
      { name: 'GMART_SINGLE_THREADED_GC', value: 'true' },
    ]);
    for (const bad of ['nodejs.singleThreadedGc=maybe', 'services.stock-analytics.singleThreadedGc=maybe']) {
      const r = await helm(['template', 'gmart-test', CHART_DIR, '--set', bad]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`/${bad.split('=')[0].replaceAll('.', '/')}`);
    }
  });

  it('every memory limit leaves room for the young generation beside the old one', async () => {
    for (const ms of [defaults, all]) expect(tightOnMemory(ms)).toEqual([]);
    // Negative control: 64 MiB semi-spaces (a 192 MiB young generation) do not fit the 512 MiB services.
    const bigger = await renderChart(['--set', 'nodejs.maxSemiSpaceSizeMiB=64']);
    expect(tightOnMemory(bigger)).toEqual([
      'gmart-test-masking: limit 512 MiB, heap cap 448 MiB',
      'gmart-test-patterns: limit 512 MiB, heap cap 448 MiB',
      'gmart-test-storage: limit 512 MiB, heap cap 448 MiB',
    ]);
  });

  it('rejects a negative semi-space size', async () => {
    const r = await helm(['template', 'gmart-test', CHART_DIR, '--set', 'nodejs.maxSemiSpaceSizeMiB=-1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('/nodejs/maxSemiSpaceSizeMiB');
  });
});
