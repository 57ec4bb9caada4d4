import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { PARALLEL_GC_SERVICES, SERVICE_MAX_SEMI_SPACE_MIB, parseTopicsFile } from '../src';
import { COMPOSE_FILE, DEPLOY_DIR, PROMETHEUS_DIR, REPO_ROOT, TOPICS_FILE } from './support/paths';
import { SERVICES, isKnownVariable } from './support/service-contract';

const raw = fs.readFileSync(COMPOSE_FILE, 'utf8');
/** Compose resolves YAML merge keys (`<<: *anchor`), so parse with them on. */
const compose: any = parse(raw, { merge: true });
const services: Record<string, any> = compose.services;

/** Validator for the vendored Compose specification schema (deploy/compose/schema/compose-spec.json). */
function composeValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The spec names its meta-schema "https://json-schema.org/draft-07/schema" (no '#'): register draft-07 under that id.
  const draft07 = JSON.parse(
    fs.readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8'),
  );
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(
    JSON.parse(fs.readFileSync(path.join(DEPLOY_DIR, 'compose/schema/compose-spec.json'), 'utf8')),
  );
}

/** Environment a compose service ends up with: its env_file(s) (in order), then `environment`. */
function environmentOf(svc: any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const f of svc.env_file ?? []) {
    const file = path.join(REPO_ROOT, typeof f === 'string' ? f : f.path);
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  }
  for (const [k, v] of Object.entries(svc.environment ?? {})) env[k] = String(v);
  return env;
}

