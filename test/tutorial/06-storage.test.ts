// Chapter 6, storage: PersistentVolumes made by the administrator and claimed by users, reclaim
// policies, and dynamic provisioning through the default StorageClass (scenario 43), on a
// one-node cluster. The pods run on simulated nodes: that a file written through a claim is
// still there for the next pod needs real containers and is not checked here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkip } from '../support/kubectl.js';
import { eventually, lineMatching, tableRows, tutorialCluster, type Row } from './support.js';

const { k } = tutorialCluster({ nodes: 1 });

/** A volume as the administrator writes it: hostPath, no StorageClass unless given. */
function volume(name: string, spec: { size: string; modes?: string; reclaim?: string; labels?: string }): string {
  return `
apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${name}
${spec.labels ? `  labels: {${spec.labels}}\n` : ''}spec:
  capacity: {storage: ${spec.size}}
  accessModes: [${spec.modes ?? 'ReadWriteOnce'}]
  persistentVolumeReclaimPolicy: ${spec.reclaim ?? 'Retain'}
  hostPath: {path: /tmp/k8ts-tutorial/${name}}
---`;
}

/** A claim for a pre-made volume: `storageClassName: ""` keeps the default StorageClass out of it. */
function claim(name: string, size: string, selector = ''): string {
  return `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: ${size}}
${selector ? `  selector:\n${selector}\n` : ''}---`;
}

function podUsing(name: string, claimName: string): string {
  return `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: hello
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: ${claimName}}
---`;
}

/** `get <kind>` rows by NAME, once `check` is satisfied. */
async function until(kind: string, check: (rows: Map<string, Row>) => boolean, timeoutMs = 20_000): Promise<Map<string, Row>> {
  let last = new Map<string, Row>();
  try {
    return await eventually(async () => {
      last = new Map(tableRows(await k.ok('get', kind)).map((r) => [r.NAME, r]));
      return check(last) ? last : undefined;
    }, timeoutMs, 100);
  } catch {
    assert.fail(`kubectl get ${kind} never showed what the test waits for:\n${JSON.stringify([...last.values()], null, 1)}`);
  }
}

/** The message of the newest event with this reason in `describe`. */
async function eventMessage(kind: string, name: string, reason: string): Promise<string> {
  return eventually(async () => {
    const line = lineMatching(await k.ok('describe', kind, name), new RegExp(`^\\s+(?:Normal|Warning)\\s+${reason}\\s`));
    return line?.replace(new RegExp(`^\\s+(?:Normal|Warning)\\s+${reason}\\s+\\S+(?: \\(x\\d+ over \\S+\\))?\\s+\\S+\\s+`), '');
  }, 10_000);
}

