// A binary heap whose items have keys, so they can be found, updated and removed in O(log n):
// the scheduling queue's pods, the work queue's delayed keys, the simulation's timers.

export class KeyedHeap<T, K = string> {
  private readonly items: T[] = [];
  private readonly index = new Map<K, number>();

  constructor(
    private readonly keyOf: (item: T) => K,
    /** True when `a` comes out before `b`. */
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: K): boolean {
    return this.index.has(key);
  }

  get(key: K): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds the item, or replaces the one with the same key and restores the order. */
  addOrUpdate(item: T): void {
    const key = this.keyOf(item);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = item;
      this.fix(i);
      return;
    }
    this.items.push(item);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.removeAt(0);
  }

  delete(key: K): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.removeAt(i);
  }

  list(): T[] {
    return this.items.slice();
  }

  clear(): void {
    this.items.length = 0;
    this.index.clear();
  }

  private removeAt(i: number): T {
    const items = this.items;
    const item = items[i];
    const last = items.pop()!;
    this.index.delete(this.keyOf(item));
    if (i < items.length) {
      items[i] = last;
      this.index.set(this.keyOf(last), i);
      this.fix(i);
    }
    return item;
  }

  private fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }

  private swap(i: number, j: number): void {
    const items = this.items;
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
    this.index.set(this.keyOf(items[i]), i);
    this.index.set(this.keyOf(items[j]), j);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i], this.items[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** True when the item moved. */
  private down(i0: number): boolean {
    const n = this.items.length;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let child = l;
      if (l + 1 < n && this.less(this.items[l + 1], this.items[l])) child = l + 1;
      if (!this.less(this.items[child], this.items[i])) break;
      this.swap(i, child);
      i = child;
    }
    return i > i0;
  }
}
