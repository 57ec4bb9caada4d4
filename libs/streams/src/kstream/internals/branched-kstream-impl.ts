import { BranchedKStream } from '../branched-kstream';
import { Branched } from '../branched';
import { KStream, Predicate } from '../kstream';
import { KStreamBranch } from './kstream-branch';
import type { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import { KStreamPassThrough } from './kstream-passthrough';

/** `split()`: one branch processor, one pass-through child per branch (Kafka Streams' `BranchedKStreamImpl`). */
export class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
  private readonly predicates: Predicate<K, V>[] = [];
  private readonly childNames: string[] = [];
  private readonly result: Record<string, KStream<K, V>> = {};
  private done = false;

  /** `newBranch` makes the stream of a branch node (a `KStreamImpl` with the source's serdes). */
  constructor(
    private readonly builder: InternalTopologyBuilder,
    sourceName: string,
    private readonly splitterName: string,
    private readonly newBranch: (childName: string) => KStream<K, V>,
  ) {
    builder.addProcessor(splitterName, new KStreamBranch(this.predicates, this.childNames), sourceName);
  }

  branch(predicate: Predicate<K, V>, branched?: Branched<K, V>): BranchedKStream<K, V> {
    if (typeof predicate !== 'function') throw new Error('split().branch: predicate must be a function');
    this.add(predicate, branched, String(this.predicates.length + 1));
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Record<string, KStream<K, V>> {
    this.add(() => true, branched, '0');
    return this.finish();
  }

  noDefaultBranch(): Record<string, KStream<K, V>> {
    return this.finish();
  }

  private add(predicate: Predicate<K, V>, branched: Branched<K, V> | undefined, index: string): void {
    if (this.done) throw new Error('split(): no branch can be added after defaultBranch()/noDefaultBranch()');
    const childName = this.splitterName + (branched?.name ?? index);
    this.builder.addProcessor(childName, new KStreamPassThrough(), this.splitterName);
    this.predicates.push(predicate);
    this.childNames.push(childName);
    const stream = this.newBranch(childName);
    if (branched?.fn) {
      const out = branched.fn(stream);
      if (out) this.result[childName] = out;
    } else {
      this.result[childName] = stream;
    }
  }

  private finish(): Record<string, KStream<K, V>> {
    this.done = true;
    return this.result;
  }
}
