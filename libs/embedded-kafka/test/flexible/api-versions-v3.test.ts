/**
 * ApiVersions v3/v4 (KIP-511) over TCP with exactly chosen bytes: request
 * header v2, the response header stays v0 (no tagged fields after the
 * correlation id), compact body; client software name/version validated.
 */
import { EmbeddedKafka } from '../../src';
import { ErrorCode } from '../../src/protocol/error-codes';
import type { Decoder } from '../../src/protocol/decoder';
import { RawClient } from '../helpers/raw-client';

const readV3 = (d: Decoder) => {
  const errorCode = d.readInt16();
  const apiKeys = d.readCompactArray((x) => {
    const k = { apiKey: x.readInt16(), min: x.readInt16(), max: x.readInt16() };
    expect(x.readTaggedFields().size).toBe(0);
    return k;
  });
  const throttleTimeMs = d.readInt32();
  d.readTaggedFields();
  return { errorCode, apiKeys, throttleTimeMs, rest: d.remaining() };
};

describe('ApiVersions v3/v4', () => {
  let broker: EmbeddedKafka;
  const warnings: string[] = [];

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it.each([3, 4])(
    'v%i answers with a v0 response header and a compact list that matches v2',
    async (version) => {
      const client = await RawClient.connect(broker.bootstrapServers);
      try {
        const v2 = await client.request(18, 2, () => {});
        v2.readInt16();
        const v2keys = v2.readArray((x) => ({
          apiKey: x.readInt16(),
          min: x.readInt16(),
          max: x.readInt16(),
        }));
        const res = readV3(
          await client.request(
            18,
            version,
            (e) => e.writeCompactString('gmart-test').writeCompactString('1.0.0').writeTaggedFields(),
            { flexible: true },
          ),
        );
        expect(res).toEqual({ errorCode: ErrorCode.NONE, apiKeys: v2keys, throttleTimeMs: 0, rest: 0 });
        expect(res.apiKeys.find((k) => k.apiKey === 18)).toEqual({ apiKey: 18, min: 0, max: 4 });
      } finally {
        client.close();
      }
    },
  );

  it('refuses an invalid client software name with INVALID_REQUEST and keeps the connection', async () => {
    const client = await RawClient.connect(broker.bootstrapServers);
    try {
      const bad = readV3(
        await client.request(
          18,
          3,
          (e) => e.writeCompactString('-bad name-').writeCompactString('1').writeTaggedFields(),
          { flexible: true },
        ),
      );
      expect(bad.errorCode).toBe(ErrorCode.INVALID_REQUEST);
      expect(bad.apiKeys).toEqual([]);
      const ok = await client.request(18, 0, () => {});
      expect(ok.readInt16()).toBe(ErrorCode.NONE);
    } finally {
      client.close();
    }
  });

  it('closes only the connection whose flexible header or body is truncated', async () => {
    const bad = await RawClient.connect(broker.bootstrapServers);
    // header v2 with a tag buffer claiming one field, then nothing
    const reply = bad.request(18, 3, (e) => e.writeUnsignedVarInt(1), {}).catch((err: Error) => err.message);
    await bad.closed;
    expect(await reply).toMatch(/closed before response/);
    expect(warnings.some((w) => /malformed ApiVersions v3 request/.test(w))).toBe(true);
    const good = await RawClient.connect(broker.bootstrapServers);
    try {
      const d = await good.request(
        18,
        3,
        (e) => e.writeCompactString('a').writeCompactString('1').writeTaggedFields(),
        {
          flexible: true,
        },
      );
      expect(readV3(d).errorCode).toBe(ErrorCode.NONE);
    } finally {
      good.close();
    }
  });
});
