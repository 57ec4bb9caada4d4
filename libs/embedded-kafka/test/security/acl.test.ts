import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  ResourcePatternTypes,
  logLevel,
  type Consumer,
  type Producer,
} from 'kafkajs';
import { EmbeddedKafka } from '../../src';
import { ErrorCode } from '../../src/protocol/error-codes';
import { memoryLogger } from '../helpers/broker';
import { RawClient } from '../helpers/raw-client';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const USERS = { admin: 'admin-pw', app: 'app-pw', reader: 'reader-pw' };

/** What `User:app` and `User:reader` may do; `User:admin` is a super user. */
const RULES = [
  'User:app Read,Write Topic:orders',
  'User:app Describe Topic:visible',
  'User:app Write,Create Topic:out-*',
  'deny User:app Write Topic:out-secret',
  'User:app Read Group:app-group',
  'User:app Describe Group:describe-only',
  'User:app Write TransactionalId:app-tx',
  'User:reader Read Topic:orders',
  'User:reader Read Group:reader-group',
];

type User = keyof typeof USERS;

/** The kafkajs error type (Kafka's error name) of a rejected promise. */
async function errorType(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    const e = err as {
      type?: string;
      cause?: { type?: string };
      errors?: { type?: string }[];
      groups?: { error?: { type?: string } }[];
    };
    return e.type ?? e.cause?.type ?? e.errors?.[0]?.type ?? e.groups?.[0]?.error?.type ?? String(err);
  }
}

