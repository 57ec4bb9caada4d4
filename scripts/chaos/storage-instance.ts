import type { Purchase } from '@gmart/gmart';
import { purchaseId } from '@gmart/storage';
import type { ChaosEnv } from './chaos-env';

/** Topics, database and environment of one storage application run by a scenario under the prefix `p`. */
export interface StorageSetup {
  readonly applicationId: string;
  readonly input: string;
  readonly database: string;
  readonly env: Record<string, string>;
}

/** Creates the masked-purchases input and the DLQ, and names a database of its own (recorded for the PAN scan). */
export async function setUpStorage(env: ChaosEnv, p: string, partitions: number): Promise<StorageSetup> {
  const s = { applicationId: `${p}-storage`, input: `${p}-purchases`, database: p.replace(/-/g, '_') };
  await env.createTopics([
    { topic: s.input, numPartitions: partitions },
    { topic: `${s.applicationId}-dlq` },
  ]);
  env.databases.add(s.database);
  return {
    ...s,
    env: { APPLICATION_ID: s.applicationId, TOPIC_PURCHASES: s.input, MONGODB_DATABASE: s.database },
  };
}

/** `_id`s the storage service gives the purchases it keeps (price over 5.00), as its README states. */
export function expectedPurchaseIds(purchases: readonly Purchase[]): string[] {
  return purchases.filter((p) => p.price > 5).map((p) => purchaseId({ value: p } as never, null) as string);
}
