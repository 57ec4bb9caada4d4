import { compressSync as snappyBlock } from 'snappy';
import { COMPRESSION_CODECS } from '../../src/client/compression/compression-codecs';

const plain = Buffer.from(Array.from({ length: 2000 }, (_, i) => `record-${i % 37};`).join(''));

describe('record-batch compression codecs', () => {
  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)(
    '%s round-trips and shrinks repetitive data',
    async (name) => {
      const codec = COMPRESSION_CODECS[name];
      const packed = await codec.compress(plain);
      expect(packed.length).toBeLessThan(plain.length / 2);
      expect((await codec.decompress(packed)).equals(plain)).toBe(true);
    },
  );

  it('lz4 writes the LZ4 frame format (magic 0x184D2204), as Kafka does', async () => {
    const packed = await COMPRESSION_CODECS.lz4.compress(plain);
    expect(packed.readUInt32LE(0)).toBe(0x184d2204);
  });

  it('snappy reads the xerial framing that Java producers write (chunks of length + raw block)', async () => {
    const header = Buffer.concat([
      Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]),
      Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
    ]);
    const chunks = [plain.subarray(0, 700), plain.subarray(700)].map((c) => {
      const block = snappyBlock(c);
      const len = Buffer.alloc(4);
      len.writeInt32BE(block.length);
      return Buffer.concat([len, block]);
    });
    const framed = Buffer.concat([header, ...chunks]);
    expect((await COMPRESSION_CODECS.snappy.decompress(framed)).equals(plain)).toBe(true);
    // A chunk length running past the end is an error, not a short result.
    await expect(COMPRESSION_CODECS.snappy.decompress(framed.subarray(0, framed.length - 3))).rejects.toThrow(
      /overruns/,
    );
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('%s rejects garbage', async (name) => {
    await expect(
      COMPRESSION_CODECS[name].decompress(Buffer.from('garbage that is no codec frame')),
    ).rejects.toThrow();
  });
});
