// A map that keeps only its most recently used entries: the process-wide memos of the
// pipeline (deflated zip parts and PDF forms, drawn charts) grow with a batch
// otherwise, and each wrote the same three lines of Map juggling for it.

export class RecentlyUsed<K, V> {
  /** Oldest first: Map keeps insertion order, and a use moves an entry to the end. */
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The entry for `key`, now the most recently used; undefined when none is kept. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Keeps `value` as the most recently used entry, dropping the least recently used past the limit. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }
}
