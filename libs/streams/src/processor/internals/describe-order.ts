/**
 * The order in which Kafka Streams' `TopologyDescription` lists a node's predecessors (`<--`) and
 * successors (`-->`), reproduced exactly.
 *
 * Kafka Streams (`InternalTopologyBuilder.describeSubtopology`) keeps them in `TreeSet`s ordered by
 * the size of the sub-graph below each node (larger first, then by name), but it inserts into
 * those sets while it is still connecting the graph, so the sizes compared are the ones of that
 * moment: a node inserted before its own successors were connected sorts as a small one. The
 * result depends on the order nodes are visited (a `HashMap` of node names, so Java's
 * `String.hashCode` buckets) and on the shape of Java's red-black tree. Both are emulated here.
 * The nodes of a sub-topology themselves are listed by final sizes, which is a plain sort.
 */

/** Edges of one sub-topology as Kafka Streams' `describe()` orders them, and the final sizes. */
export interface DescribedEdges {
  /** Size of the sub-graph below `name`, itself included (paths counted, as Kafka Streams counts). */
  size(name: string): number;
  /** Predecessors of `name` in Kafka Streams' print order. */
  predecessors(name: string): string[];
  /** Successors of `name` in Kafka Streams' print order. */
  successors(name: string): string[];
}

interface DescribedNode {
  readonly name: string;
  size: number;
  readonly predecessors: JavaTreeSet;
  readonly successors: JavaTreeSet;
}

/**
 * Connects the nodes of a sub-topology as Kafka Streams does. `names` in the order they were added
 * to the topology; `parentsOf` gives each node's parents in the order they were declared.
 */
export function describeEdges(
  names: readonly string[],
  parentsOf: (name: string) => readonly string[],
): DescribedEdges {
  const nodes = new Map<string, DescribedNode>();
  for (const name of names) {
    nodes.set(name, { name, size: 1, predecessors: new JavaTreeSet(), successors: new JavaTreeSet() });
  }
  const updateSize = (node: DescribedNode, delta: number): void => {
    node.size += delta;
    for (const p of node.predecessors.values()) updateSize(p, delta);
  };
  for (const name of javaHashSetOrder(names)) {
    const node = nodes.get(name)!;
    for (const parentName of parentsOf(name)) {
      const parent = nodes.get(parentName);
      if (!parent) continue;
      node.predecessors.add(parent);
      parent.successors.add(node);
      updateSize(parent, node.size);
    }
  }
  const get = (name: string) => {
    const node = nodes.get(name);
    if (!node) throw new Error(`describe: node "${name}" is not in the sub-topology`);
    return node;
  };
  return {
    size: (name) => get(name).size,
    predecessors: (name) =>
      get(name)
        .predecessors.values()
        .map((n) => n.name),
    successors: (name) =>
      get(name)
        .successors.values()
        .map((n) => n.name),
  };
}

/** Kafka Streams' `NodeComparator`, on the sizes of the moment: larger sub-graph first, then name. */
function compareNodes(a: DescribedNode, b: DescribedNode): number {
  if (a === b) return 0;
  if (a.size !== b.size) return b.size - a.size;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Java's `String.hashCode` (UTF-16 code units, 32-bit wrap-around). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Iteration order of a default `java.util.HashSet<String>` (or `HashMap`) filled with `names` in
 * that order: by bucket (`hash ^ hash >>> 16`, masked by the capacity, which starts at 16 and
 * doubles past a 0.75 load), then by insertion within a bucket (resizing keeps that order).
 */
export function javaHashSetOrder(names: readonly string[]): string[] {
  let capacity = 16;
  while (names.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string) => {
    const h = javaStringHash(s);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return names
    .map((name, index) => ({ name, index, bucket: bucket(name) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.name);
}

interface TreeEntry {
  readonly key: DescribedNode;
  left: TreeEntry | null;
  right: TreeEntry | null;
  parent: TreeEntry | null;
  red: boolean;
}

/**
 * `java.util.TreeSet` with Kafka Streams' node comparator: `java.util.TreeMap.put` and its
 * red-black `fixAfterInsertion`, so that later insertions compare against the same entries as in
 * Java even though the sizes behind the comparator change between insertions.
 */
class JavaTreeSet {
  private root: TreeEntry | null = null;

  add(key: DescribedNode): void {
    let t = this.root;
    if (t === null) {
      this.root = { key, left: null, right: null, parent: null, red: false };
      return;
    }
    let parent: TreeEntry;
    let cmp: number;
    do {
      parent = t;
      cmp = compareNodes(key, t.key);
      if (cmp < 0) t = t.left;
      else if (cmp > 0) t = t.right;
      else return;
    } while (t !== null);
    const e: TreeEntry = { key, left: null, right: null, parent, red: false };
    if (cmp < 0) parent.left = e;
    else parent.right = e;
    this.fixAfterInsertion(e);
  }

  /** In-order (the set's iteration order). */
  values(): DescribedNode[] {
    const out: DescribedNode[] = [];
    const visit = (e: TreeEntry | null) => {
      if (e === null) return;
      visit(e.left);
      out.push(e.key);
      visit(e.right);
    };
    visit(this.root);
    return out;
  }

  private fixAfterInsertion(entry: TreeEntry): void {
    let x: TreeEntry | null = entry;
    x.red = true;
    while (x !== null && x !== this.root && isRed(x.parent)) {
      const p = parentOf(x);
      const g = parentOf(p);
      if (p === leftOf(g)) {
        const y = rightOf(g);
        if (isRed(y)) {
          setRed(p, false);
          setRed(y, false);
          setRed(g, true);
          x = g;
        } else {
          if (x === rightOf(p)) {
            x = p;
            this.rotateLeft(x);
          }
          setRed(parentOf(x), false);
          setRed(parentOf(parentOf(x)), true);
          this.rotateRight(parentOf(parentOf(x)));
        }
      } else {
        const y = leftOf(g);
        if (isRed(y)) {
          setRed(p, false);
          setRed(y, false);
          setRed(g, true);
          x = g;
        } else {
          if (x === leftOf(p)) {
            x = p;
            this.rotateRight(x);
          }
          setRed(parentOf(x), false);
          setRed(parentOf(parentOf(x)), true);
          this.rotateLeft(parentOf(parentOf(x)));
        }
      }
    }
    this.root!.red = false;
  }

  private rotateLeft(p: TreeEntry | null): void {
    if (p === null) return;
    const r = p.right!;
    p.right = r.left;
    if (r.left !== null) r.left.parent = p;
    r.parent = p.parent;
    if (p.parent === null) this.root = r;
    else if (p.parent.left === p) p.parent.left = r;
    else p.parent.right = r;
    r.left = p;
    p.parent = r;
  }

  private rotateRight(p: TreeEntry | null): void {
    if (p === null) return;
    const l = p.left!;
    p.left = l.right;
    if (l.right !== null) l.right.parent = p;
    l.parent = p.parent;
    if (p.parent === null) this.root = l;
    else if (p.parent.right === p) p.parent.right = l;
    else p.parent.left = l;
    l.right = p;
    p.parent = l;
  }
}

const isRed = (e: TreeEntry | null): boolean => e !== null && e.red;
const parentOf = (e: TreeEntry | null): TreeEntry | null => (e === null ? null : e.parent);
const leftOf = (e: TreeEntry | null): TreeEntry | null => (e === null ? null : e.left);
const rightOf = (e: TreeEntry | null): TreeEntry | null => (e === null ? null : e.right);
const setRed = (e: TreeEntry | null, red: boolean): void => {
  if (e !== null) e.red = red;
};
