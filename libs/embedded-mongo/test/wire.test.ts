import * as net from 'node:net';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../src';
import { crc32c } from '../src/internals/wire/crc32c';
import { recordingLogger } from './helpers';

const OP_MSG = 2013;
const OP_QUERY = 2004;

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(
  requestId: number,
  body: object,
  opts: { flags?: number; sequence?: [string, object[]]; checksum?: 'good' | 'bad' } = {},
): Buffer {
  let flags = opts.flags ?? 0;
  if (opts.checksum) flags |= 1;
  const parts: Buffer[] = [];
  const f = Buffer.alloc(4);
  f.writeUInt32LE(flags >>> 0, 0);
  parts.push(f, Buffer.from([0]), Buffer.from(BSON.serialize(body)));
  if (opts.sequence) {
    const [id, docs] = opts.sequence;
    const payload = Buffer.concat([
      Buffer.from(id + '\0'),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const rest = Buffer.concat(parts);
  const withoutSum = Buffer.concat([
    header(16 + rest.length + (opts.checksum ? 4 : 0), requestId, OP_MSG),
    rest,
  ]);
  if (!opts.checksum) return withoutSum;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(opts.checksum === 'good' ? crc32c(withoutSum) : (crc32c(withoutSum) ^ 1) >>> 0, 0);
  return Buffer.concat([withoutSum, sum]);
}

function opQuery(requestId: number, ns: string, query: object): Buffer {
  const rest = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from(ns + '\0'),
    Buffer.alloc(4),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
    Buffer.from(BSON.serialize(query)),
  ]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_QUERY), rest]);
}

