import { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { Serde } from '../../serialization/serde';
import { KStreamFilter } from './kstream-filter';
import { NAMES } from './kstream-impl';

/** Kafka Streams' suffix of repartition topics. */
export const REPARTITION_TOPIC_SUFFIX = '-repartition';

/**
 * Adds a repartition topic after `parentName` as Kafka Streams' `KStreamImpl.createRepartitionedSource`
 * does: topic `<prefix>-repartition` (decorated with the application id at run time), a null-key
 * filter, a sink and a source. Three node indices are always burnt; the nodes take the generated
 * names when the prefix is itself generated (`KSTREAM...-0000000003`), else `<topic>-filter/-sink/-source`.
 * Returns the source's name.
 */
export function createRepartitionedSource(
  builder: InternalTopologyBuilder,
  parentName: string,
  prefix: string,
  keySerde: Serde<unknown> | undefined,
  valueSerde: Serde<unknown> | undefined,
): string {
  const topic = prefix.endsWith(REPARTITION_TOPIC_SUFFIX) ? prefix : `${prefix}${REPARTITION_TOPIC_SUFFIX}`;
  const genSink = builder.newName(NAMES.SINK);
  const genFilter = builder.newName(NAMES.FILTER);
  const genSource = builder.newName(NAMES.SOURCE);
  const generated = /^KSTREAM.*-[0-9]{10}$/.test(prefix);
  const sink = generated ? genSink : `${topic}-sink`;
  const filter = generated ? genFilter : `${topic}-filter`;
  const source = generated ? genSource : `${topic}-source`;
  builder.addInternalTopic(topic, 'repartition');
  builder.addProcessor(
    filter,
    new KStreamFilter<unknown, unknown>((k) => k !== null && k !== undefined, false),
    parentName,
  );
  builder.addSink(
    { name: sink, topic, keySerializer: keySerde?.serializer(), valueSerializer: valueSerde?.serializer() },
    filter,
  );
  builder.addSource({
    name: source,
    topics: [topic],
    keyDeserializer: keySerde?.deserializer(),
    valueDeserializer: valueSerde?.deserializer(),
  });
  return source;
}
