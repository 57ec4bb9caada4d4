import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type INestApplication, Module, type Type } from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import type { DestinationStream, Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { ServiceConfigDefinition } from '../config/define-service-config';
import type { StreamsServiceConfig } from '../config/service-config';
import type { Redactor } from '@gmart/streams';
import { ClientErrorFilter } from '../http/client-error-filter';
import { ConfigError } from '../errors/config-error';
import { NestStreamsError } from '../errors/nest-streams-error';
import { STREAMS_TOPOLOGY } from '../module/tokens';
import { PinoNestLogger } from '../logging/pino-nest-logger';
import { createServiceLogger, errorFields } from '../logging/service-logger';
import { streamsLoggerFor } from '../logging/streams-logger-adapter';
import { createServiceRegistry } from '../metrics/service-registry';
import { StreamsCoreModule } from '../module/streams-core.module';
import { kafkaStreamsRuntime } from '../runtime/kafka-streams-runtime';
import type { StreamsRuntimeFactory } from '../runtime/streams-runtime-factory';
import { StreamsClientRef } from '../runtime/streams-client-ref';
import { StreamsStatus } from '../runtime/streams-status';
import type { StreamsTopologyProvider } from '../topology/streams-topology-provider';
import { StreamsTransport } from '../transport/streams-transport';

/** Options of {@link bootstrapStreamsService}. */
export interface StreamsServiceOptions<TTopic extends string, TExtra extends Record<string, z.ZodType>> {
  /** The service's Nest module; it must provide `STREAMS_TOPOLOGY`. */
  readonly module: Type<unknown>;
  /** The service's configuration definition (its `*.config.ts`). */
  readonly config: ServiceConfigDefinition<TTopic, TExtra>;
  /**
   * Builds the streams client from the topology. Default: `kafkaStreamsRuntime()`, a
   * `@gmart/streams` `KafkaStreams` configured from the environment.
   */
  readonly runtimeFactory?: StreamsRuntimeFactory<
    ReturnType<ServiceConfigDefinition<TTopic, TExtra>['load']>
  >;
  /** Environment to read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where log lines go (default stdout). */
  readonly logDestination?: DestinationStream;
  /**
   * Install SIGTERM/SIGINT handling (Nest's `enableShutdownHooks`, plus a hard exit after
   * `SHUTDOWN_TIMEOUT_MS`). Default true; tests running several services in one process pass false.
   */
  readonly handleSignals?: boolean;
  /** Interface the HTTP server binds (default: `HTTP_HOST`, itself `0.0.0.0` by default). */
  readonly host?: string;
  /**
   * Masks sensitive content (e.g. card numbers) in every log line the service writes and in every
   * log line and dead-letter record of the streams library (`StreamsConfig.redactor`). G-Mart's
   * services pass `@gmart/gmart`'s `cardNumberRedactor`. Default: none.
   */
  readonly redactor?: Redactor;
}

/** A started service. */
export interface StreamsService<TConfig = StreamsServiceConfig> {
  readonly app: INestApplication;
  readonly config: TConfig;
  readonly transport: StreamsTransport;
  readonly status: StreamsStatus;
  /** The streams client, once the transport created it (what `StreamsClientRef` injects). */
  readonly streams: StreamsClientRef;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Base URL of the HTTP server (`http://127.0.0.1:8081`). */
  readonly url: string;
  /** Closes HTTP and streams (what SIGTERM does). */
  close(): Promise<void>;
}

/**
 * Starts a streams service in one call: loads and validates its configuration (a
 * {@link ConfigError} names every bad variable), sets up JSON logging, the metrics registry,
 * `/metrics` and `/health/*`, runs the topology from the module's `STREAMS_TOPOLOGY` provider in
 * a {@link StreamsTransport}, and closes everything on SIGTERM within `SHUTDOWN_TIMEOUT_MS`.
 *
 * The HTTP server listens before streams start, so `/health/live` answers during startup while
 * `/health/ready` says 503 until the streams state is RUNNING.
 */
export async function bootstrapStreamsService<
  TTopic extends string,
  TExtra extends Record<string, z.ZodType>,
>(
  options: StreamsServiceOptions<TTopic, TExtra>,
): Promise<StreamsService<ReturnType<ServiceConfigDefinition<TTopic, TExtra>['load']>>> {
  const config = options.config.load(options.env ?? process.env);
  const logger = createServiceLogger({
    service: config.service,
    level: config.logLevel,
    destination: options.logDestination,
    ...(options.redactor ? { redactText: (t: string) => options.redactor!.redactText(t) } : {}),
  });
  const status = new StreamsStatus();
  const registry = createServiceRegistry(config.service, status);
  const client = new StreamsClientRef();

  @Module({
    imports: [StreamsCoreModule.forRoot({ config, registry, status, logger, client }), options.module],
  })
  class StreamsServiceRootModule {}

  const app = await NestFactory.create(StreamsServiceRootModule, {
    logger: new PinoNestLogger(logger),
    forceCloseConnections: true,
    abortOnError: false,
  });
  let provider: StreamsTopologyProvider;
  try {
    provider = app.get<StreamsTopologyProvider>(STREAMS_TOPOLOGY, { strict: false });
  } catch (err) {
    await app.close();
    throw new NestStreamsError(
      `module ${options.module.name} must provide STREAMS_TOPOLOGY (a StreamsTopologyProvider) for service "${config.service}"`,
      { cause: err },
    );
  }
  const runtimeFactory = options.runtimeFactory ?? kafkaStreamsRuntime();
  // Leave a margin for the HTTP server and the process itself within SHUTDOWN_TIMEOUT_MS.
  const streamsCloseTimeoutMs = Math.floor(config.shutdownTimeoutMs * 0.9);
  const transport = new StreamsTransport({
    // Called once the HTTP server listens, so the port it got is known for applicationServer.
    createRuntime: async () => {
      const applicationServer = config.interactiveQueries
        ? (config.applicationServer ?? `${advertisedHost()}:${boundPort()}`)
        : undefined;
      const runtime = await runtimeFactory({
        topology: await provider.buildTopology(),
        config,
        registry,
        logger: noteErrors,
        ...(options.redactor ? { redactor: options.redactor } : {}),
        ...(applicationServer !== undefined ? { applicationServer } : {}),
      });
      client.set(runtime, applicationServer);
      return runtime;
    },
    status,
    shutdownTimeoutMs: streamsCloseTimeoutMs,
    logger,
  });
  const boundPort = () => (app.getHttpServer().address() as AddressInfo).port;
  /** The bound host, or 127.0.0.1 when the server listens on every interface. */
  const advertisedHost = () => {
    const bound = options.host ?? config.httpHost;
    return bound !== '0.0.0.0' && bound !== '::' ? bound : '127.0.0.1';
  };
  // Express' X-Powered-By advertises the stack for nothing.
  (app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
  app.useGlobalFilters(new ClientErrorFilter(logger, app.getHttpAdapter() as AbstractHttpAdapter));
  const streamsLogger = streamsLoggerFor(logger);
  const noteErrors: typeof streamsLogger = {
    ...streamsLogger,
    error: (message, fields) => {
      // The streams library has redacted the line already (when a redactor is set).
      const err = fields?.error;
      status.noteError(err instanceof Error ? `${message}: ${err.name}: ${err.message}` : message);
      streamsLogger.error(message, fields);
    },
  };
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });

  if (options.handleSignals ?? true) {
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    const hardStop = (signal: NodeJS.Signals) => {
      logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
      setTimeout(() => {
        logger.fatal({ timeoutMs: config.shutdownTimeoutMs }, 'graceful shutdown timed out; exiting');
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    };
    process.once('SIGTERM', hardStop);
    process.once('SIGINT', hardStop);
  }

  try {
    await app.listen(config.httpPort, options.host ?? config.httpHost);
    await app.startAllMicroservices();
  } catch (err) {
    logger.error({ err }, 'service failed to start');
    await app.close().catch(() => undefined);
    throw err;
  }
  const host = advertisedHost();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort()}`;
  logger.info({ url, applicationId: config.applicationId, topics: config.topics }, 'service started');
  return {
    app,
    config,
    transport,
    status,
    streams: client,
    registry,
    logger,
    url,
    close: () => app.close(),
  };
}

/**
 * `main.ts` entry: {@link bootstrapStreamsService}, and on failure one fatal JSON line on stderr
 * (naming the bad variables for a configuration error) and exit code 1. An uncaught exception or
 * unhandled rejection later on ends the process the same way, and so does a failure of the running
 * service ({@link StreamsStatus.failure}: the streams client reached `ERROR`, or a required
 * dependency stayed unreachable past its budget): the line names the cause and the exit code is 1,
 * so Compose's restart policy or Kubernetes restarts the service.
 */
export async function runStreamsService<TTopic extends string, TExtra extends Record<string, z.ZodType>>(
  options: StreamsServiceOptions<TTopic, TExtra>,
): Promise<void> {
  const redact = (t: string) => options.redactor?.redactText(t) ?? t;
  const fatal = (msg: string, extra: Record<string, unknown>): never => {
    const line = {
      level: 'fatal',
      time: new Date().toISOString(),
      service: options.config.service,
      pid: process.pid,
      msg,
      ...extra,
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  };
  // Anything escaping the service ends it with one structured, redacted line instead of a raw stack.
  process.once('uncaughtException', (err) => fatal('uncaught exception', { err: errorFields(err, redact) }));
  process.once('unhandledRejection', (err) =>
    fatal('unhandled promise rejection', { err: errorFields(err, redact) }),
  );
  try {
    const service = await bootstrapStreamsService(options);
    const exitOn = (cause: string) =>
      fatal(`service failed: ${redact(cause)}; exiting`, { cause: redact(cause) });
    const now = service.status.failure;
    if (now !== undefined) exitOn(now);
    service.status.onFailure(exitOn);
  } catch (err) {
    if (err instanceof ConfigError) fatal(err.message, { variables: err.variables });
    fatal(`service failed to start: ${redact(err instanceof Error ? err.message : String(err))}`, {
      err: errorFields(err, redact),
    });
  }
}
