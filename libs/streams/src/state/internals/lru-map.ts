/** A map entry: its key, its value and its place in the LRU order. */
export interface LruNode<K, V> {
  readonly key: K;
  value: V;
  prev: LruNode<K, V> | undefined;
  next: LruNode<K, V> | undefined;
}

/**
 * A map in least-recently-used order: a hash map of nodes in a doubly linked list (as Kafka Streams'
 * `NamedCache`). Unlike evicting through a JavaScript `Map`'s iteration order, taking the eldest entry
 * stays O(1) however many entries were removed before (V8 leaves holes at the front of a `Map`).
 */
export class LruMap<K, V> {
  private readonly nodes = new Map<K, LruNode<K, V>>();
  private head: LruNode<K, V> | undefined;
  private tail: LruNode<K, V> | undefined;

  get size(): number {
    return this.nodes.size;
  }

  has(key: K): boolean {
    return this.nodes.has(key);
  }

  /** The value of `key` without changing the order. */
  peek(key: K): V | undefined {
    return this.nodes.get(key)?.value;
  }

  /** The value of `key`, made the most recently used. */
  get(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    this.moveToTail(node);
    return node.value;
  }

  /** Sets `key` to `value` as the most recently used entry; returns the value it replaced. */
  set(key: K, value: V): V | undefined {
    const node = this.nodes.get(key);
    if (node !== undefined) {
      const old = node.value;
      node.value = value;
      this.moveToTail(node);
      return old;
    }
    const created: LruNode<K, V> = { key, value, prev: this.tail, next: undefined };
    if (this.tail) this.tail.next = created;
    else this.head = created;
    this.tail = created;
    this.nodes.set(key, created);
    return undefined;
  }

  /** Replaces the value of an existing `key` without changing the order. */
  replace(key: K, value: V): void {
    const node = this.nodes.get(key);
    if (node !== undefined) node.value = value;
  }

  delete(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    this.nodes.delete(key);
    this.unlink(node);
    return node.value;
  }

  /** The node of `key` (to read and then update it with one hash lookup), or `undefined`. */
  node(key: K): LruNode<K, V> | undefined {
    return this.nodes.get(key);
  }

  /** Sets an existing node's value and makes it the most recently used. */
  setNode(node: LruNode<K, V>, value: V): void {
    node.value = value;
    this.moveToTail(node);
  }

  /** Adds a key that is not in the map, as the most recently used entry. */
  add(key: K, value: V): void {
    const created: LruNode<K, V> = { key, value, prev: this.tail, next: undefined };
    if (this.tail) this.tail.next = created;
    else this.head = created;
    this.tail = created;
    this.nodes.set(key, created);
  }

  /** The least recently used node, or `undefined` when empty. */
  eldestNode(): LruNode<K, V> | undefined {
    return this.head;
  }

  /** Removes a node of this map. */
  deleteNode(node: LruNode<K, V>): void {
    this.nodes.delete(node.key);
    this.unlink(node);
  }

  /** The least recently used entry, or `undefined` when empty. */
  eldest(): [K, V] | undefined {
    const h = this.head;
    return h === undefined ? undefined : [h.key, h.value];
  }

  clear(): void {
    this.nodes.clear();
    this.head = this.tail = undefined;
  }

  /** Entries from least to most recently used. */
  *entries(): IterableIterator<[K, V]> {
    for (let n = this.head; n !== undefined; n = n.next) yield [n.key, n.value];
  }

  private moveToTail(node: LruNode<K, V>): void {
    if (this.tail === node) return;
    this.unlink(node);
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
  }

  private unlink(node: LruNode<K, V>): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = undefined;
  }
}
