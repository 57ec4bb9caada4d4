/**
 * Every HTTP endpoint of every service, on the real services (the local stack: each service its own
 * process on an embedded broker and MongoDB): each parameter is validated with a 400 whose message
 * names it and what it must be, never echoing the value (a query string may carry a card number,
 * and client errors are logged); a parameter the endpoint does not know is a 400 too; a valid
 * request is not. With `HTTP_HOST=127.0.0.1` every service listens on that address only.
 */
import * as net from 'node:net';
import { tempDir } from '@gmart/test-support';
import { LocalStack } from '@gmart/test-support/local-stack';

jest.setTimeout(300_000);

const NONE = /^unknown query parameter\(s\): x; this endpoint takes none$/;
const CUSTOMER = 'customerId must be 1-64 letters, digits, ".", "_" or "-"';
const SYMBOL = 'symbol must be 1-10 upper-case letters, digits, "." or "-"';
const LOCAL = 'local must be true or false';
const TOP = 'top must be a whole number from 1 to 100';
const INSTANT = (name: string) =>
  `${name} must be epoch milliseconds or an ISO-8601 date or instant (2026-01-31, 2026-01-31T12:00:00Z)`;
const PAN = '4111111111111111';

/** [service, path, expected status, expected message (400s)]. */
type Case = readonly [string, string, number, (string | RegExp)?];

const SERVICES = ['masking', 'patterns', 'rewards', 'storage', 'coupon-join', 'stock-analytics'];

const CASES: Case[] = [
  ...SERVICES.flatMap((s): Case[] => [
    [s, '/health/live', 200],
    [s, '/health/ready', 200],
    [s, '/metrics', 200],
    [s, '/health/live?x=1', 400, NONE],
    [s, '/health/ready?x=1', 400, NONE],
    [s, '/metrics?x=1', 400, NONE],
  ]),
  ['rewards', '/rewards?top=5', 200],
  ['rewards', '/rewards?top=0', 400, TOP],
  ['rewards', '/rewards?top=101', 400, TOP],
  ['rewards', '/rewards?top=1e1', 400, TOP],
  ['rewards', '/rewards?top=0x10', 400, TOP],
  ['rewards', '/rewards?top=', 400, TOP],
  ['rewards', '/rewards?top=5&top=6', 400, 'top must be given once'],
  ['rewards', '/rewards?sort=desc', 400, 'unknown query parameter(s): sort; allowed: top'],
  ['rewards', '/rewards/C-0001', 404],
  ['rewards', '/rewards/C-0001?local=true', 404],
  ['rewards', `/rewards/${encodeURIComponent('bad id!')}`, 400, CUSTOMER],
  ['rewards', `/rewards/${'x'.repeat(65)}`, 400, CUSTOMER],
  ['rewards', '/rewards/C-0001?local=yes', 400, LOCAL],
  ['rewards', '/rewards/C-0001?local=true&local=false', 400, 'local must be given once'],
  ['rewards', '/rewards/C-0001?x=1', 400, 'unknown query parameter(s): x; allowed: local'],
  ['storage', '/purchases/count', 200],
  ['storage', '/purchases/count?x=1', 400, NONE],
  ['storage', '/purchases?pageSize=1&customerId=C-1&from=2026-01-01&to=2026-12-31T00:00:00Z', 200],
  ['storage', '/purchases?pageSize=0', 400, 'pageSize must be a whole number from 1 to 500'],
  ['storage', '/purchases?page=-1', 400, 'page must be a whole number from 1 to 1000000'],
  ['storage', '/purchases?from=yesterday', 400, /^from must be an ISO-8601 date/],
  ['storage', '/purchases?from=2026-02-01&to=2026-01-01', 400, 'from must be before to'],
  ['storage', `/purchases?customerId=${encodeURIComponent('a b')}`, 400, CUSTOMER],
  [
    'storage',
    '/purchases?creditCardNumber=1',
    400,
    /^unknown query parameter\(s\): creditCardNumber; allowed:/,
  ],
  ['coupon-join', '/coupons/C-0001', 404],
  ['coupon-join', '/coupons/C-0001?local=false', 404],
  ['coupon-join', `/coupons/${encodeURIComponent('bad id!')}`, 400, CUSTOMER],
  ['coupon-join', '/coupons/C-0001?local=1', 400, LOCAL],
  ['coupon-join', '/coupons/C-0001?x=1', 400, 'unknown query parameter(s): x; allowed: local'],
  ['stock-analytics', '/stocks/performance', 200],
  ['stock-analytics', '/stocks/performance?top=abc', 400, TOP],
  ['stock-analytics', '/stocks/performance?limit=5', 400, 'unknown query parameter(s): limit; allowed: top'],
  ['stock-analytics', '/stocks/ZZZZ/performance', 404],
  ['stock-analytics', '/stocks/aapl/performance', 400, SYMBOL],
  ['stock-analytics', '/stocks/ZZZZ/performance?local=on', 400, LOCAL],
  ['stock-analytics', '/stocks/ZZZZ/volume', 404],
  ['stock-analytics', `/stocks/${encodeURIComponent('A B')}/volume`, 400, SYMBOL],
  ['stock-analytics', '/stocks/ZZZZ/volume?local=on', 400, LOCAL],
  ['stock-analytics', '/stocks/ZZZZ/volume?x=1', 400, 'unknown query parameter(s): x; allowed: local'],
  ['stock-analytics', '/industries/Nothing%20Here/top', 404],
  ['stock-analytics', `/industries/${encodeURIComponent('<script>')}/top`, 400, /^industry must be/],
  ['stock-analytics', '/industries/Tech/top?local=2', 400, LOCAL],
  ['stock-analytics', '/customers/C-0001/transaction-counts?from=0&to=2026-12-31T00:00:00Z', 404],
  ['stock-analytics', `/customers/${encodeURIComponent('C|1')}/transaction-counts`, 400, CUSTOMER],
  ['stock-analytics', '/customers/C-0001/transaction-counts?from=later', 400, INSTANT('from')],
  ['stock-analytics', '/customers/C-0001/transaction-counts?from=March%207%2C%202026', 400, INSTANT('from')],
  ['stock-analytics', `/customers/C-0001/transaction-counts?to=${PAN}0000`, 400, INSTANT('to')],
  ['stock-analytics', '/customers/C-0001/transaction-counts?from=1&from=2', 400, 'from must be given once'],
  [
    'stock-analytics',
    '/customers/C-0001/transaction-counts?from=5&to=1',
    400,
    'from (5) must not be after to (1)',
  ],
  ['stock-analytics', '/customers/C-0001/transaction-counts?local=no', 400, LOCAL],
  [
    'stock-analytics',
    `/customers/C-0001/transaction-counts?card=${PAN}`,
    400,
    'unknown query parameter(s): card; allowed: from, to, local',
  ],
];