/** A raw client: collects whole reply frames and notices when the server closes. */
class RawClient {
  private buf = Buffer.alloc(0);
  readonly replies: Buffer[] = [];
  closed = false;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= this.buf.readInt32LE(0)) {
        const len = this.buf.readInt32LE(0);
        this.replies.push(this.buf.subarray(0, len));
        this.buf = this.buf.subarray(len);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  async until(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error('timed out waiting on the raw socket');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  /** The reply document of an OP_MSG reply frame, with its responseTo. */
  static msgReply(frame: Buffer): { responseTo: number; opCode: number; doc: Record<string, unknown> } {
    const opCode = frame.readInt32LE(12);
    const docAt = opCode === OP_MSG ? 21 : 36;
    return { responseTo: frame.readInt32LE(8), opCode, doc: BSON.deserialize(frame.subarray(docAt)) };
  }

  end(): void {
    this.socket.destroy();
  }
}

describe('wire protocol over a raw socket', () => {
  const logger = recordingLogger();
  let mongo: EmbeddedMongo;

  beforeAll(async () => {
    mongo = await EmbeddedMongo.start({ port: 0, logger });
  });

  afterAll(async () => {
    await mongo?.stop();
  });

  it('echoes the request id, verifies checksums and accepts kind-1 document sequences', async () => {
    const c = await RawClient.connect(mongo.port);
    c.socket.write(opMsg(4242, { ping: 1, $db: 'admin' }, { checksum: 'good' }));
    await c.until(() => c.replies.length === 1);
    expect(RawClient.msgReply(c.replies[0])).toMatchObject({
      responseTo: 4242,
      opCode: OP_MSG,
      doc: { ok: 1 },
    });
    c.socket.write(
      opMsg(
        7,
        { insert: 'seq', $db: 'wire' },
        {
          sequence: [
            'documents',
            [
              { _id: 1, a: 'x' },
              { _id: 2, a: 'y' },
            ],
          ],
        },
      ),
    );
    await c.until(() => c.replies.length === 2);
    expect(RawClient.msgReply(c.replies[1])).toMatchObject({ responseTo: 7, doc: { n: 2, ok: 1 } });
    // moreToCome: no reply is sent, but the write happens
    c.socket.write(
      opMsg(8, { insert: 'seq', $db: 'wire' }, { flags: 2, sequence: ['documents', [{ _id: 3 }]] }),
    );
    c.socket.write(opMsg(9, { count: 'seq', $db: 'wire' }));
    await c.until(() => c.replies.length === 3);
    expect(RawClient.msgReply(c.replies[2])).toMatchObject({ responseTo: 9, doc: { n: 3, ok: 1 } });
    c.end();
  });

  it('answers a legacy OP_QUERY isMaster with an OP_REPLY', async () => {
    const c = await RawClient.connect(mongo.port);
    c.socket.write(opQuery(55, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    await c.until(() => c.replies.length === 1);
    const reply = RawClient.msgReply(c.replies[0]);
    expect(reply).toMatchObject({ responseTo: 55, opCode: 1, doc: { ismaster: true, helloOk: true, ok: 1 } });
    c.socket.write(opQuery(56, 'admin.$cmd', { listDatabases: 1 }));
    await c.until(() => c.replies.length === 2);
    expect(RawClient.msgReply(c.replies[1])).toMatchObject({ responseTo: 56, doc: { ok: 0, code: 352 } });
    c.end();
  });

  it('reassembles messages split across TCP segments', async () => {
    const c = await RawClient.connect(mongo.port);
    const frame = Buffer.concat([opMsg(1, { ping: 1, $db: 'admin' }), opMsg(2, { ping: 1, $db: 'admin' })]);
    for (let i = 0; i < frame.length; i += 7) {
      c.socket.write(frame.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    await c.until(() => c.replies.length === 2);
    expect(c.replies.map((r) => RawClient.msgReply(r).responseTo)).toEqual([1, 2]);
    c.end();
  });

  const bad: Array<[string, () => Buffer, RegExp]> = [
    ['a length below the header size', () => Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), /message length 4/],
    ['a length above maxMessageSizeBytes', () => header(0x7fffffff, 1, OP_MSG), /message length 2147483647/],
    [
      'an unknown opcode',
      () => Buffer.concat([header(20, 1, 9999), Buffer.alloc(4)]),
      /unsupported opCode 9999/,
    ],
    [
      'OP_COMPRESSED',
      () => Buffer.concat([header(25, 1, 2012), Buffer.alloc(9)]),
      /OP_COMPRESSED is not supported/,
    ],
    [
      'a checksum mismatch',
      () => opMsg(1, { ping: 1, $db: 'admin' }, { checksum: 'bad' }),
      /checksum mismatch/,
    ],
    [
      'invalid BSON in the body',
      () => {
        const f = opMsg(1, { ping: 1, $db: 'admin' });
        f.writeInt32LE(1000, 21); // document length overruns the message
        return f;
      },
      /overruns the message/,
    ],
    [
      'a BSON element of an unknown type',
      () => {
        const f = opMsg(1, { a: 1, $db: 'admin' });
        expect(f[25]).toBe(0x10); // the int32 element 'a' of the body
        f[25] = 0x20;
        return f;
      },
      /invalid BSON/,
    ],
    [
      'an unknown section kind',
      () => {
        const f = opMsg(1, { ping: 1, $db: 'admin' });
        f[20] = 7;
        return f;
      },
      /unknown section kind 7/,
    ],
    [
      'an unknown required flag bit',
      () => opMsg(1, { ping: 1, $db: 'admin' }, { flags: 1 << 5 }),
      /unknown required flag bits/,
    ],
  ];

  it.each(bad)(
    'closes the connection on %s, logs why, and keeps serving others',
    async (_name, frame, reason) => {
      const before = logger.lines.length;
      const c = await RawClient.connect(mongo.port);
      c.socket.write(frame());
      await c.until(() => c.closed);
      expect(c.replies).toHaveLength(0);
      expect(logger.lines.slice(before).join('\n')).toMatch(reason);
      const client = await MongoClient.connect(mongo.uri, { serverSelectionTimeoutMS: 10_000 });
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      } finally {
        await client.close();
      }
    },
  );

  it('survives a stream of random and mutated frames', async () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const valid = opMsg(1, { insert: 'fuzz', documents: [{ a: 1, b: 'x', c: [1, 2] }], $db: 'fuzz' });
    for (let round = 0; round < 40; round++) {
      const frame = Buffer.from(valid);
      // keep the length field (so the frame is delivered whole) and flip bytes after it
      for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) {
        const at = 4 + Math.floor(rand() * (frame.length - 4));
        frame[at] = Math.floor(rand() * 256);
      }
      const c = await RawClient.connect(mongo.port);
      c.socket.write(frame);
      c.socket.write(opMsg(2, { ping: 1, $db: 'admin' }));
      // either both frames are answered, or the connection is closed; never a hang or a crash
      await c.until(() => c.closed || c.replies.some((r) => RawClient.msgReply(r).responseTo === 2));
      c.end();
    }
    const client = await MongoClient.connect(mongo.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('answers an OP_MSG without $db with an error instead of crashing', async () => {
    const c = await RawClient.connect(mongo.port);
    c.socket.write(opMsg(3, { find: 'x' }));
    await c.until(() => c.replies.length === 1);
    expect(RawClient.msgReply(c.replies[0]).doc).toMatchObject({ ok: 0, code: 40571 });
    c.end();
  });
});
