/** One registered listener, linked into its {@link ListenerList}. */
interface ListenerNode {
  readonly fn: () => void;
  /** Order of addition: {@link ListenerList.fire} calls only nodes added before it started. */
  readonly seq: number;
  prev: ListenerNode | undefined;
  next: ListenerNode | undefined;
  removed: boolean;
}

/**
 * Callbacks to run on an event (an append to a partition, a broker shutdown), kept in a doubly
 * linked list: adding and removing a listener allocate nothing beyond its node and its remover,
 * where a `Set` grows and shrinks its hash table as long-polling Fetches come and go (garbage that
 * lives as long as the waits and so reaches the old generation).
 *
 * {@link fire} calls the listeners in the order they were added. A listener may remove itself or
 * any other listener while they run (a removed listener not yet reached is not called); listeners
 * added while they run are not called until the next {@link fire}.
 */
export class ListenerList {
  private head: ListenerNode | undefined;
  private tail: ListenerNode | undefined;
  private count = 0;
  private nextSeq = 0;

  /** Listeners registered now. */
  get size(): number {
    return this.count;
  }

  /** Adds `fn`; returns a function removing it (calling that again does nothing). */
  add(fn: () => void): () => void {
    const node: ListenerNode = { fn, seq: this.nextSeq++, prev: this.tail, next: undefined, removed: false };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.count++;
    return () => this.remove(node);
  }

  /** Calls every listener registered when it starts (see the class comment). */
  fire(): void {
    const end = this.nextSeq;
    for (let n = this.head; n !== undefined && n.seq < end; n = n.next) if (!n.removed) n.fn();
  }

  /** Removes every listener. */
  clear(): void {
    for (let n = this.head; n !== undefined; n = n.next) n.removed = true;
    this.head = undefined;
    this.tail = undefined;
    this.count = 0;
  }

  private remove(node: ListenerNode): void {
    if (node.removed) return;
    node.removed = true;
    // `node.next` stays as it is, so a fire() standing on this node still reaches the rest.
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    this.count--;
  }
}
