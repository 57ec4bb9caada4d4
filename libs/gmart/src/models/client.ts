import { z } from 'zod';
import { requiredText } from './fields';

/** Schema of a {@link Client} (same in memory and in JSON). */
export const ClientSchema = z.object({
  customerId: requiredText(64),
  name: requiredText(200),
});

/** A trading client, keyed by customer id on the compacted `clients` topic (read as a GlobalKTable). */
export type Client = z.infer<typeof ClientSchema>;