/** Resolves with the connection error code when `host:port` refuses, or 'connected'. */
function connectTo(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

describe('HTTP surfaces of the services', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await LocalStack.start({
      kafkaPort: 0,
      dataDir: tempDir('gmart-http-surfaces'),
      httpPorts: 'ephemeral',
      serviceEnv: { HTTP_HOST: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const urlOf = (name: string) => stack.services.find((s) => s.instance === name)!.url!;

  it('runs every service', () => {
    expect(stack.services.map((s) => s.instance).sort()).toEqual([...SERVICES].sort());
  });

  it('answers each endpoint and rejects each bad parameter with a 400 naming it, never echoing the value', async () => {
    const got: Array<[string, string, number, string?]> = [];
    for (const [service, path, , message] of CASES) {
      const res = await fetch(`${urlOf(service)}${path}`);
      const text = await res.text();
      expect(text).not.toContain(PAN);
      if (res.status === 400) {
        const body = JSON.parse(text) as { message: string; statusCode: number };
        expect(body.statusCode).toBe(400);
        got.push([service, path, res.status, typeof message === 'string' ? body.message : undefined]);
        if (message instanceof RegExp) expect(body.message).toMatch(message);
      } else got.push([service, path, res.status]);
    }
    expect(got).toEqual(
      CASES.map(([service, path, status, message]) =>
        typeof message === 'string'
          ? [service, path, status, message]
          : status === 400
            ? [service, path, 400, undefined]
            : [service, path, status],
      ),
    );
  });

  it('listens on HTTP_HOST only', async () => {
    for (const s of stack.services) {
      const url = new URL(s.url!);
      expect(url.hostname).toBe('127.0.0.1');
      expect(await connectTo('127.0.0.1', Number(url.port))).toBe('connected');
      // Another loopback address of the same machine: nothing listens there.
      expect(await connectTo('127.0.0.2', Number(url.port))).toBe('ECONNREFUSED');
    }
  });
});
