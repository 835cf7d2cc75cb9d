// Chapter 6, configuration: ConfigMaps and Secrets made every way the books make them, and pods
// that use them through env, envFrom and volumes (scenarios 39 and 40), on a one-node cluster.
// What a container would see (the variables, the files, updates reaching mounted files, a pod held
// back by a missing Secret) needs real containers: here the pods run on simulated nodes, and what
// the user can check is what kubectl shows of the objects and of the pods' wiring.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { kubectlSkip } from '../support/kubectl.js';
import { eventually, tableRows, tutorialCluster } from './support.js';

const { k, file, path } = tutorialCluster({ nodes: 1 });

const base64 = (s: string) => Buffer.from(s).toString('base64');
const decoded = (s: string) => Buffer.from(s, 'base64').toString();

/**
 * The `key: N bytes` lines of `describe secret` after its Type line, sorted: kubectl walks the
 * data map in Go's random order.
 */
function dataSizes(described: string, type: string): string[] {
  const m = described.match(/^Type:\s+(\S+)\n\nData\n====\n((?:\S+:\s+\d+ bytes\n)*)$/m);
  assert.ok(m, described);
  assert.equal(m[1], type);
  return m[2].split('\n').filter(Boolean).map((l) => l.replace(/:\s+/, ': ')).sort();
}

/** Waits for the pod to be Running and returns `describe pod`. */
async function describeRunning(name: string): Promise<string> {
  await eventually(async () => tableRows(await k.ok('get', 'pod', name))[0]?.STATUS === 'Running', 20_000, 100);
  return k.ok('describe', 'pod', name);
}

