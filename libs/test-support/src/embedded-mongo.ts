import { EmbeddedMongo, type EmbeddedMongoOptions, MongoLoggers } from '@gmart/embedded-mongo';
import { retryOnAddressInUse, type AddressInUseRetry } from './address-in-use';

/**
 * Starts a silent embedded MongoDB on a free port (or `port`: restarting on a remembered port
 * retries while it is in use) with a temp data dir (or `dataDir`, to restart on the same data).
 */
export function startMongo(
  dataDir?: string,
  port = 0,
  options: Omit<EmbeddedMongoOptions, 'port' | 'dataDir'> & { addressInUse?: AddressInUseRetry } = {},
): Promise<EmbeddedMongo> {
  const { addressInUse, ...mongoOptions } = options;
  const start = () =>
    EmbeddedMongo.start({
      logger: MongoLoggers.silent(),
      ...mongoOptions,
      port,
      ...(dataDir ? { dataDir } : {}),
    });
  return port ? retryOnAddressInUse(start, addressInUse) : start();
}