describe('ACLs (SASL principals, kafkajs over TCP)', () => {
  let broker: EmbeddedKafka;
  const log = memoryLogger();
  const clients: (Producer | Consumer | { disconnect(): Promise<void> })[] = [];
  const kafka = (user: User) =>
    new Kafka({
      brokers: [broker.bootstrapServers],
      clientId: `acl-${user}`,
      sasl: { mechanism: 'scram-sha-256', username: user, password: USERS[user] },
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 50 },
    });
  const admin = async (user: User) => {
    const a = kafka(user).admin();
    clients.push(a);
    await a.connect();
    return a;
  };
  const producer = async (user: User, options: Parameters<Kafka['producer']>[0] = {}) => {
    const p = kafka(user).producer({ allowAutoTopicCreation: false, ...options });
    clients.push(p);
    await p.connect();
    return p;
  };

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      groupInitialRebalanceDelayMs: 0,
      sasl: { users: USERS },
      acls: { rules: RULES, superUsers: ['User:admin'] },
      logger: log.logger,
    });
    const a = await admin('admin');
    await a.createTopics({
      topics: ['orders', 'secret', 'visible', 'out-1', 'out-secret'].map((topic) => ({ topic })),
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect().catch(() => undefined)));
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('Metadata: all topics hides what the principal may not describe; by name it is TOPIC_AUTHORIZATION_FAILED', async () => {
    const a = await admin('app');
    expect((await a.listTopics()).sort()).toEqual(['orders', 'out-1', 'out-secret', 'visible']);
    expect(await errorType(a.fetchTopicMetadata({ topics: ['secret'] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    // A topic that does not exist is not revealed either.
    expect(await errorType(a.fetchTopicMetadata({ topics: ['no-such-topic'] }))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect((await (await admin('admin')).listTopics()).sort()).toEqual([
      'orders',
      'out-1',
      'out-secret',
      'secret',
      'visible',
    ]);
    expect(log.lines.some((l) => l.includes('Principal = User:app is Denied Operation = Describe'))).toBe(
      true,
    );
  });

  it('Produce: allowed to a topic with WRITE (literal or prefixed), TOPIC_AUTHORIZATION_FAILED otherwise', async () => {
    const p = await producer('app');
    await p.send({ topic: 'orders', messages: [{ key: 'k', value: 'allowed' }] });
    await p.send({ topic: 'out-1', messages: [{ value: 'prefixed' }] });
    // Describe (metadata) allowed, Write not: the Produce request itself is refused.
    expect(await errorType(p.send({ topic: 'visible', messages: [{ value: 'x' }] }))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    // A DENY rule wins over the prefixed ALLOW.
    expect(await errorType(p.send({ topic: 'out-secret', messages: [{ value: 'x' }] }))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    const offsets = await (await admin('admin')).fetchTopicOffsets('visible');
    expect(offsets[0]!.high).toBe('0');
    expect((await (await admin('admin')).fetchTopicOffsets('out-secret'))[0]!.high).toBe('0');
  });

  it('CreateTopics: CREATE on the topic (prefixed) creates it; anything else is TOPIC_AUTHORIZATION_FAILED', async () => {
    const a = await admin('app');
    await a.createTopics({ topics: [{ topic: 'out-new' }] });
    expect(broker.logManager.topic('out-new')).toBeDefined();
    expect(await errorType(a.createTopics({ topics: [{ topic: 'forbidden' }] }))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect(broker.logManager.topic('forbidden')).toBeUndefined();
    // Metadata auto-creation needs CREATE too.
    const p = await producer('app', { allowAutoTopicCreation: true });
    expect(await errorType(p.send({ topic: 'auto-forbidden', messages: [{ value: 'x' }] }))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect(broker.logManager.topic('auto-forbidden')).toBeUndefined();
  });

  it('consumes in a group it may READ from a topic it may READ, and commits its offsets', async () => {
    await (await producer('admin')).send({ topic: 'orders', messages: [{ value: 'for-reader' }] });
    const c = kafka('reader').consumer({ groupId: 'reader-group', sessionTimeout: 6000 });
    clients.push(c);
    await c.connect();
    await c.subscribe({ topic: 'orders', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      c.on(c.events.CRASH, (e) => reject(e.payload.error));
      void c.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString());
          if (seen.includes('for-reader')) resolve();
        },
      });
    });
    await c.stop();
    const committed = await (
      await admin('admin')
    ).fetchOffsets({ groupId: 'reader-group', topics: ['orders'] });
    expect(Number(committed[0]!.partitions[0]!.offset)).toBeGreaterThan(0);
  });

  /** Runs a consumer until it crashes; resolves with the crash's error type. */
  async function crashOf(user: User, groupId: string, topic: string): Promise<string> {
    const c = kafka(user).consumer({ groupId, sessionTimeout: 6000, retry: { retries: 0 } });
    clients.push(c);
    const crashed = new Promise<string>((resolve) =>
      c.on(c.events.CRASH, (e) => {
        const error = e.payload.error as Error & { type?: string };
        resolve(`${error.type ?? error.name}: ${error.message}`);
      }),
    );
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    void c.run({ eachMessage: async () => undefined }).catch(() => undefined);
    return crashed;
  }

  it('groups: GROUP_AUTHORIZATION_FAILED without DESCRIBE (FindCoordinator) or READ (JoinGroup) on the group', async () => {
    // kafkajs reports a refused FindCoordinator as "Failed to find group coordinator"; the codes are
    // checked on the wire below.
    expect(await crashOf('app', 'not-mine', 'orders')).toMatch(/group coordinator/);
    expect(await crashOf('app', 'describe-only', 'orders')).toMatch(/^GROUP_AUTHORIZATION_FAILED/);
    expect(
      log.lines.some((l) => l.includes('Denied Operation = Read on resource = Group:describe-only')),
    ).toBe(true);
  });

  it('Fetch: TOPIC_AUTHORIZATION_FAILED for a topic the principal may describe but not read', async () => {
    expect(await crashOf('app', 'app-group', 'visible')).toMatch(/Topic authorization failed/);
    expect(log.lines.some((l) => l.includes('Denied Operation = Read on resource = Topic:visible'))).toBe(
      true,
    );
  });

  it('transactions: WRITE on the transactional id commits; another id is TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    const p = await producer('app', { transactionalId: 'app-tx', idempotent: true, maxInFlightRequests: 1 });
    const tx = await p.transaction();
    await tx.send({ topic: 'out-1', messages: [{ value: 'in a transaction' }] });
    await tx.commit();
    const other = kafka('app').producer({
      transactionalId: 'other-tx',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    clients.push(other);
    await other.connect();
    // kafkajs hides FindCoordinator's TRANSACTIONAL_ID_AUTHORIZATION_FAILED (checked on the wire below).
    expect(await errorType(other.transaction())).toMatch(/coordinator/);
  });

  it('idempotent producer: WRITE on some topic suffices (KIP-679); without it CLUSTER_AUTHORIZATION_FAILED', async () => {
    const ok = await producer('app', { idempotent: true, maxInFlightRequests: 1 });
    await ok.send({ topic: 'orders', messages: [{ value: 'idempotent' }] });
    const reader = kafka('reader').producer({ idempotent: true, maxInFlightRequests: 1 });
    clients.push(reader);
    expect(await errorType(reader.connect())).toBe('CLUSTER_AUTHORIZATION_FAILED');
  });

  it('admin: deleting a topic or a group needs DELETE; describing broker configs needs the cluster', async () => {
    const a = await admin('app');
    expect(await errorType(a.deleteTopics({ topics: ['orders'] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(broker.logManager.topic('orders')).toBeDefined();
    expect(await errorType(a.deleteGroups(['app-group']))).toBe('GROUP_AUTHORIZATION_FAILED');
    expect(
      await errorType(a.describeConfigs({ resources: [{ type: 4, name: '1' }], includeSynonyms: false })),
    ).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(ErrorCode.CLUSTER_AUTHORIZATION_FAILED).toBe(31);
  });

  it('DescribeAcls lists the rules (MATCH filter); CreateAcls adds one at run time; both need the cluster', async () => {
    const root = await admin('admin');
    const matching = await root.describeAcls({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'out-1',
      resourcePatternType: ResourcePatternTypes.MATCH,
      principal: 'User:app',
      host: '*',
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    expect(matching.resources).toEqual([
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'out-',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        acls: [
          {
            principal: 'User:app',
            host: '*',
            operation: AclOperationTypes.WRITE,
            permissionType: AclPermissionTypes.ALLOW,
          },
          {
            principal: 'User:app',
            host: '*',
            operation: AclOperationTypes.CREATE,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      },
    ]);
    await root.createTopics({ topics: [{ topic: 'granted-later' }] });
    const reader = await producer('reader', { idempotent: false });
    expect(await errorType(reader.send({ topic: 'granted-later', messages: [{ value: 'x' }] }))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    await root.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'granted-later',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:reader',
          host: '*',
          operation: AclOperationTypes.WRITE,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    });
    const granted = await producer('reader', { idempotent: false });
    await granted.send({ topic: 'granted-later', messages: [{ value: 'now allowed' }] });
    const app = await admin('app');
    expect(
      await errorType(
        app.createAcls({
          acl: [
            {
              resourceType: AclResourceTypes.TOPIC,
              resourceName: 'secret',
              resourcePatternType: ResourcePatternTypes.LITERAL,
              principal: 'User:app',
              host: '*',
              operation: AclOperationTypes.READ,
              permissionType: AclPermissionTypes.ALLOW,
            },
          ],
        }),
      ),
    ).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(
      await errorType(
        app.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        }),
      ),
    ).toBe('CLUSTER_AUTHORIZATION_FAILED');
  });

  describe('on the wire (exact error codes, SASL/PLAIN as User:app)', () => {
    let c: RawClient;
    beforeEach(async () => {
      c = await RawClient.connect(broker.bootstrapServers);
      await c.request(17, 1, (e) => e.writeString('PLAIN'));
      const auth = await c.request(36, 0, (e) => e.writeBytes(Buffer.from('\u0000app\u0000app-pw')));
      expect(auth.readInt16()).toBe(0);
    });
    afterEach(() => c.close());

    /** FindCoordinator v1 -> error code. */
    const findCoordinator = async (key: string, keyType: number) => {
      const d = await c.request(10, 1, (e) => e.writeString(key).writeInt8(keyType));
      d.readInt32();
      return d.readInt16();
    };

    it('FindCoordinator: GROUP_AUTHORIZATION_FAILED (30) / TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) without DESCRIBE', async () => {
      expect(await findCoordinator('app-group', 0)).toBe(0);
      expect(await findCoordinator('not-mine', 0)).toBe(30);
      expect(await findCoordinator('app-tx', 1)).toBe(0);
      expect(await findCoordinator('other-tx', 1)).toBe(53);
    });

    it('JoinGroup: GROUP_AUTHORIZATION_FAILED (30) with DESCRIBE but not READ on the group', async () => {
      const d = await c.request(11, 0, (e) =>
        e
          .writeString('describe-only')
          .writeInt32(10000)
          .writeString('')
          .writeString('consumer')
          .writeArray([{ name: 'range', metadata: Buffer.alloc(0) }], (_, p) =>
            e.writeString(p.name).writeBytes(p.metadata),
          ),
      );
      expect(d.readInt16()).toBe(30);
    });

    it('OffsetCommit: GROUP_AUTHORIZATION_FAILED (30) per partition without READ on the group, else 29 per denied topic', async () => {
      /** OffsetCommit v2 of partition 0 of each topic -> [topic, error code]. */
      const commit = async (groupId: string, topics: string[]) => {
        const d = await c.request(8, 2, (e) =>
          e
            .writeString(groupId)
            .writeInt32(-1)
            .writeString('')
            .writeInt64(-1)
            .writeArray(topics, (_, t) =>
              e.writeString(t).writeArray([0], () => e.writeInt32(0).writeInt64(1).writeNullableString(null)),
            ),
        );
        return d.readArray(() => {
          const name = d.readString();
          const [code] = d.readArray(() => (d.readInt32(), d.readInt16()));
          return [name, code];
        });
      };
      expect(await commit('describe-only', ['orders'])).toEqual([['orders', 30]]);
      expect(await commit('app-group', ['orders', 'visible'])).toEqual(
        expect.arrayContaining([
          ['orders', 0],
          ['visible', 29],
        ]),
      );
    });

    it('InitProducerId: 53 for a transactional id without WRITE; idempotent 0 (WRITE on some topic)', async () => {
      const init = async (transactionalId: string | null) => {
        const d = await c.request(22, 0, (e) => e.writeNullableString(transactionalId).writeInt32(60000));
        d.readInt32();
        return d.readInt16();
      };
      expect(await init('other-tx')).toBe(53);
      expect(await init('app-tx')).toBe(0);
      expect(await init(null)).toBe(0);
    });
  });
});