describe('43: PersistentVolumes, claims and StorageClasses', { skip: kubectlSkip }, () => {
  test('43: a 1Gi RWO claim binds a 2Gi RWO volume: both Bound, CLAIM default/pvc', async () => {
    assert.equal(
      await k.apply(
        [
          volume('pv-2g', { size: '2Gi' }),
          // Too small, and the wrong access mode: the claim must not take these.
          volume('pv-500m', { size: '500Mi' }),
          volume('pv-rwx', { size: '1Gi', modes: 'ReadWriteMany' }),
        ].join('\n'),
      ),
      'persistentvolume/pv-2g created\npersistentvolume/pv-500m created\npersistentvolume/pv-rwx created\n',
    );
    const available = await until('pv', (rows) => rows.size === 3 && [...rows.values()].every((r) => r.STATUS === 'Available'));
    assert.deepEqual(
      ['pv-2g', 'pv-500m', 'pv-rwx'].map((n) => [available.get(n)?.CAPACITY, available.get(n)?.['ACCESS MODES'], available.get(n)?.['RECLAIM POLICY']]),
      [
        ['2Gi', 'RWO', 'Retain'],
        ['500Mi', 'RWO', 'Retain'],
        ['1Gi', 'RWX', 'Retain'],
      ],
    );
    assert.equal(await k.apply(claim('pvc', '1Gi')), 'persistentvolumeclaim/pvc created\n');
    const claims = await until('pvc', (rows) => rows.get('pvc')?.STATUS === 'Bound');
    const pvc = claims.get('pvc')!;
    assert.deepEqual([pvc.VOLUME, pvc.CAPACITY, pvc['ACCESS MODES'], pvc.STORAGECLASS], ['pv-2g', '2Gi', 'RWO', '']);
    const volumes = await until('pv', (rows) => rows.get('pv-2g')?.STATUS === 'Bound');
    assert.deepEqual([volumes.get('pv-2g')?.CLAIM, volumes.get('pv-500m')?.STATUS, volumes.get('pv-rwx')?.STATUS], ['default/pvc', 'Available', 'Available']);

    const dpv = await k.ok('describe', 'pv', 'pv-2g');
    for (const line of [/^Status:\s+Bound$/, /^Claim:\s+default\/pvc$/, /^Reclaim Policy:\s+Retain$/, /^Access Modes:\s+RWO$/, /^Capacity:\s+2Gi$/, /^Finalizers:\s+\[kubernetes\.io\/pv-protection\]$/, /^\s+Type:\s+HostPath \(bare host directory volume\)$/]) {
      assert.match(dpv, new RegExp(line.source, 'm'));
    }
    const dpvc = await k.ok('describe', 'pvc', 'pvc');
    for (const line of [/^Status:\s+Bound$/, /^Volume:\s+pv-2g$/, /^Capacity:\s+2Gi$/, /^Finalizers:\s+\[kubernetes\.io\/pvc-protection\]$/, /^Used By:\s+<none>$/, /^Annotations:\s+pv\.kubernetes\.io\/bind-completed: yes$/]) {
      assert.match(dpvc, new RegExp(line.source, 'm'));
    }
  });

  test('43: a claim larger than every volume stays Pending, and binds when a volume big enough appears', async () => {
    await k.apply(claim('big', '5Gi'));
    assert.equal(await eventMessage('pvc', 'big', 'FailedBinding'), 'no persistent volumes available for this claim and no storage class is set');
    assert.equal(tableRows(await k.ok('get', 'pvc', 'big'))[0].STATUS, 'Pending');
    assert.equal(await k.apply(volume('pv-10g', { size: '10Gi' })), 'persistentvolume/pv-10g created\n');
    const claims = await until('pvc', (rows) => rows.get('big')?.STATUS === 'Bound');
    assert.deepEqual([claims.get('big')?.VOLUME, claims.get('big')?.CAPACITY], ['pv-10g', '10Gi']);
    assert.equal(tableRows(await k.ok('get', 'pv', 'pv-10g'))[0].CLAIM, 'default/big');
  });

  test('43: a claim selector takes only volumes with matching labels', async () => {
    await k.apply([volume('pv-gold', { size: '1Gi', labels: 'tier: gold' }), volume('pv-silver', { size: '1Gi', labels: 'tier: silver' })].join('\n'));
    await k.apply(
      [
        claim('wants-gold', '1Gi', '    matchLabels: {tier: gold}'),
        claim('wants-bronze', '1Gi', '    matchExpressions:\n    - {key: tier, operator: In, values: [bronze]}'),
      ].join('\n'),
    );
    const claims = await until('pvc', (rows) => rows.get('wants-gold')?.STATUS === 'Bound');
    assert.equal(claims.get('wants-gold')?.VOLUME, 'pv-gold');
    assert.equal(claims.get('wants-bronze')?.STATUS, 'Pending');
    assert.equal(tableRows(await k.ok('get', 'pv', 'pv-silver'))[0].STATUS, 'Available', 'a free volume of the right size is not taken against the selector');
    await k.ok('delete', 'pvc', 'wants-bronze');
  });

  test('43: reclaim policy Retain: the volume is Released with its old claim, and is not bound again until the administrator frees it', async () => {
    assert.equal(await k.ok('delete', 'pvc', 'pvc'), 'persistentvolumeclaim "pvc" deleted\n');
    const released = await until('pv', (rows) => rows.get('pv-2g')?.STATUS === 'Released');
    assert.equal(released.get('pv-2g')?.CLAIM, 'default/pvc');
    assert.match(await k.ok('describe', 'pv', 'pv-2g'), /^Status:\s+Released$/m);
    // A new claim that only pv-2g could satisfy stays Pending: the data of the old claim is still there.
    await k.apply(claim('pvc-again', '2Gi'));
    assert.equal(await eventMessage('pvc', 'pvc-again', 'FailedBinding'), 'no persistent volumes available for this claim and no storage class is set');
    // Removing the claimRef by hand makes the volume Available, and the waiting claim takes it.
    assert.equal(await k.ok('patch', 'pv', 'pv-2g', '--type=json', '-p', '[{"op":"remove","path":"/spec/claimRef"}]'), 'persistentvolume/pv-2g patched\n');
    const claims = await until('pvc', (rows) => rows.get('pvc-again')?.STATUS === 'Bound');
    assert.equal(claims.get('pvc-again')?.VOLUME, 'pv-2g');
    assert.equal(tableRows(await k.ok('get', 'pv', 'pv-2g'))[0].CLAIM, 'default/pvc-again');
  });

  test('43: the default StorageClass provisions a volume for a claim once a pod uses it', async () => {
    const classes = tableRows(await k.ok('get', 'storageclass'));
    assert.deepEqual(
      classes.map((c) => [c.NAME, c.PROVISIONER, c.RECLAIMPOLICY, c.VOLUMEBINDINGMODE, c.ALLOWVOLUMEEXPANSION]),
      [['local-path (default)', 'k8ts.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false']],
    );
    assert.equal(
      await k.apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
`),
      'persistentvolumeclaim/data created\n',
    );
    // No class named: the default one is written into the claim.
    assert.equal(await k.ok('get', 'pvc', 'data', '-o', 'jsonpath={.spec.storageClassName}'), 'local-path');
    assert.equal(await eventMessage('pvc', 'data', 'WaitForFirstConsumer'), 'waiting for first consumer to be created before binding');
    assert.equal(tableRows(await k.ok('get', 'pvc', 'data'))[0].STATUS, 'Pending');

    assert.equal(await k.apply(podUsing('writer', 'data')), 'pod/writer created\n');
    const claims = await until('pvc', (rows) => rows.get('data')?.STATUS === 'Bound');
    const data = claims.get('data')!;
    assert.match(data.VOLUME, /^pvc-[0-9a-f-]{36}$/);
    assert.deepEqual([data.CAPACITY, data['ACCESS MODES'], data.STORAGECLASS], ['1Gi', 'RWO', 'local-path']);
    const [pv] = tableRows(await k.ok('get', 'pv', data.VOLUME));
    assert.deepEqual([pv.STATUS, pv.CLAIM, pv['RECLAIM POLICY'], pv.STORAGECLASS], ['Bound', 'default/data', 'Delete', 'local-path']);
    // A directory on the node the pod was scheduled to, and only there.
    const dpv = await k.ok('describe', 'pv', data.VOLUME);
    assert.match(dpv, /^Node Affinity:\s*\n\s+Required Terms:\s*\n\s+Term 0:\s+kubernetes\.io\/hostname in \[k8ts-node-1\]$/m);
    assert.match(dpv, new RegExp(`^\\s+Path:\\s+/\\S+/${data.VOLUME}_default_data\\n\\s+HostPathType:\\s+DirectoryOrCreate$`, 'm'));
    assert.equal(await eventMessage('pvc', 'data', 'ProvisioningSucceeded'), `Successfully provisioned volume ${data.VOLUME}`);
    await eventually(async () => tableRows(await k.ok('get', 'pod', 'writer'))[0]?.STATUS === 'Running', 20_000, 100);
    assert.match(await k.ok('describe', 'pvc', 'data'), /^Used By:\s+writer$/m);
    assert.match(await k.ok('describe', 'pod', 'writer'), /^ {2}data:\n {4}Type:\s+PersistentVolumeClaim \(a reference to a PersistentVolumeClaim in the same namespace\)\n {4}ClaimName:\s+data\n {4}ReadOnly:\s+false$/m);
  });

  test('43: pvc-protection keeps a claim in use Terminating; once its pod is gone, claim and Delete-policy volume go', async () => {
    const volumeName = await k.ok('get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeName}');
    assert.equal(await k.ok('delete', 'pvc', 'data', '--wait=false'), 'persistentvolumeclaim "data" deleted\n');
    const claims = await until('pvc', (rows) => rows.get('data')?.STATUS === 'Terminating');
    assert.equal(claims.get('data')?.VOLUME, volumeName);
    const d = await k.ok('describe', 'pvc', 'data');
    assert.match(d, /^Status:\s+Terminating \(lasts \S+\)$/m);
    assert.match(d, /^Finalizers:\s+\[kubernetes\.io\/pvc-protection\]$/m);
    assert.equal(tableRows(await k.ok('get', 'pod', 'writer'))[0].STATUS, 'Running');

    assert.equal(await k.ok('delete', 'pod', 'writer'), 'pod "writer" deleted\n');
    await until('pvc', (rows) => !rows.has('data'));
    await until('pv', (rows) => !rows.has(volumeName));
  });

  test('43: a pod whose claim is unbound or missing is not scheduled, and says why', async () => {
    await k.apply([claim('nothing-fits', '100Gi'), podUsing('waits-for-claim', 'nothing-fits'), podUsing('no-claim', 'missing')].join('\n'));
    const unbound = await eventMessage('pod', 'waits-for-claim', 'FailedScheduling');
    assert.equal(unbound, '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
    const missing = await eventMessage('pod', 'no-claim', 'FailedScheduling');
    assert.equal(missing, '0/1 nodes are available: persistentvolumeclaim "missing" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
    const rows = await until('pods', (r) => r.size === 2);
    assert.deepEqual([rows.get('waits-for-claim')?.STATUS, rows.get('no-claim')?.STATUS], ['Pending', 'Pending']);
    await k.ok('delete', 'pod', 'waits-for-claim', 'no-claim');
  });

  test('43: bad claims and volumes are refused with the field at fault; a bound claim keeps its spec', async () => {
    const r = await k.tryApply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: no-size
spec:
  accessModes: [ReadWriteOnce]
  resources: {}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: no-mode
spec:
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: no-capacity
spec:
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/k8ts-tutorial/no-capacity}
`);
    assert.equal(r.code, 1);
    const errors = r.stderr.split('\n');
    assert.ok(errors.includes('Error from server (Invalid): error when creating "STDIN": PersistentVolumeClaim "no-size" is invalid: spec.resources[storage]: Required value'), r.stderr);
    assert.ok(
      errors.includes('Error from server (Invalid): error when creating "STDIN": PersistentVolumeClaim "no-mode" is invalid: spec.accessModes: Required value: at least 1 access mode is required'),
      r.stderr,
    );
    assert.match(r.stderr, /^Error from server \(Invalid\): error when creating "STDIN": PersistentVolume "no-capacity" is invalid: \[spec\.capacity: Required value, /m);
    const left = await k.run('get', 'pvc,pv', 'no-size', 'no-mode', 'no-capacity');
    assert.doesNotMatch(left.stdout, /no-size|no-mode|no-capacity/);

    const changed = await k.run('patch', 'pvc', 'big', '-p', '{"spec":{"accessModes":["ReadWriteMany"]}}');
    assert.equal(changed.code, 1);
    assert.match(changed.stderr, /^The PersistentVolumeClaim "big" is invalid: spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims$/m);
    assert.equal(await k.ok('get', 'pvc', 'big', '-o', 'jsonpath={.spec.accessModes}'), '["ReadWriteOnce"]');
  });
});
