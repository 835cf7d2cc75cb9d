// Picks the Store implementation from configuration (`k8ts --store sqlite|etcd`).
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export type StoreOptions =
  | { kind: 'sqlite'; path: string }
  | { kind: 'memory' }
  | { kind: 'etcd'; endpoints: string[] };

export async function openStore(opts: StoreOptions): Promise<Store> {
  switch (opts.kind) {
    case 'sqlite':
      return SqliteStore.open(opts.path);
    case 'memory':
      return SqliteStore.open(':memory:');
    case 'etcd': {
      // Loaded only when used: etcd3 brings gRPC, which costs start-up time to every SQLite cluster otherwise.
      const { EtcdStore } = await import('./etcd.js');
      return EtcdStore.connect(opts.endpoints);
    }
  }
}

export { SqliteStore } from './sqlite.js';
export * from './store.js';
