import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, parseKubeconfig, writeKubeconfig } from '../../../src/client/index.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBCA\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBCB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIBCC\n-----END PRIVATE KEY-----\n';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubeconfig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('what writeKubeconfig writes loads back to the same connection settings', (t) => {
  const path = join(tempDir(t), 'nested', 'kubeconfig.yaml');
  writeKubeconfig(path, { server: 'https://127.0.0.1:6443', contextName: 'k8ts', token: 'abc.def', caData: CA, certData: CERT, keyData: Buffer.from(KEY) });
  assert.equal(statSync(path).mode & 0o777, 0o600, 'credentials are readable by the owner only');
  const cfg = loadKubeconfig(path);
  assert.equal(cfg.contextName, 'k8ts');
  assert.equal(cfg.server, 'https://127.0.0.1:6443');
  assert.equal(cfg.token, 'abc.def');
  assert.equal(cfg.ca?.toString(), CA);
  assert.equal(cfg.cert?.toString(), CERT);
  assert.equal(cfg.key?.toString(), KEY);
  assert.equal(cfg.insecureSkipTlsVerify, false);
  assert.equal(cfg.namespace, 'default');
});

const haveKubectl = existsSync('/usr/bin/kubectl');

test('kubectl accepts the written kubeconfig', { skip: haveKubectl ? false : 'kubectl is not installed at /usr/bin/kubectl' }, (t) => {
  const path = join(tempDir(t), 'kubeconfig.yaml');
  writeKubeconfig(path, { server: 'https://10.0.0.1:6443', contextName: 'k8ts', token: 'tok', caData: CA, namespace: 'apps' });
  const view = JSON.parse(execFileSync('kubectl', ['config', 'view', '--kubeconfig', path, '--raw', '-o', 'json'], { encoding: 'utf8' }));
  assert.equal(view['current-context'], 'k8ts');
  assert.equal(view.clusters[0].name, 'k8ts');
  assert.equal(view.clusters[0].cluster.server, 'https://10.0.0.1:6443');
  assert.equal(Buffer.from(view.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), CA);
  assert.equal(view.users[0].user.token, 'tok');
  assert.deepEqual(view.contexts[0].context, { cluster: 'k8ts', user: 'k8ts', namespace: 'apps' });
  const current = execFileSync('kubectl', ['config', 'current-context', '--kubeconfig', path], { encoding: 'utf8' }).trim();
  assert.equal(current, 'k8ts');
  const ns = execFileSync('kubectl', ['config', 'view', '--kubeconfig', path, '--minify', '-o', 'jsonpath={..namespace}'], { encoding: 'utf8' });
  assert.equal(ns, 'apps');
});

test('file references resolve against the kubeconfig directory; a context can be chosen', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'ca.crt'), CA);
  writeFileSync(join(dir, 'token'), 'from-file\n');
  const doc = `
apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster:
    server: https://one:6443
    certificate-authority: ca.crt
    tls-server-name: kubernetes
- name: c2
  cluster:
    server: http://two:8080
    insecure-skip-tls-verify: true
users:
- name: u1
  user:
    tokenFile: token
- name: u2
  user:
    username: admin
    password: pw
contexts:
- name: one
  context: {cluster: c1, user: u1}
- name: two
  context: {cluster: c2, user: u2, namespace: kube-system}
`;
  const path = join(dir, 'config');
  writeFileSync(path, doc);
  const one = loadKubeconfig(path);
  assert.equal(one.server, 'https://one:6443');
  assert.equal(one.ca?.toString(), CA);
  assert.equal(one.token, 'from-file');
  assert.equal(one.tlsServerName, 'kubernetes');
  const two = loadKubeconfig(path, 'two');
  assert.equal(two.server, 'http://two:8080');
  assert.equal(two.insecureSkipTlsVerify, true);
  assert.equal(two.username, 'admin');
  assert.equal(two.password, 'pw');
  assert.equal(two.namespace, 'kube-system');
});

test('a kubeconfig without a usable current context is rejected with a clear message', () => {
  assert.throws(() => parseKubeconfig('apiVersion: v1\nkind: Config\n', '/'), /no current-context is set/);
  assert.throws(() => parseKubeconfig('current-context: x\ncontexts: []\n', '/'), /context "x" does not exist/);
  assert.throws(
    () => parseKubeconfig('current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\nclusters: []\n', '/'),
    /cluster "c" of context "x" does not exist/,
  );
});
