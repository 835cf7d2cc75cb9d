// Child process of durability.test.ts: writes objects to a SQLite store with many writes in
// flight at once (so they commit in groups) and prints each key once its write is acknowledged.
// Usage: node durability-writer.js <db file> <key prefix> <count> <in flight>
import { SqliteStore } from '../../src/storage/sqlite.js';

export function valueFor(key: string): string {
  return JSON.stringify({ kind: 'ConfigMap', metadata: { name: key }, data: { payload: key.repeat(20) } });
}

async function main(path: string, prefix: string, count: number, inFlight: number): Promise<void> {
  const store = SqliteStore.open(path);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const key = `${prefix}${next++}`;
      await store.create(key, valueFor(key));
      // Writes to a pipe are synchronous on Linux: once this returns the parent can see it.
      process.stdout.write(`${key}\n`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await store.close();
}

const [path, prefix, count, inFlight] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  if (!path || !prefix) {
    process.stderr.write('usage: durability-writer.js <db file> <key prefix> <count> <in flight>\n');
    process.exit(2);
  }
  await main(path, prefix, Number(count), Number(inFlight));
}
