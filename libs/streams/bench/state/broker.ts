import { spawnBrokerProcess } from '@gmart/embedded-kafka/process';

/** The embedded broker in its own process (as a real broker would run), so heap figures are the app's only. */
export async function startChildBroker(): Promise<{ brokers: string[]; stop(): Promise<void> }> {
  const broker = await spawnBrokerProcess([
    '--port',
    '0',
    '--quiet',
    '--group-initial-rebalance-delay-ms',
    '0',
  ]);
  return {
    brokers: broker.bootstrapServers.split(','),
    stop: async () => {
      await broker.stop();
    },
  };
}
