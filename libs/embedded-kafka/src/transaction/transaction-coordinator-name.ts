/** Name under which the transaction coordinator is registered (`services.extension(TRANSACTION_COORDINATOR_EXTENSION)`). */
export const TRANSACTION_COORDINATOR_EXTENSION = 'transaction-coordinator';
