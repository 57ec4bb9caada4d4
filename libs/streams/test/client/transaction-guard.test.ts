import { TransactionGuard } from '../../src/client/transaction-guard';
import { ProducerFencedError } from '../../src/errors/producer-fenced-error';
import { StreamsError } from '../../src/errors/streams-error';

/** The open-transaction guard both client adapters use. */
describe('TransactionGuard', () => {
  const fencedError = Object.assign(new Error('fenced by a newer producer'), { type: 'PRODUCER_FENCED' });

  it('refuses calls outside a transaction, naming the call and the transactional id', () => {
    const guard = new TransactionGuard<string>('app-1-0', 'fencing');
    expect(() => guard.current('send')).toThrow(
      new StreamsError('send outside a transaction of producer app-1-0'),
    );
    guard.begin('tx');
    expect(guard.current('send')).toBe('tx');
    expect(guard.take()).toBe('tx');
    expect(guard.take()).toBeUndefined();
  });

  it.each(['fencing', 'any-error'] as const)(
    'turns a fencing error into ProducerFencedError (cause kept) and forgets the transaction (%s)',
    (forgetOn) => {
      const guard = new TransactionGuard<string>('app-1-0', forgetOn);
      guard.begin('tx');
      let thrown: unknown;
      try {
        guard.fenced('commit')(fencedError);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ProducerFencedError);
      expect((thrown as Error).message).toBe('transactional producer app-1-0 was fenced (commit)');
      expect((thrown as Error).cause).toBe(fencedError);
      expect(guard.take()).toBeUndefined();
    },
  );

  it('rethrows any other error as it is, forgetting the transaction only with any-error', () => {
    const other = new Error('broker not available');
    const keeps = new TransactionGuard<string>('t', 'fencing');
    const forgets = new TransactionGuard<string>('t', 'any-error');
    keeps.begin('a');
    forgets.begin('b');
    expect(() => keeps.fenced('send')(other)).toThrow(other);
    expect(() => forgets.fenced('send')(other)).toThrow(other);
    expect(keeps.take()).toBe('a');
    expect(forgets.take()).toBeUndefined();
  });
});
