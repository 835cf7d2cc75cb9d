// Picks the Store implementation from configuration (`k8ts --store sqlite|etcd`).
import { EtcdStore } from './etcd.js';
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
    case 'etcd':
      return EtcdStore.connect(opts.endpoints);
  }
}

export { EtcdStore } from './etcd.js';
export { SqliteStore } from './sqlite.js';
export * from './store.js';
