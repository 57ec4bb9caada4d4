import { Module } from '@nestjs/common';
import { Writable } from 'node:stream';
import { NestStreamsError, bootstrapStreamsService, defineServiceConfig } from '../src';

@Module({})
class ModuleWithoutTopology {}

const silent = new Writable({ write: (_c, _e, cb) => cb() });

describe('bootstrapStreamsService', () => {
  it('refuses a module that provides no STREAMS_TOPOLOGY, naming it', async () => {
    const error = await bootstrapStreamsService({
      module: ModuleWithoutTopology,
      config: defineServiceConfig({ service: 'empty' }),
      env: { KAFKA_BROKERS: '127.0.0.1:9', HTTP_PORT: '0' },
      handleSignals: false,
      logDestination: silent,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NestStreamsError);
    expect((error as Error).message).toMatch(
      /module ModuleWithoutTopology must provide STREAMS_TOPOLOGY .* service "empty"/,
    );
  });

  it('stops before creating anything when the configuration is invalid', async () => {
    await expect(
      bootstrapStreamsService({
        module: ModuleWithoutTopology,
        config: defineServiceConfig({ service: 'empty' }),
        env: { HTTP_PORT: 'eighty' },
        handleSignals: false,
        logDestination: silent,
      }),
    ).rejects.toThrow(
      /KAFKA_BROKERS: is required[\s\S]*HTTP_PORT: must be a whole number between 0 and 65535/,
    );
  });
});
