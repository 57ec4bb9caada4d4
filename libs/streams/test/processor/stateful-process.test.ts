import { Consumed, KeyValueStore, Produced, Serdes, Stores, StreamsBuilder } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { CountingProcessor } from '../helpers/counting-processor';

const S = Serdes.String();

describe('KStream.process with a state store (runtime side of the store contract)', () => {
  it('builds the store per task, connects it, logs changes to <applicationId>-<store>-changelog', async () => {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), S, Serdes.Integer()));
    b.stream('in', Consumed.with(S, S))
      .process(() => new CountingProcessor('counts'), 'counts')
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'cnt' });
    const input = d.createInputTopic('in', S, S);
    for (const k of ['a', 'b', 'a', 'a']) input.pipeInput(k, 'x');
    expect(d.createOutputTopic('out', S, S).readValuesToList()).toEqual(['1', '1', '2', '3']);
    const changelog = d.createOutputTopic('cnt-counts-changelog', S, Serdes.Integer()).readKeyValuesToList();
    expect(changelog.map((kv) => `${kv.key}=${kv.value}`)).toEqual(['a=1', 'b=1', 'a=2', 'a=3']);
    expect(d.getStateStore<KeyValueStore<string, number>>('counts')!.get('a')).toBe(3);
    await d.close();
  });
});