const containerPorts = (svc: any): number[] =>
  (svc.ports ?? []).map((p: any) => Number(String(p).split(':').pop()!.split('/')[0]));

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification JSON schema', () => {
    const validate = composeValidator();
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check rejects invalid compose files (negative control)', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose);
    broken.services.masking.depends_on['topic-init'].condition = 'service_done';
    broken.services.patterns.restart_policy = 'always';
    expect(validate(broken)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('\n');
    expect(messages).toContain(
      '/services/masking/depends_on/topic-init/condition must be equal to one of the allowed values',
    );
    expect(messages).toContain('/services/patterns must NOT have additional properties');
  });

  it('runs Kafka in KRaft mode with a host listener, an internal listener and a healthcheck', () => {
    const kafka = services.kafka;
    // Apache Kafka 4.x, the current line (KRaft only).
    expect(kafka.image).toMatch(/^apache\/kafka:4\.\d+\.\d+$/);
    const env = kafka.environment;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toContain('EXTERNAL://localhost:9092');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toContain('INTERNAL://kafka:19092');
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    // KRaft storage formatting needs a cluster id that is a base64url-encoded 16-byte UUID
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(env.CLUSTER_ID, 'base64url').length).toBe(16);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    expect(kafka.ports).toContain('9092:9092');
    expect(kafka.healthcheck.test.join(' ')).toContain(
      'kafka-broker-api-versions.sh --bootstrap-server localhost:19092',
    );
  });

  it('creates the topics of deploy/topics.yaml before any service or the generator starts', () => {
    const init = services['topic-init'];
    expect(init.command.slice(0, 3)).toEqual(['create-topics', '--file', '/etc/gmart/topics.yaml']);
    expect(init.volumes).toContain('./deploy/topics.yaml:/etc/gmart/topics.yaml:ro');
    expect(init.depends_on.kafka.condition).toBe('service_healthy');
    expect(init.restart).toBe('no');
    for (const name of [...SERVICES.map((s) => s.name), 'generator']) {
      expect({ name, condition: services[name].depends_on?.['topic-init']?.condition }).toEqual({
        name,
        condition: 'service_completed_successfully',
      });
    }
  });

  it('every G-Mart service is present with its port, its environment and a restricted, read-only container', () => {
    const topicNames = parseTopicsFile(fs.readFileSync(TOPICS_FILE, 'utf8'), TOPICS_FILE).map((t) => t.name);
    for (const s of SERVICES) {
      const svc = services[s.name];
      expect({ name: s.name, present: svc !== undefined }).toEqual({ name: s.name, present: true });
      expect(svc.command).toEqual([s.name]);
      expect(svc.image).toBe('gmart:local');
      expect(svc.build.dockerfile).toBe('Dockerfile');
      expect(containerPorts(svc)).toEqual([s.port]);
      expect(svc.profiles ?? []).toEqual(s.current ? [] : ['later']);
      const env = environmentOf(svc);
      for (const name of Object.keys(env)) {
        expect({
          service: s.name,
          variable: name,
          known: isKnownVariable(s, name) || name.startsWith('MONGO_INITDB_'),
        }).toEqual({
          service: s.name,
          variable: name,
          known: true,
        });
      }
      for (const name of s.required)
        expect({ service: s.name, variable: name, set: Boolean(env[name]) }).toEqual({
          service: s.name,
          variable: name,
          set: true,
        });
      expect(env.HTTP_PORT).toBe(String(s.port));
      expect(env.HTTP_HOST).toBe('0.0.0.0');
      expect(env.APPLICATION_ID).toBe(`gmart-${s.name}`);
      expect(env.KAFKA_BROKERS).toBe('kafka:19092');
      // The Node.js runtime the services are deployed with (deploy/README.md, Node.js runtime).
      expect({ service: s.name, NODE_OPTIONS: env.NODE_OPTIONS }).toEqual({
        service: s.name,
        NODE_OPTIONS: `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MIB}`,
      });
      // V8's GC: the entrypoint's --single-threaded-gc, except stock-analytics (PARALLEL_GC_SERVICES), which
      // says so here too (the entrypoint's own default for it, docker.test.ts).
      expect({ service: s.name, gc: env.GMART_SINGLE_THREADED_GC }).toEqual({
        service: s.name,
        gc: PARALLEL_GC_SERVICES.has(s.name) ? 'false' : undefined,
      });
      expect({ service: s.name, guarantee: env.PROCESSING_GUARANTEE }).toEqual({
        service: s.name,
        guarantee: s.processingGuarantee,
      });
      expect(topicNames).toContain(env.DLQ_TOPIC);
      for (const [k, v] of Object.entries(s.topics)) expect(env[k]).toBe(v);
      // restricted container, state only on a volume
      expect(svc.read_only).toBe(true);
      expect(svc.cap_drop).toEqual(['ALL']);
      expect(svc.security_opt).toContain('no-new-privileges:true');
      expect(svc.user).toBe('10001:10001');
      expect(svc.tmpfs).toContain('/tmp');
      if (s.stateful) {
        expect(env.STATE_DIR).toBe('/var/lib/gmart/state');
        expect(svc.volumes.some((v: string) => v.endsWith(':/var/lib/gmart/state'))).toBe(true);
        expect(compose.volumes).toHaveProperty(svc.volumes[0].split(':')[0]);
      }
      // stop_grace_period above SHUTDOWN_TIMEOUT_MS
      expect(Number.parseInt(svc.stop_grace_period, 10) * 1000).toBeGreaterThan(
        Number(env.SHUTDOWN_TIMEOUT_MS),
      );
    }
  });

  it('MongoDB takes its credentials from the env file that storage also reads', () => {
    const example = path.join(DEPLOY_DIR, 'compose/mongo.env.example');
    expect(services.mongo.env_file[0].path).toBe('deploy/compose/mongo.env.example');
    expect(services.mongo.env_file[1]).toEqual({ path: 'deploy/compose/mongo.env', required: false });
    const mongoEnv = environmentOf(services.mongo);
    const storageEnv = environmentOf(services.storage);
    expect(mongoEnv.MONGO_INITDB_ROOT_USERNAME).toBeTruthy();
    expect(mongoEnv.MONGO_INITDB_ROOT_PASSWORD).toBeTruthy();
    const uri = new URL(storageEnv.MONGODB_URI);
    expect(decodeURIComponent(uri.username)).toBe(mongoEnv.MONGO_INITDB_ROOT_USERNAME);
    expect(decodeURIComponent(uri.password)).toBe(mongoEnv.MONGO_INITDB_ROOT_PASSWORD);
    expect(uri.host).toBe('mongo:27017');
    expect(fs.existsSync(example)).toBe(true);
    expect(raw).not.toContain(mongoEnv.MONGO_INITDB_ROOT_PASSWORD);
    expect(services.storage.depends_on.mongo.condition).toBe('service_healthy');
  });

  it('the generator writes raw purchases into the transactions topic', () => {
    const g = services.generator;
    expect(g.command).toEqual([
      'generate',
      '--rate',
      '500',
      '--brokers',
      'kafka:19092',
      '--topic',
      'transactions',
    ]);
  });

  it('every Prometheus scrape target is a compose service listening on that port', () => {
    const prom = parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8'));
    const targets: string[] = [];
    for (const job of prom.scrape_configs) {
      for (const sc of job.static_configs ?? []) targets.push(...sc.targets);
      for (const dns of job.dns_sd_configs ?? [])
        targets.push(...dns.names.map((n: string) => `${n}:${dns.port}`));
    }
    expect(targets.length).toBeGreaterThanOrEqual(8);
    for (const t of targets) {
      const [host, port] = t.split(':');
      if (host === 'localhost') continue; // Prometheus itself
      const svc = services[host];
      expect({ target: t, service: svc !== undefined }).toEqual({ target: t, service: true });
      const listens = [
        ...containerPorts(svc),
        ...(svc.expose ?? []).map(Number),
        Number(environmentOf(svc).HTTP_PORT),
      ];
      expect({ target: t, listens: listens.includes(Number(port)) }).toEqual({ target: t, listens: true });
    }
    // every G-Mart service is scraped
    for (const s of SERVICES) expect(targets).toContain(`${s.name}:${s.port}`);
    expect(targets).toContain('kafka-exporter:9308');
  });

  it('Prometheus and Grafana mount the deploy/ files that exist', () => {
    const mounts = [...services.prometheus.volumes, ...services.grafana.volumes].filter((v: string) =>
      v.startsWith('./'),
    );
    expect(mounts.length).toBe(4);
    for (const m of mounts) expect(fs.existsSync(path.join(REPO_ROOT, m.split(':')[0]))).toBe(true);
    expect(services.prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(services['kafka-exporter'].image).toMatch(/^danielqsj\/kafka-exporter:/);
    expect(services['kafka-exporter'].command).toContain('--kafka.server=kafka:19092');
    // Kafka 4 serves only request versions from Kafka 2.1 on (KIP-896): the exporter must speak >= 2.1.
    const level = services['kafka-exporter'].command
      .find((a: string) => a.startsWith('--kafka.version='))
      ?.split('=')[1]
      ?.split('.')
      .map(Number);
    expect(level).toBeDefined();
    expect(level![0]! * 100 + level![1]!).toBeGreaterThanOrEqual(201);
    const ds = parse(
      fs.readFileSync(path.join(DEPLOY_DIR, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    );
    expect(ds.datasources[0]).toMatchObject({
      type: 'prometheus',
      url: 'http://prometheus:9090',
      isDefault: true,
    });
    const dash = parse(
      fs.readFileSync(path.join(DEPLOY_DIR, 'grafana/provisioning/dashboards/gmart.yml'), 'utf8'),
    );
    expect(services.grafana.volumes).toContain(
      `./deploy/grafana/dashboards:${dash.providers[0].options.path}:ro`,
    );
  });
});