describe('39: ConfigMaps', { skip: kubectlSkip }, () => {
  test('39: a ConfigMap from YAML, described key by key', async () => {
    assert.equal(
      await k.apply(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: fortune-config
data:
  sleep-interval: "25"
  my-nginx-config.conf: |
    server {
      listen 80;
    }
`),
      'configmap/fortune-config created\n',
    );
    const row = tableRows(await k.ok('get', 'configmaps')).find((r) => r.NAME === 'fortune-config');
    assert.equal(row?.DATA, '2');
    const d = await k.ok('describe', 'configmap', 'fortune-config');
    const [head, data] = d.split('\nData\n====\n');
    assert.equal(head, 'Name:         fortune-config\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n');
    assert.ok(data.endsWith('\nBinaryData\n====\n\nEvents:  <none>\n'), d);
    // One block per key, `key:`, a rule, the value; kubectl 1.32 walks the map in Go's random order.
    const blocks = data.slice(0, data.indexOf('\nBinaryData\n')).split(/\n\n(?=\S+:\n----\n)/);
    assert.deepEqual(blocks.map((b) => b.trimEnd()).sort(), ['my-nginx-config.conf:\n----\nserver {\n  listen 80;\n}', 'sleep-interval:\n----\n25']);
  });

  test('39: create configmap --from-literal, --from-file (key = file name, or given) and --from-env-file', async () => {
    assert.equal(await k.ok('create', 'configmap', 'literals', '--from-literal=sleep-interval=25', '--from-literal=mode=fast'), 'configmap/literals created\n');
    assert.equal(await k.ok('get', 'configmap', 'literals', '-o', 'jsonpath={.data}'), '{"mode":"fast","sleep-interval":"25"}');

    const conf = file('my-nginx-config.conf', 'server {\n  listen 80;\n}\n');
    assert.equal(await k.ok('create', 'configmap', 'from-files', `--from-file=${conf}`, `--from-file=custom.conf=${conf}`), 'configmap/from-files created\n');
    const fromFiles = JSON.parse(await k.ok('get', 'configmap', 'from-files', '-o', 'json'));
    assert.deepEqual(fromFiles.data, { 'custom.conf': 'server {\n  listen 80;\n}\n', 'my-nginx-config.conf': 'server {\n  listen 80;\n}\n' });

    // A directory: one key per file in it.
    const dir = path('config-dir');
    mkdirSync(dir);
    file('config-dir/sleep-interval', '25');
    file('config-dir/greeting.txt', 'hello\n');
    assert.equal(await k.ok('create', 'configmap', 'from-dir', `--from-file=${dir}`), 'configmap/from-dir created\n');
    assert.equal(await k.ok('get', 'configmap', 'from-dir', '-o', 'jsonpath={.data}'), '{"greeting.txt":"hello\\n","sleep-interval":"25"}');

    // An env file: KEY=value lines; comments and blank lines are skipped.
    const env = file('app.env', '# settings of the app\nLOG_LEVEL=debug\nMODE=production\n\nEMPTY=\n');
    assert.equal(await k.ok('create', 'configmap', 'from-env', `--from-env-file=${env}`), 'configmap/from-env created\n');
    assert.equal(await k.ok('get', 'configmap', 'from-env', '-o', 'jsonpath={.data}'), '{"EMPTY":"","LOG_LEVEL":"debug","MODE":"production"}');

    const rows = new Map(tableRows(await k.ok('get', 'cm')).map((r) => [r.NAME, r.DATA]));
    assert.deepEqual(
      ['literals', 'from-files', 'from-dir', 'from-env', 'kube-root-ca.crt'].map((n) => rows.get(n)),
      ['2', '2', '2', '3', '1'],
    );
  });

  test('39: bad keys are refused with the field path, and nothing is created', async () => {
    const client = await k.run('create', 'configmap', 'bad-keys', '--from-literal=bad key=1');
    assert.equal(client.code, 1);
    assert.match(client.stderr, /^error: "bad key" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/);
    const bad = await k.run(
      'apply',
      '-f',
      file(
        'bad-configmap.yaml',
        `apiVersion: v1
kind: ConfigMap
metadata:
  name: bad-keys
data:
  bad key: "1"
  shared: "2"
binaryData:
  shared: YQ==
`,
      ),
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^The ConfigMap "bad-keys" is invalid: $/m);
    assert.match(bad.stderr, /^\* data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/m);
    assert.match(bad.stderr, /^\* data\[shared\]: Invalid value: "shared": duplicate of key present in binaryData$/m);
    assert.equal((await k.run('get', 'configmap', 'bad-keys')).stderr, 'Error from server (NotFound): configmaps "bad-keys" not found\n');
  });

  test('39: a pod takes a key as env (configMapKeyRef), all keys with a prefix (envFrom), and keys as files (items, subPath)', async () => {
    assert.equal(
      await k.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: fortune-configmap-volume
spec:
  containers:
  - name: html-generator
    image: hello
    env:
    - name: INTERVAL
      valueFrom:
        configMapKeyRef: {name: fortune-config, key: sleep-interval}
    envFrom:
    - prefix: CONFIG_
      configMapRef: {name: from-env}
    - configMapRef: {name: not-made-yet, optional: true}
  - name: web-server
    image: hello
    volumeMounts:
    - {name: config, mountPath: /etc/nginx/conf.d, readOnly: true}
    - {name: config, mountPath: /etc/app/interval, subPath: interval}
  volumes:
  - name: config
    configMap:
      name: fortune-config
      defaultMode: 0660
      items:
      - {key: my-nginx-config.conf, path: gzip.conf}
      - {key: sleep-interval, path: interval}
`),
      'pod/fortune-configmap-volume created\n',
    );
    const d = await describeRunning('fortune-configmap-volume');
    assert.match(
      d,
      /^  html-generator:\n(?: {4}.*\n)*? {4}Environment Variables from:\n {6}from-env\s+ConfigMap with prefix 'CONFIG_'\s+Optional: false\n {6}not-made-yet\s+ConfigMap\s+Optional: true\n {4}Environment:\n {6}INTERVAL:\s+<set to the key 'sleep-interval' of config map 'fortune-config'>\s+Optional: false\n/m,
    );
    assert.match(d, /^ {4}Mounts:\n {6}\/etc\/app\/interval from config \(rw,path="interval"\)\n {6}\/etc\/nginx\/conf\.d from config \(ro\)\n/m);
    assert.match(d, /^Volumes:\n {2}config:\n {4}Type:\s+ConfigMap \(a volume populated by a ConfigMap\)\n {4}Name:\s+fortune-config\n {4}Optional:\s+false\n/m);
    assert.equal(
      await k.ok('get', 'pod', 'fortune-configmap-volume', '-o', 'jsonpath={.spec.volumes[0].configMap.defaultMode} {.spec.volumes[0].configMap.items[*].path}'),
      '432 gzip.conf interval',
    );
  });

  test('39: references the API server refuses: a key-less configMapKeyRef, a path with .., a mount of no volume', async () => {
    const r = await k.run(
      'apply',
      '-f',
      file(
        'bad-pod.yaml',
        `apiVersion: v1
kind: Pod
metadata:
  name: bad-config-use
spec:
  containers:
  - name: app
    image: hello
    env:
    - name: INTERVAL
      valueFrom:
        configMapKeyRef: {name: fortune-config}
    volumeMounts:
    - {name: config, mountPath: /etc/config}
  volumes:
  - name: config
    configMap:
      name: fortune-config
      items:
      - {key: sleep-interval, path: ../interval}
`,
      ),
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'The Pod "bad-config-use" is invalid: ',
        `* spec.volumes[0].configMap.items[0].path: Invalid value: "../interval": must not contain '..'`,
        '* spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value',
        '* spec.containers[0].volumeMounts[0].name: Not found: "config"',
        '',
      ].join('\n'),
    );
    assert.equal((await k.run('get', 'pod', 'bad-config-use')).code, 1);
  });

  test('39: apply of a changed ConfigMap says configured; an immutable one refuses changes', async () => {
    const manifest = file('fortune-config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fortune-config\ndata:\n  sleep-interval: "5"\n');
    assert.equal(await k.ok('apply', '-f', manifest), 'configmap/fortune-config configured\n');
    assert.equal(await k.ok('get', 'configmap', 'fortune-config', '-o', 'jsonpath={.data}'), '{"sleep-interval":"5"}');
    // The pod that uses it keeps running; that its mounted files change needs a real container to see.
    assert.equal(tableRows(await k.ok('get', 'pod', 'fortune-configmap-volume'))[0].STATUS, 'Running');

    await k.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\ndata:\n  a: "1"\nimmutable: true\n');
    const changed = await k.run('patch', 'configmap', 'frozen', '-p', '{"data":{"a":"2"}}');
    assert.equal(changed.code, 1);
    assert.equal(changed.stderr, 'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set\n');
    const thawed = await k.run('patch', 'configmap', 'frozen', '-p', '{"immutable":false}');
    assert.equal(thawed.stderr, 'The ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set\n');
    assert.equal(await k.ok('get', 'configmap', 'frozen', '-o', 'jsonpath={.data.a} {.immutable}'), '1 true');
  });
});

