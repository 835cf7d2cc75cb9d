// Bodies kubectl 1.32 really sends as protobuf decode to the JSON the same command would send.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isStatusError } from '../../../src/api/meta/status.js';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { builtinResources } from '../../../src/api/resources/index.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import { decodeProtobufBody, decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from '../../../src/api/schema/protobuf.js';
import { KubectlCapture, kubectlMissing } from './kubectl.js';

const registry = new ResourceRegistry(metaDefinitions);
for (const r of builtinResources) registry.add(r);
const defs = registry.definitions;

/** JSON null means "unset" to the server (kubectl prints `creationTimestamp: null`), as absence does. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

describe('kubectl protobuf bodies', { skip: kubectlMissing }, () => {
  const kubectl = new KubectlCapture();
  before(() => kubectl.start());
  after(() => kubectl.stop());

  /** Creates with kubectl, decodes the captured body and compares it with the client-side dry run. */
  async function assertDecodesLikeDryRun(args: string[], schemaName: string): Promise<Record<string, unknown>> {
    const sent = await kubectl.capture(args);
    assert.equal(sent.contentType, PROTOBUF_CONTENT_TYPE);
    const decoded = decodeProtobufBody(sent.body, defs, schemaName) as Record<string, unknown>;
    assert.deepEqual(decoded, withoutNulls(await kubectl.dryRun(args)));
    return decoded;
  }

  test('create configmap: literals, a text file and a binary file', async () => {
    const text = kubectl.file('app.properties', 'mode=fast\nlevel=3\n');
    const binary = kubectl.file('blob.bin', Uint8Array.from([0xff, 0x00, 0xfe, 0x10, 0x80]));
    const cm = await assertDecodesLikeDryRun(
      ['create', 'configmap', 'settings', '--from-literal=a=b', '--from-literal=empty=', `--from-file=${text}`, `--from-file=${binary}`],
      'io.k8s.api.core.v1.ConfigMap',
    );
    assert.deepEqual(cm.data, { a: 'b', empty: '', 'app.properties': 'mode=fast\nlevel=3\n' });
    assert.deepEqual(cm.binaryData, { 'blob.bin': Buffer.from([0xff, 0x00, 0xfe, 0x10, 0x80]).toString('base64') });
    assert.deepEqual(cm.metadata, { name: 'settings' });
  });

  test('create configmap --save-config carries the last-applied annotation', async () => {
    const cm = await assertDecodesLikeDryRun(['create', 'configmap', 'saved', '--from-literal=k=v', '--save-config'], 'io.k8s.api.core.v1.ConfigMap');
    const annotations = (cm.metadata as { annotations: Record<string, string> }).annotations;
    assert.deepEqual(JSON.parse(annotations['kubectl.kubernetes.io/last-applied-configuration']).data, { k: 'v' });
  });

  test('create secret generic with a type and an empty value', async () => {
    const secret = await assertDecodesLikeDryRun(
      ['create', 'secret', 'generic', 'creds', '--type=kubernetes.io/basic-auth', '--from-literal=username=admin', '--from-literal=password='],
      'io.k8s.api.core.v1.Secret',
    );
    assert.equal(secret.type, 'kubernetes.io/basic-auth');
    assert.deepEqual(secret.data, { username: Buffer.from('admin').toString('base64'), password: '' });
  });

  test('create secret docker-registry', async () => {
    const secret = await assertDecodesLikeDryRun(
      ['create', 'secret', 'docker-registry', 'pull', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p'],
      'io.k8s.api.core.v1.Secret',
    );
    assert.equal(secret.type, 'kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from((secret.data as Record<string, string>)['.dockerconfigjson'], 'base64').toString());
    assert.equal(config.auths['registry.example'].username, 'u');
  });

  test('create namespace: empty spec and status stay, as in JSON', async () => {
    const ns = await assertDecodesLikeDryRun(['create', 'namespace', 'team-a'], 'io.k8s.api.core.v1.Namespace');
    assert.deepEqual(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: {}, status: {} });
  });

  test('the envelope names the kind; without a root the definition is found by it', async () => {
    const sent = await kubectl.capture(['create', 'configmap', 'found', '--from-literal=x=y']);
    const { apiVersion, kind, object } = decodeProtobufObject(sent.body, defs);
    assert.equal(apiVersion, 'v1');
    assert.equal(kind, 'ConfigMap');
    assert.deepEqual(object.data, { x: 'y' });
  });

  test('a body of another kind than the endpoint expects is a 400', async () => {
    const sent = await kubectl.capture(['create', 'configmap', 'wrong', '--from-literal=x=y']);
    assert.throws(
      () => decodeProtobufBody(sent.body, defs, 'io.k8s.api.core.v1.Secret'),
      (err: unknown) =>
        isStatusError(err, 'BadRequest') &&
        err.code === 400 &&
        err.message === 'ConfigMap in version "v1" cannot be handled as a Secret: the kind in the data does not match the expected kind',
    );
  });
});
