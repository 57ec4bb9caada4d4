import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './repo-root';

/** One G-Mart service the local stack can run. */
export interface ServiceDefinition {
  /** Service name (`masking`), as in its `service` label. */
  readonly name: string;
  /** Its `src/main.ts`, absolute. */
  readonly main: string;
  /** Its default `HTTP_PORT`. */
  readonly httpPort: number;
  /** Needs `MONGODB_URI`. */
  readonly needsMongo: boolean;
}

const ALL: readonly ServiceDefinition[] = [
  {
    name: 'masking',
    main: path.join(REPO_ROOT, 'apps/masking/src/main.ts'),
    httpPort: 8081,
    needsMongo: false,
  },
  {
    name: 'patterns',
    main: path.join(REPO_ROOT, 'apps/patterns/src/main.ts'),
    httpPort: 8082,
    needsMongo: false,
  },
  {
    name: 'rewards',
    main: path.join(REPO_ROOT, 'apps/rewards/src/main.ts'),
    httpPort: 8083,
    needsMongo: false,
  },
  {
    name: 'storage',
    main: path.join(REPO_ROOT, 'apps/storage/src/main.ts'),
    httpPort: 8084,
    needsMongo: true,
  },
  {
    name: 'coupon-join',
    main: path.join(REPO_ROOT, 'apps/coupon-join/src/main.ts'),
    httpPort: 8085,
    needsMongo: false,
  },
  {
    name: 'stock-analytics',
    main: path.join(REPO_ROOT, 'apps/stock-analytics/src/main.ts'),
    httpPort: 8086,
    needsMongo: false,
  },
];

/** The services whose `src/main.ts` exists in this checkout (storage joins once it has one). */
export function availableServices(): ServiceDefinition[] {
  return ALL.filter((s) => fs.existsSync(s.main));
}

/** A service by name; throws naming the known ones. */
export function serviceNamed(name: string): ServiceDefinition {
  const s = ALL.find((d) => d.name === name);
  if (!s) throw new Error(`unknown service "${name}"; known: ${ALL.map((d) => d.name).join(', ')}`);
  return s;
}