describe('40: Secrets', { skip: kubectlSkip }, () => {
  test('40: create secret generic: values are stored base64 and describe shows only their sizes', async () => {
    assert.equal(await k.ok('create', 'secret', 'generic', 'db-user', '--from-literal=username=admin', '--from-literal=password=s3cr=t!'), 'secret/db-user created\n');
    const [row] = tableRows(await k.ok('get', 'secrets', 'db-user'));
    assert.deepEqual([row.NAME, row.TYPE, row.DATA], ['db-user', 'Opaque', '2']);
    const data = JSON.parse(await k.ok('get', 'secret', 'db-user', '-o', 'jsonpath={.data}'));
    assert.deepEqual(data, { password: base64('s3cr=t!'), username: base64('admin') });
    const d = await k.ok('describe', 'secret', 'db-user');
    assert.deepEqual(dataSizes(d, 'Opaque'), ['password: 7 bytes', 'username: 5 bytes']);
    assert.doesNotMatch(d, /s3cr=t!|admin/);
    const again = await k.run('create', 'secret', 'generic', 'db-user', '--from-literal=a=b');
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'error: failed to create secret secrets "db-user" already exists\n');
  });

  test('40: data takes base64, stringData takes plain text and is never shown back', async () => {
    assert.equal(
      await k.apply(`
apiVersion: v1
kind: Secret
metadata:
  name: mixed
type: Opaque
data:
  user: ${base64('admin')}
  token: ${base64('from-data')}
stringData:
  password: hunter2
  token: from-stringData
`),
      'secret/mixed created\n',
    );
    const secret = JSON.parse(await k.ok('get', 'secret', 'mixed', '-o', 'json'));
    assert.equal(secret.stringData, undefined);
    // stringData is merged into data, winning over the same key there.
    assert.deepEqual(Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([key, v]) => [key, decoded(v)])), {
      password: 'hunter2',
      token: 'from-stringData',
      user: 'admin',
    });
    assert.doesNotMatch(await k.ok('get', 'secret', 'mixed', '-o', 'yaml'), /^stringData:/m);

    const bad = await k.run('apply', '-f', file('bad-secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: not-base64\ndata:\n  user: not-base64!\n'));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error from server \(BadRequest\): error when creating ".*bad-secret\.yaml": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte \d+$/m);
    assert.equal((await k.run('get', 'secret', 'not-base64')).code, 1);
  });

  test('40: create secret tls makes a kubernetes.io/tls Secret; one without tls.key is Invalid', async (t) => {
    if (spawnSync('openssl', ['version']).error) return t.skip('openssl is not installed');
    const key = path('tls.key');
    const cert = path('tls.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=www.example.test'], { stdio: 'ignore' });
    assert.equal(await k.ok('create', 'secret', 'tls', 'example-tls', `--cert=${cert}`, `--key=${key}`), 'secret/example-tls created\n');
    const [row] = tableRows(await k.ok('get', 'secret', 'example-tls'));
    assert.deepEqual([row.TYPE, row.DATA], ['kubernetes.io/tls', '2']);
    const sizes = dataSizes(await k.ok('describe', 'secret', 'example-tls'), 'kubernetes.io/tls');
    assert.deepEqual(sizes.map((l) => l.replace(/\d+/, 'N')), ['tls.crt: N bytes', 'tls.key: N bytes']);
    assert.match(decoded(await k.ok('get', 'secret', 'example-tls', '-o', 'jsonpath={.data.tls\\.crt}')), /^-----BEGIN CERTIFICATE-----\n/);

    const missing = await k.run('create', 'secret', 'tls', 'half-tls', `--cert=${cert}`);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: key and cert must be specified\n');
    const invalid = await k.run('apply', '-f', file('half-tls.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: half-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: not-really\n`));
    assert.equal(invalid.code, 1);
    assert.equal(invalid.stderr, 'The Secret "half-tls" is invalid: data[tls.key]: Required value\n');
  });

  test('40: create secret docker-registry makes a .dockerconfigjson that imagePullSecrets names', async () => {
    assert.equal(
      await k.ok('create', 'secret', 'docker-registry', 'registry-login', '--docker-server=registry.example.test', '--docker-username=reader', '--docker-password=pa55', '--docker-email=reader@example.test'),
      'secret/registry-login created\n',
    );
    const [row] = tableRows(await k.ok('get', 'secret', 'registry-login'));
    assert.deepEqual([row.TYPE, row.DATA], ['kubernetes.io/dockerconfigjson', '1']);
    const config = JSON.parse(decoded(await k.ok('get', 'secret', 'registry-login', '-o', 'jsonpath={.data.\\.dockerconfigjson}')));
    assert.deepEqual(config, {
      auths: { 'registry.example.test': { username: 'reader', password: 'pa55', email: 'reader@example.test', auth: base64('reader:pa55') } },
    });
    const wrongType = await k.run('apply', '-f', file('bad-registry.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad-registry\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  config.json: "{}"\n`));
    assert.equal(wrongType.code, 1);
    assert.match(wrongType.stderr, /^The Secret "bad-registry" is invalid: data\[\.dockerconfigjson\]: Required value$/m);

    await k.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: private-image
spec:
  imagePullSecrets:
  - name: registry-login
  containers:
  - name: app
    image: registry.example.test/private/hello:1.0
`);
    await describeRunning('private-image');
    assert.equal(await k.ok('get', 'pod', 'private-image', '-o', 'jsonpath={.spec.imagePullSecrets[0].name}'), 'registry-login');
  });

  test('40: a pod takes a Secret key as env (secretKeyRef), all keys (envFrom) and files (a secret volume)', async () => {
    await k.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: uses-secrets
spec:
  containers:
  - name: app
    image: hello
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db-user, key: password}
    envFrom:
    - secretRef: {name: mixed}
    volumeMounts:
    - {name: certs, mountPath: /etc/certs, readOnly: true}
  volumes:
  - name: certs
    secret:
      secretName: db-user
      defaultMode: 0400
      items:
      - {key: password, path: db/password}
`);
    const d = await describeRunning('uses-secrets');
    assert.match(d, /^ {4}Environment Variables from:\n {6}mixed\s+Secret\s+Optional: false\n {4}Environment:\n {6}DB_PASSWORD:\s+<set to the key 'password' in secret 'db-user'>\s+Optional: false\n/m);
    assert.match(d, /^ {6}\/etc\/certs from certs \(ro\)$/m);
    assert.match(d, /^ {2}certs:\n {4}Type:\s+Secret \(a volume populated by a Secret\)\n {4}SecretName:\s+db-user\n {4}Optional:\s+false\n/m);
    assert.doesNotMatch(d, /s3cr=t!/, 'describe never shows secret values');
    assert.equal(await k.ok('get', 'pod', 'uses-secrets', '-o', 'jsonpath={.spec.volumes[0].secret.defaultMode}'), '256');

    const noName = await k.run('apply', '-f', file('no-secret-name.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: no-secret-name\nspec:\n  containers:\n  - name: app\n    image: hello\n  volumes:\n  - name: certs\n    secret: {}\n`));
    assert.equal(noName.code, 1);
    assert.equal(noName.stderr, 'The Pod "no-secret-name" is invalid: spec.volumes[0].secret.secretName: Required value\n');
  });
});
