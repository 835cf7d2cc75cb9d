import { after, test } from 'node:test';
import { EtcdStore } from '../../src/storage/etcd.js';
import { startEtcd, type RunningEtcd } from '../support/etcd.js';
import { storeConformance } from './conformance.js';

const etcd: RunningEtcd | undefined = await startEtcd();

if (!etcd) {
  test('etcd store', { skip: 'etcd not installed' }, () => {});
} else {
  after(() => etcd.stop());
  storeConformance('etcd', async () => {
    const store = await EtcdStore.connect([etcd.endpoint]);
    return { store, cleanup: () => store.close() };
  });
}
