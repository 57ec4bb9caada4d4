import * as os from 'node:os';
import { Doc } from '../storage/document-paths';
import { CommandContext, CommandHandler } from './command-context';
import { ServerConstants } from './server-constants';

/** `hello` / `isMaster` / `ismaster`: a standalone, writable server without compression (SCRAM-SHA-256 users when auth is on). */
function hello(command: Doc, ctx: CommandContext): Doc {
  const legacy = !('hello' in command);
  const reply: Doc = {
    ...(command['helloOk'] ? { helloOk: true } : {}),
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: ServerConstants.maxBsonObjectSize,
    maxMessageSizeBytes: ServerConstants.maxMessageSizeBytes,
    maxWriteBatchSize: ServerConstants.maxWriteBatchSize,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: ServerConstants.logicalSessionTimeoutMinutes,
    connectionId: ctx.connectionId,
    minWireVersion: ServerConstants.minWireVersion,
    maxWireVersion: ServerConstants.maxWireVersion,
    readOnly: false,
  };
  // `saslSupportedMechs: "<db>.<user>"`: the mechanisms of that user (none listed for an unknown one).
  const asked = command['saslSupportedMechs'];
  if (typeof asked === 'string' && ctx.auth.users) {
    const dot = asked.indexOf('.');
    if (dot > 0 && ctx.auth.users.credential(asked.slice(0, dot), asked.slice(dot + 1)))
      reply['saslSupportedMechs'] = ['SCRAM-SHA-256'];
  }
  return reply;
}

function buildInfo(): Doc {
  const [major, minor, patch] = ServerConstants.version.split('.').map(Number);
  return {
    version: ServerConstants.version,
    gitVersion: 'embedded-mongo',
    versionArray: [major, minor, patch, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: ServerConstants.maxBsonObjectSize,
    storageEngines: ['embedded-journal'],
    javascriptEngine: 'none',
    modules: [],
    allocator: 'system',
    sysInfo: 'deprecated',
    openssl: { running: 'disabled' },
    buildEnvironment: { target_os: process.platform, target_arch: process.arch },
  };
}

function hostInfo(): Doc {
  return {
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: 64,
      memSizeMB: Math.round(os.totalmem() / 1024 / 1024),
      numCores: os.cpus().length,
      cpuArch: process.arch,
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    extra: {},
  };
}

function getParameter(command: Doc): Doc {
  const reply: Doc = {};
  if (command['featureCompatibilityVersion'] !== undefined || command['getParameter'] === '*') {
    reply['featureCompatibilityVersion'] = {
      version: ServerConstants.version.split('.').slice(0, 2).join('.'),
    };
  }
  return reply;
}

function serverStatus(_command: Doc, ctx: CommandContext): Doc {
  const uptimeMs = Date.now() - ctx.server.startedAt.getTime();
  const mem = process.memoryUsage();
  return {
    host: `${os.hostname()}:${ctx.server.port}`,
    version: ServerConstants.version,
    process: 'embedded-mongo',
    pid: process.pid,
    uptime: Math.floor(uptimeMs / 1000),
    uptimeMillis: uptimeMs,
    localTime: new Date(),
    connections: {
      current: ctx.server.connections(),
      totalCreated: ctx.server.stats.totalConnections,
      rejected: ctx.server.stats.rejectedConnections,
    },
    opcounters: ctx.server.stats.opcounters(),
    mem: {
      bits: 64,
      resident: Math.round(mem.rss / 1024 / 1024),
      virtual: Math.round(mem.rss / 1024 / 1024),
    },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    storageEngine: { name: 'embedded-journal', persistent: true },
  };
}

const noop: CommandHandler = () => ({});

/** Handshake, diagnostics and session commands. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: noop,
  buildInfo,
  buildinfo: buildInfo,
  hostInfo,
  getParameter,
  serverStatus,
  endSessions: noop,
  killAllSessions: noop,
  killSessions: noop,
  refreshSessions: noop,
  whatsmyuri: (_c, ctx) => ({ you: `127.0.0.1:${ctx.connectionId}` }),
  getCmdLineOpts: (_c, ctx) => ({
    argv: process.argv,
    parsed: { net: { port: ctx.server.port }, storage: { dbPath: ctx.server.dataDir } },
  }),
};
