// Real kubectl 1.32 against startCluster(): every command a user types, checked by its exit
// code and what it prints. kubectl's typed `create configmap …` sends protobuf, so objects are
// made from manifests (`create -f`, `apply -f`), which kubectl sends as JSON.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startCluster, type Cluster } from '../../../src/index.js';
import { kubectl, kubectlSkip, kubectlStart, type KubectlResult } from '../../support/kubectl.js';
import { eventually, manifestDir, uniqueName } from '../../support/cluster.js';

function configMap(name: string, opts: { labels?: Record<string, string>; data?: Record<string, string>; namespace?: string; extra?: string } = {}): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`];
  if (opts.namespace) lines.push(`  namespace: ${opts.namespace}`);
  if (opts.labels) lines.push('  labels:', ...Object.entries(opts.labels).map(([k, v]) => `    ${k}: "${v}"`));
  if (opts.data) lines.push('data:', ...Object.entries(opts.data).map(([k, v]) => `  ${k}: "${v}"`));
  if (opts.extra) lines.push(opts.extra);
  return lines.join('\n') + '\n';
}

describe('kubectl against startCluster()', { skip: kubectlSkip }, () => {
  let cluster: Cluster;
  const files = manifestDir();
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });
  /** Runs kubectl and insists it succeeded; returns stdout. */
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const failed = async (args: string[], input?: string): Promise<KubectlResult> => {
    const r = await k(args, input);
    assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed: ${r.stdout}`);
    return r;
  };
  /** Waits for the root CA publisher's ConfigMap in a new namespace. */
  const rootCAPublished = (ns: string) => eventually(async () => (await k(['get', 'cm', 'kube-root-ca.crt', '-n', ns])).code === 0, 10_000);
  const file = (name: string, text: string): string => {
    const p = files.path(name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster.stop();
    files.remove();
  });

  test('create -f, then get in every output format', async () => {
    const name = uniqueName('formats');
    const path = file(`${name}.yaml`, configMap(name, { labels: { app: 'web', tier: 'front' }, data: { a: '1', b: '2' } }));
    assert.equal(await ok(['create', '-f', path]), `configmap/${name} created\n`);

    const json = JSON.parse(await ok(['get', 'configmap', name, '-o', 'json']));
    assert.equal(json.kind, 'ConfigMap');
    assert.match(json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(json.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(json.data, { a: '1', b: '2' });

    const yaml = await ok(['get', 'cm', name, '-o', 'yaml']);
    assert.match(yaml, /^apiVersion: v1\ndata:\n {2}a: "1"\n {2}b: "2"\nkind: ConfigMap\n/);
    assert.equal(await ok(['get', 'cm', name, '-o', 'name']), `configmap/${name}\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.metadata.labels.tier}']), 'front');
    assert.equal(await ok(['get', 'cm', name, '-o', 'custom-columns=N:.metadata.name,APP:.metadata.labels.app']), `N${' '.repeat(name.length + 2)}APP\n${name}   web\n`);

    const table = (await ok(['get', 'cm', name])).split('\n');
    assert.match(table[0], /^NAME\s+DATA\s+AGE$/);
    assert.match(table[1], new RegExp(`^${name}\\s+2\\s+\\d+s$`));
    assert.match((await ok(['get', 'cm', name, '-o', 'wide'])).split('\n')[0], /^NAME\s+DATA\s+AGE$/);
    assert.match(await ok(['get', 'cm', name, '--show-labels']), new RegExp(`LABELS\\n${name}\\s+2\\s+\\d+s\\s+app=web,tier=front\\n`));
    assert.match(await ok(['get', 'cm', name, '-L', 'tier,missing']), new RegExp(`TIER\\s+MISSING\\n${name}\\s+2\\s+\\d+s\\s+front\\s+\\n`));
  });

  test('get with -l, --field-selector, -A, --sort-by and several kinds at once', async () => {
    const ns = uniqueName('sel');
    await ok(['create', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
    const docs = [
      configMap('c-b', { namespace: ns, labels: { env: 'prod', rank: '2' }, data: { x: '1' } }),
      configMap('c-a', { namespace: ns, labels: { env: 'dev', rank: '1' } }),
      configMap('c-c', { namespace: ns, labels: { env: 'prod', rank: '3' }, data: { x: '1', y: '2', z: '3' } }),
      configMap('c-d', { namespace: ns, labels: { other: 'x' } }),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s-a\n  namespace: ${ns}\n  labels:\n    env: "prod"\nstringData:\n  k: v\n`,
    ];
    assert.equal((await ok(['apply', '-f', '-'], docs.join('---\n'))).split('\n').filter(Boolean).length, 5);
    await rootCAPublished(ns);

    const names = async (args: string[]) => (await ok(['get', ...args, '-n', ns, '-o', 'name'])).trim().split('\n').filter(Boolean);
    assert.deepEqual(await names(['cm', '-l', 'env=prod']), ['configmap/c-b', 'configmap/c-c']);
    // Every namespace has the cluster CA's kube-root-ca.crt, unlabelled, as on a real cluster.
    assert.deepEqual(await names(['cm', '-l', 'env!=prod']), ['configmap/c-a', 'configmap/c-d', 'configmap/kube-root-ca.crt']);
    assert.deepEqual(await names(['cm', '-l', 'env in (dev,test)']), ['configmap/c-a']);
    assert.deepEqual(await names(['cm', '-l', 'rank notin (1,2),env']), ['configmap/c-c']);
    assert.deepEqual(await names(['cm', '-l', '!rank']), ['configmap/c-d', 'configmap/kube-root-ca.crt']);
    assert.deepEqual(await names(['cm', '--field-selector', 'metadata.name=c-a']), ['configmap/c-a']);
    assert.deepEqual(await names(['cm', '--field-selector', 'metadata.name!=c-a,metadata.namespace=' + ns]), [
      'configmap/c-b',
      'configmap/c-c',
      'configmap/c-d',
      'configmap/kube-root-ca.crt',
    ]);
    assert.deepEqual(await names(['cm,secrets', '-l', 'env=prod']), ['configmap/c-b', 'configmap/c-c', 'secret/s-a']);
    assert.deepEqual(await names(['cm', '-l', 'rank', '--sort-by', '.metadata.labels.rank']), ['configmap/c-a', 'configmap/c-b', 'configmap/c-c']);
    assert.deepEqual(await names(['cm', '-l', 'env', '--sort-by', '{.data.x}']), ['configmap/c-a', 'configmap/c-b', 'configmap/c-c']);

    const all = await ok(['get', 'cm', '-A', '-l', 'env=prod']);
    assert.match(all, /^NAMESPACE\s+NAME\s+DATA\s+AGE\n/);
    assert.match(all, new RegExp(`\\n${ns}\\s+c-c\\s+3\\s+\\d+s\\n`));

    const mixed = await ok(['get', 'cm,secret', '-n', ns, '-l', 'env=prod']);
    assert.match(mixed, /NAME\s+DATA\s+AGE\nconfigmap\/c-b\s+1/);
    assert.match(mixed, /\n\nNAME\s+TYPE\s+DATA\s+AGE\nsecret\/s-a\s+Opaque\s+1\s+/);

    const bad = await failed(['get', 'cm', '-n', ns, '--field-selector', 'data.x=1']);
    assert.match(bad.stderr, /Error from server \(BadRequest\): .*field label not supported: data\.x/);
    const none = await k(['get', 'cm', '-n', ns, '-l', 'env=none']);
    assert.equal(none.code, 0);
    assert.equal(none.stderr, `No resources found in ${ns} namespace.\n`);
  });

  test('get with --chunk-size=2 pages through 7 objects with continue tokens', async () => {
    const set = uniqueName('chunk');
    const docs = Array.from({ length: 7 }, (_, i) => configMap(`${set}-${i}`, { labels: { set } }));
    await ok(['create', '-f', '-'], docs.join('---\n'));
    const r = await k(['get', 'cm', '-l', `set=${set}`, '--chunk-size=2', '-o', 'name', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), docs.map((_, i) => `configmap/${set}-${i}`));
    const gets = r.stderr.split('\n').filter((l) => /GET .*\/configmaps\?/.test(l));
    assert.equal(gets.length, 4, gets.join('\n'));
    assert.ok(gets.every((l) => l.includes('limit=2') && l.includes(' 200 OK')));
    assert.equal(gets.filter((l) => l.includes('continue=')).length, 3);
  });

  test('apply: created, configured, unchanged, server and client dry runs, prune by label', async () => {
    const name = uniqueName('apply');
    const group = uniqueName('grp');
    const v1 = file(`${name}-1.yaml`, configMap(name, { labels: { group }, data: { a: '1' } }));
    const v2 = file(`${name}-2.yaml`, configMap(name, { labels: { group }, data: { a: '2' } }));
    assert.equal(await ok(['apply', '-f', v1, '--dry-run=server']), `configmap/${name} created (server dry run)\n`);
    assert.equal(await ok(['apply', '-f', v1, '--dry-run=client']), `configmap/${name} created (dry run)\n`);
    assert.equal((await failed(['get', 'cm', name])).stderr, `Error from server (NotFound): configmaps "${name}" not found\n`);
    assert.equal(await ok(['apply', '-f', v1]), `configmap/${name} created\n`);
    assert.equal(await ok(['apply', '-f', v1]), `configmap/${name} unchanged\n`);
    assert.equal(await ok(['apply', '-f', v2, '--dry-run=server']), `configmap/${name} configured (server dry run)\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.data.a}']), '1');
    assert.equal(await ok(['apply', '-f', v2]), `configmap/${name} configured\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.data.a}']), '2');
    const applied = JSON.parse(await ok(['get', 'cm', name, '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}']));
    assert.deepEqual(applied.data, { a: '2' });

    // Prune: a second object in the group, then apply only the first with --prune -l.
    const other = uniqueName('apply');
    await ok(['apply', '-f', '-'], configMap(other, { labels: { group } }));
    const pruned = await ok(['apply', '--prune', '-l', `group=${group}`, '--prune-allowlist=core/v1/ConfigMap', '-f', v2]);
    assert.equal(pruned, `configmap/${name} unchanged\nconfigmap/${other} pruned\n`);
    assert.equal(await ok(['get', 'cm', '-l', `group=${group}`, '-o', 'name']), `configmap/${name}\n`);
  });

  test('replace, and replace with a stale resourceVersion is a 409 Conflict', async () => {
    const name = uniqueName('replace');
    await ok(['create', '-f', '-'], configMap(name, { data: { a: '1' } }));
    const current = JSON.parse(await ok(['get', 'cm', name, '-o', 'json']));
    current.data = { a: 'replaced' };
    const path = file(`${name}.json`, JSON.stringify(current));
    assert.equal(await ok(['replace', '-f', path]), `configmap/${name} replaced\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.data.a}']), 'replaced');
    const stale = await failed(['replace', '-f', path]);
    assert.equal(
      stale.stderr,
      `Error from server (Conflict): error when replacing "${path}": Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again\n`,
    );
    const missing = uniqueName('replace');
    const r = await failed(['replace', '-f', '-'], configMap(missing));
    assert.equal(r.stderr, `Error from server (NotFound): error when replacing "STDIN": configmaps "${missing}" not found\n`);
  });

  test('patch: strategic (default), merge and json, with no-op and failing patches', async () => {
    const name = uniqueName('patch');
    await ok(['create', '-f', '-'], configMap(name, { data: { a: '1' } }));
    assert.equal(await ok(['patch', 'cm', name, '-p', '{"data":{"b":"2"}}']), `configmap/${name} patched\n`);
    assert.equal(await ok(['patch', 'cm', name, '--type=merge', '-p', '{"data":{"a":null}}']), `configmap/${name} patched\n`);
    assert.equal(await ok(['patch', 'cm', name, '--type=json', '-p', '[{"op":"add","path":"/data/c","value":"3"}]']), `configmap/${name} patched\n`);
    assert.equal(await ok(['patch', 'cm', name, '--type=merge', '-p', '{"data":{"c":"3"}}']), `configmap/${name} patched (no change)\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.data}']), '{"b":"2","c":"3"}');
    const bad = await failed(['patch', 'cm', name, '--type=json', '-p', '[{"op":"remove","path":"/data/zzz"}]']);
    assert.equal(bad.stderr, 'The request is invalid: the server rejected our request due to an error in our request\n');
    const test = await failed(['patch', 'cm', name, '--type=json', '-p', '[{"op":"test","path":"/data/b","value":"x"}]']);
    assert.match(test.stderr, /The request is invalid/);
    const missing = await failed(['patch', 'cm', uniqueName('none'), '-p', '{"data":{}}']);
    assert.match(missing.stderr, /^Error from server \(NotFound\): configmaps ".*" not found\n$/);
  });

  test('label and annotate follow the --overwrite rules', async () => {
    const name = uniqueName('label');
    await ok(['create', '-f', '-'], configMap(name, { labels: { tier: 'front' } }));
    assert.equal(await ok(['label', 'cm', name, 'owner=me']), `configmap/${name} labeled\n`);
    const refused = await failed(['label', 'cm', name, 'tier=back']);
    assert.equal(refused.stderr, "error: 'tier' already has a value (front), and --overwrite is false\n");
    assert.equal(await ok(['label', 'cm', name, 'tier=back', '--overwrite']), `configmap/${name} labeled\n`);
    assert.equal(await ok(['label', 'cm', name, 'owner-']), `configmap/${name} unlabeled\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.metadata.labels}']), '{"tier":"back"}');

    assert.equal(await ok(['annotate', 'cm', name, 'note=first']), `configmap/${name} annotated\n`);
    const again = await failed(['annotate', 'cm', name, 'note=second']);
    assert.equal(again.stderr, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (first)\n");
    assert.equal(await ok(['annotate', 'cm', name, 'note=second', '--overwrite']), `configmap/${name} annotated\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.metadata.annotations.note}']), 'second');
    assert.equal(await ok(['label', 'cm', '-l', 'tier=back', 'bulk=yes']), `configmap/${name} labeled\n`);
  });

  test('delete one, by label, and --all; deleting a missing object is NotFound', async () => {
    const ns = uniqueName('del');
    await ok(['create', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
    const docs = ['d1', 'd2', 'd3', 'd4'].map((n, i) => configMap(n, { namespace: ns, labels: { odd: String(i % 2 === 0) } }));
    await ok(['create', '-f', '-'], docs.join('---\n'));
    await rootCAPublished(ns);
    assert.equal(await ok(['delete', 'cm', 'd1', '-n', ns]), 'configmap "d1" deleted\n');
    assert.equal(await ok(['delete', 'cm', '-n', ns, '-l', 'odd=false']), 'configmap "d2" deleted\nconfigmap "d4" deleted\n');
    assert.equal(await ok(['delete', 'cm', 'd3', '-n', ns, '--dry-run=server']), 'configmap "d3" deleted (server dry run)\n');
    assert.equal(await ok(['get', 'cm', 'd3', '-n', ns, '-o', 'name']), 'configmap/d3\n');
    assert.equal(await ok(['delete', 'cm', '-n', ns, '--all']), 'configmap "d3" deleted\nconfigmap "kube-root-ca.crt" deleted\n');
    // The root CA publisher puts its ConfigMap back; nothing else comes back.
    await rootCAPublished(ns);
    assert.equal(await ok(['get', 'cm', '-n', ns, '-o', 'name']), 'configmap/kube-root-ca.crt\n');
    assert.equal((await failed(['delete', 'cm', 'd1', '-n', ns])).stderr, 'Error from server (NotFound): configmaps "d1" not found\n');
    assert.equal(await ok(['delete', 'cm', 'd1', '-n', ns, '--ignore-not-found']), '');
  });

  test('get -w prints a row for each change made while it runs', async () => {
    const name = uniqueName('watched');
    const watcher = kubectlStart(['get', 'cm', '-w', '-l', `watch=${name}`, '--output-watch-events'], { kubeconfig: cluster.kubeconfigPath });
    try {
      // kubectl says nothing until the first event; give it its initial list first.
      await new Promise((r) => setTimeout(r, 300));
      await ok(['create', '-f', '-'], configMap(name, { labels: { watch: name }, data: { a: '1' } }));
      await watcher.waitForOutput(new RegExp(`ADDED\\s+${name}\\s+1\\s+`));
      await ok(['patch', 'cm', name, '-p', '{"data":{"b":"2"}}']);
      await watcher.waitForOutput(new RegExp(`MODIFIED\\s+${name}\\s+2\\s+`));
      await ok(['delete', 'cm', name]);
      await watcher.waitForOutput(new RegExp(`DELETED\\s+${name}\\s+2\\s+`));
      assert.match(watcher.stdout, /^EVENT\s+NAME\s+DATA\s+AGE\n/);
    } finally {
      await watcher.stop();
    }
  });

  test('wait for a jsonpath condition and for deletion', async () => {
    const name = uniqueName('wait');
    await ok(['create', '-f', '-'], configMap(name, { data: { ready: 'no' } }));
    const waiting = k(['wait', `cm/${name}`, '--for=jsonpath={.data.ready}=yes', '--timeout=10s']);
    await new Promise((r) => setTimeout(r, 200));
    await ok(['patch', 'cm', name, '--type=merge', '-p', '{"data":{"ready":"yes"}}']);
    assert.equal((await waiting).stdout, `configmap/${name} condition met\n`);
    const gone = k(['wait', `cm/${name}`, '--for=delete', '--timeout=10s']);
    await new Promise((r) => setTimeout(r, 200));
    await ok(['delete', 'cm', name]);
    assert.equal((await gone).stdout, `configmap/${name} condition met\n`);
  });

  test('diff shows what apply would change; edit writes what the editor saved', async () => {
    const name = uniqueName('diff');
    await ok(['apply', '-f', '-'], configMap(name, { data: { a: '1' } }));
    assert.equal((await k(['diff', '-f', '-'], configMap(name, { data: { a: '1' } }))).code, 0);
    const changed = await k(['diff', '-f', '-'], configMap(name, { data: { a: '2' } }));
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^- {2}a: "1"$/m);
    assert.match(changed.stdout, /^\+ {2}a: "2"$/m);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.data.a}']), '1');

    const editor = file('editor.sh', '#!/bin/sh\nsed -i \'s/^  a: "1"$/  a: "edited"/\' "$1"\n');
    const r = await kubectl(['edit', 'cm', name], { kubeconfig: cluster.kubeconfigPath, env: { KUBE_EDITOR: `sh ${editor}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `configmap/${name} edited\n`);
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.data.a}']), 'edited');
  });

  test('unknown fields: strict by default, a warning with --validate=warn, dropped with --validate=ignore', async () => {
    const name = uniqueName('strict');
    const path = file(`${name}.yaml`, configMap(name, { data: { a: 'b' }, extra: 'spec:\n  x: 1' }));
    const strict = await failed(['create', '-f', path]);
    assert.equal(
      strict.stderr,
      `Error from server (BadRequest): error when creating "${path}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"\n`,
    );
    assert.equal((await failed(['get', 'cm', name])).code, 1);
    const warn = await k(['create', '-f', path, '--validate=warn']);
    assert.equal(warn.code, 0, warn.stderr);
    assert.equal(warn.stderr, 'Warning: unknown field "spec"\n');
    assert.equal(await ok(['get', 'cm', name, '-o', 'jsonpath={.spec}{.data.a}']), 'b');
    const quiet = uniqueName('strict');
    const ignored = await k(['create', '-f', '-', '--validate=ignore'], configMap(quiet, { extra: 'spec:\n  x: 1' }));
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.equal(ignored.stderr, '');
    assert.equal(await ok(['get', 'cm', quiet, '-o', 'jsonpath={.spec}']), '');
  });

  test('discovery: api-resources, api-versions, get --raw, explain, version', async () => {
    const resources = await ok(['api-resources']);
    assert.match(resources, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\n/);
    assert.match(resources, /\nconfigmaps\s+cm\s+v1\s+true\s+ConfigMap\n/);
    assert.match(resources, /\nnamespaces\s+ns\s+v1\s+false\s+Namespace\n/);
    assert.match(await ok(['api-resources', '--namespaced=false', '-o', 'name']), /^namespaces\n/m);
    assert.match(await ok(['api-versions']), /^v1$/m);
    const api = JSON.parse(await ok(['get', '--raw', '/api']));
    assert.equal(api.kind, 'APIVersions');
    assert.deepEqual(api.versions, ['v1']);
    assert.equal(JSON.parse(await ok(['get', '--raw', '/apis'])).kind, 'APIGroupList');
    const list = JSON.parse(await ok(['get', '--raw', '/api/v1']));
    assert.equal(list.kind, 'APIResourceList');
    assert.ok(list.resources.some((r: { name: string }) => r.name === 'configmaps'));

    const explain = await ok(['explain', 'configmap', '--recursive']);
    assert.match(explain, /^KIND:\s+ConfigMap\nVERSION:\s+v1\n/);
    assert.match(explain, /\n {2}data\t<map\[string\]string>\n/);
    assert.match(explain, /\n {4}labels\t<map\[string\]string>\n/);
    assert.match(await ok(['explain', 'configmap.metadata.name']), /FIELD: name <string>/);

    const version = await ok(['version']);
    assert.match(version, /\nServer Version: v1\.32\.\d+/);
    assert.equal(JSON.parse(await ok(['version', '-o', 'json'])).serverVersion.minor, '32');
  });
});
