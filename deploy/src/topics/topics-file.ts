import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { TopicsConfigError } from '../errors/deploy-error';
import type { TopicSpec } from './topic-spec';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const CLEANUP_POLICIES = new Set(['delete', 'compact', 'compact,delete', 'delete,compact']);

const configValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const configs = z
  .record(z.string().regex(/^[a-z0-9.]+$/, 'config names are lower-case dotted Kafka keys'), configValue)
  .superRefine((c, ctx) => {
    const policy = c['cleanup.policy'];
    if (policy !== undefined && !CLEANUP_POLICIES.has(policy)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cleanup.policy'],
        message: `must be delete, compact or compact,delete (got "${policy}")`,
      });
    }
  });
const partitions = z.number().int().min(1, 'partitions must be >= 1');
const replicationFactor = z
  .number()
  .int()
  .refine((n) => n === -1 || n >= 1, 'replicationFactor must be >= 1, or -1 for the broker default');

const topicEntry = z
  .object({
    name: z
      .string()
      .regex(TOPIC_NAME, 'topic names use letters, digits, ".", "_" and "-" (1-249 characters)')
      .refine((n) => n !== '.' && n !== '..', 'topic name cannot be "." or ".."'),
    partitions: partitions.optional(),
    replicationFactor: replicationFactor.optional(),
    configs: configs.optional(),
  })
  .strict();

const topicsFile = z
  .object({
    defaults: z
      .object({
        partitions: partitions.optional(),
        replicationFactor: replicationFactor.optional(),
        configs: configs.optional(),
      })
      .strict()
      .optional(),
    topics: z.array(topicEntry).min(1, 'at least one topic is required'),
  })
  .strict();

/** Parsed content of a topics file before defaults are applied (also the shape of Helm's `topics.extra`). */
export type TopicsFile = z.input<typeof topicsFile>;

/**
 * Parses a topics file (YAML: `defaults` and `topics`, see `deploy/topics.yaml`) into topic specs,
 * applying the defaults. Throws {@link TopicsConfigError} naming the source and the offending field.
 *
 * @param text - the YAML text
 * @param source - a name for error messages (usually the file path)
 */
export function parseTopicsFile(text: string, source: string): TopicSpec[] {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new TopicsConfigError(`${source}: not valid YAML: ${(err as Error).message}`, err);
  }
  const result = topicsFile.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    throw new TopicsConfigError(`${source}: invalid topics file: ${issues.join('; ')}`);
  }
  const { defaults = {}, topics } = result.data;
  const seen = new Set<string>();
  return topics.map((t, index) => {
    if (seen.has(t.name))
      throw new TopicsConfigError(`${source}: topics.${index}.name: duplicate topic "${t.name}"`);
    seen.add(t.name);
    return {
      name: t.name,
      partitions: t.partitions ?? defaults.partitions ?? 1,
      replicationFactor: t.replicationFactor ?? defaults.replicationFactor ?? -1,
      configs: { ...(defaults.configs ?? {}), ...(t.configs ?? {}) },
    };
  });
}

/** Reads and parses a topics file from disk; see {@link parseTopicsFile}. */
export function loadTopicsFile(file: string): TopicSpec[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TopicsConfigError(`${file}: cannot read topics file: ${(err as Error).message}`, err);
  }
  return parseTopicsFile(text, file);
}

/**
 * Merges topic lists from several files; a later file may not redefine a topic of an earlier one
 * differently (the error names both).
 */
export function mergeTopicSpecs(lists: readonly (readonly TopicSpec[])[]): TopicSpec[] {
  const byName = new Map<string, TopicSpec>();
  for (const list of lists) {
    for (const spec of list) {
      const prior = byName.get(spec.name);
      if (prior && JSON.stringify(prior) !== JSON.stringify(spec)) {
        throw new TopicsConfigError(`topic "${spec.name}" is defined twice with different settings`);
      }
      byName.set(spec.name, spec);
    }
  }
  return [...byName.values()];
}
