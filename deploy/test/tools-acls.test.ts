/**
 * The command-line tools that take Kafka connection settings (`create-topics`, `npm run generate`,
 * `npm run generate:stocks`, `npm run consumer-groups`), each as its own process and principal
 * holding exactly its ACL block of deploy/README.md, against the embedded broker with SASL/SCRAM
 * over TLS (the CA from a file, as the chart mounts it) and ACLs on: each does its job and the
 * broker denies it nothing; a wrong password or an untrusted broker certificate makes each exit 1
 * naming the cause, never a password.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type SecuredBroker,
  aclBlockOf,
  expectRefusedAtStart,
  startSecuredBroker,
  tempDir,
} from '@gmart/test-support';
import { DEPLOY_DIR, REPO_ROOT } from './support/paths';

jest.setTimeout(180_000);

const README = path.join(DEPLOY_DIR, 'README.md');

/** The tools, their entry files and the arguments of a run that does their job. */
const TOOLS = {
  'create-topics': 'deploy/src/cli/create-topics.ts',
  generator: 'libs/gmart/src/cli/generate.ts',
  'stock-generator': 'libs/gmart/src/cli/generate-stocks.ts',
  'gmart-ops': 'deploy/src/cli/consumer-groups.ts',
} as const;

type Principal = keyof typeof TOOLS;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool as `principal` with the connection variables `env` and nothing else of this process'. */
function run(principal: Principal, args: readonly string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', TOOLS[principal], ...args],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the tools with exactly the deploy/README.md ACLs (SASL/SCRAM over TLS, ACLs on)', () => {
  let secured: SecuredBroker;
  const dir = tempDir('tools-acls');
  const topicsFile = path.join(dir, 'topics.yaml');
  /** Each tool's arguments for a run that does its job. */
  const jobs: Record<Principal, string[]> = {
    'create-topics': ['--file', topicsFile],
    generator: ['--count', '25', '--rate', '100000', '--partitions', '1'],
    'stock-generator': ['--count', '20', '--rate', '100000', '--partitions', '1', '--clients', '3'],
    'gmart-ops': ['--list'],
  };
  const asPrincipal = (principal: Principal, env: Record<string, string>, args = jobs[principal]) =>
    run(
      principal,
      principal === 'gmart-ops' ? [...args, '--bootstrap-server', env.KAFKA_BROKERS!] : args,
      env,
    );

  beforeAll(async () => {
    writeFileSync(
      topicsFile,
      [
        'defaults:',
        '  partitions: 1',
        'topics:',
        ...['transactions', 'stock-transactions', 'stock-ticker-stream'].map((t) => `  - name: ${t}`),
        ...['stock-ticker-table', 'companies', 'clients'].map(
          (t) => `  - name: ${t}\n    configs:\n      cleanup.policy: compact`,
        ),
      ].join('\n'),
    );
    secured = await startSecuredBroker({
      users: Object.fromEntries(Object.keys(TOOLS).map((p) => [p, `${p}-Secret-31d9`])),
      acls: [
        ...aclBlockOf(README, 'ACLs of `create-topics`'),
        ...aclBlockOf(README, 'ACLs of the generators'),
        ...aclBlockOf(README, 'ACLs of `consumer-groups`'),
      ],
    });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  /** Asserts the run succeeded, then that the broker denied the principal nothing and no password was printed. */
  function expectClean(principal: Principal, result: Run): void {
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(secured.denials(principal)).toEqual([]);
    for (const password of secured.passwords) expect(result.stdout + result.stderr).not.toContain(password);
  }

  it('create-topics creates the topics, and finds them present the second time', async () => {
    const first = await asPrincipal('create-topics', secured.env('create-topics'));
    expectClean('create-topics', first);
    expect(first.stdout).toContain('create-topics: 6 created, 0 already present');
    const admin = secured.admin.admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => !t.startsWith('__')).sort()).toEqual([
        'clients',
        'companies',
        'stock-ticker-stream',
        'stock-ticker-table',
        'stock-transactions',
        'transactions',
      ]);
    } finally {
      await admin.disconnect();
    }
    const second = await asPrincipal('create-topics', secured.env('create-topics'));
    expectClean('create-topics', second);
    expect(second.stdout).toContain('create-topics: 0 created, 6 already present');
  });

  it('the generators write their topics', async () => {
    const purchases = await asPrincipal('generator', secured.env('generator'));
    expectClean('generator', purchases);
    expect(JSON.parse(purchases.stdout)).toMatchObject({ topic: 'transactions', sent: 25 });
    const stocks = await asPrincipal('stock-generator', secured.env('stock-generator'));
    expectClean('stock-generator', stocks);
    expect(JSON.parse(stocks.stdout)).toMatchObject({ topic: 'stock-transactions', sent: 20 });
    const admin = secured.admin.admin();
    await admin.connect();
    try {
      const high = async (topic: string) => Number((await admin.fetchTopicOffsets(topic))[0]!.high);
      expect(await high('transactions')).toBe(25);
      expect(await high('stock-transactions')).toBe(20);
      expect(await high('clients')).toBe(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('consumer-groups lists the groups it may describe and describes one', async () => {
    const admin = secured.admin.admin();
    await admin.connect();
    try {
      for (const groupId of ['gmart-tools', 'other-team'])
        await admin.setOffsets({
          groupId,
          topic: 'transactions',
          partitions: [{ partition: 0, offset: '10' }],
        });
    } finally {
      await admin.disconnect();
    }
    const list = await asPrincipal('gmart-ops', secured.env('gmart-ops'));
    expectClean('gmart-ops', list);
    expect(list.stdout.split('\n').filter(Boolean)).toEqual(['gmart-tools']);
    const describe = await asPrincipal('gmart-ops', secured.env('gmart-ops'), [
      '--describe',
      '--group',
      'gmart-tools',
    ]);
    expectClean('gmart-ops', describe);
    const row = describe.stdout.split('\n').find((l) => l.startsWith('gmart-tools '));
    expect(row?.split(/\s+/).slice(0, 6)).toEqual(['gmart-tools', 'transactions', '0', '10', '25', '15']);
  });

  it('each exits 1 on a wrong password or an untrusted broker certificate, naming the cause', async () => {
    // The tools side by side: most of each run is the client's connection retries, not CPU.
    const codes = await Promise.all(
      (Object.keys(TOOLS) as Principal[]).map(async (principal) => {
        const exits: (number | null)[] = [];
        await expectRefusedAtStart(secured, principal, async (env) => {
          const args =
            principal === 'create-topics' ? [...jobs[principal], '--timeout-ms', '0'] : jobs[principal];
          const result = await asPrincipal(principal, env, args);
          exits.push(result.code);
          if (result.code !== 0) throw new Error(result.stdout + result.stderr);
        });
        return [principal, exits];
      }),
    );
    expect(Object.fromEntries(codes)).toEqual(Object.fromEntries(Object.keys(TOOLS).map((p) => [p, [1, 1]])));
  });
});
