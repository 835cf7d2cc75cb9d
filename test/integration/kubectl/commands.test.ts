// Real kubectl 1.32 commands that change objects, over workload and config kinds: apply in all
// its forms, label/annotate, the three patch types, replace, edit, set, scale, delete, wait, diff.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectlSkip, kubectlStart } from '../../support/kubectl.js';
import { fixturePath } from '../../fixtures/manifests/index.js';
import { startSession, until, type KubectlSession } from './support.js';

const fixture = (file: string) => readFileSync(fixturePath(file), 'utf8');

describe('kubectl commands that change objects', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  /** A fresh namespace per test, so tests run side by side. */
  const namespace = async (name: string) => {
    await s.ok(['create', 'namespace', name]);
    return name;
  };

  before(async () => {
    s = await startSession({ nodes: 1 });
  });
  after(async () => {
    await s.stop();
  });

  describe('apply', { concurrency: 3 }, () => {
    test('a directory, multi-document YAML with comments and empty documents', async () => {
      const ns = await namespace('apply-dir');
      const dir = join(s.dir, 'app');
      mkdirSync(dir);
      writeFileSync(join(dir, 'a-config.yaml'), `# settings first\n---\n${fixture('configmaps.yaml')}---\n---\n# the workload\n${fixture('deployments.yaml')}`);
      writeFileSync(join(dir, 'b-service.yaml'), fixture('services.yaml'));
      writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
      assert.equal(await s.ok(['apply', '-f', dir, '-n', ns]), 'configmap/settings created\ndeployment.apps/frontend created\nservice/web created\n');
      assert.equal(await s.ok(['apply', '-f', dir, '-n', ns]), 'configmap/settings unchanged\ndeployment.apps/frontend unchanged\nservice/web unchanged\n');
      writeFileSync(join(dir, 'b-service.yaml'), fixture('services.yaml').replace('port: 80', 'port: 8081'));
      assert.equal(await s.ok(['apply', '-f', dir, '-n', ns]), 'configmap/settings unchanged\ndeployment.apps/frontend unchanged\nservice/web configured\n');
      assert.equal(await s.ok(['get', 'svc', 'web', '-n', ns, '-o', 'jsonpath={.spec.ports[0].port}']), '8081');
      const exists = await s.failed(['create', '-f', join(dir, 'b-service.yaml'), '-n', ns]);
      assert.equal(exists.stderr, `Error from server (AlreadyExists): error when creating "${join(dir, 'b-service.yaml')}": services "web" already exists\n`);
    });

    test('-k runs a kustomization (namespace, name prefix, common labels, generators)', async () => {
      const ns = await namespace('apply-kustomize');
      const dir = join(s.dir, 'kustomize');
      mkdirSync(dir);
      writeFileSync(join(dir, 'deployment.yaml'), fixture('deployments.yaml'));
      writeFileSync(join(dir, 'service.yaml'), fixture('services.yaml'));
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          `namespace: ${ns}`,
          'namePrefix: prod-',
          'labels:',
          '- pairs:',
          '    env: prod',
          'resources:',
          '- deployment.yaml',
          '- service.yaml',
          'configMapGenerator:',
          '- name: settings',
          '  literals:',
          '  - mode=prod',
          'generatorOptions:',
          '  disableNameSuffixHash: true',
          '',
        ].join('\n'),
      );
      assert.equal(await s.ok(['apply', '-k', dir]), 'configmap/prod-settings created\nservice/prod-web created\ndeployment.apps/prod-frontend created\n');
      assert.equal(await s.ok(['get', 'deploy,svc,cm', '-n', ns, '-l', 'env=prod', '-o', 'name']), 'deployment.apps/prod-frontend\nservice/prod-web\nconfigmap/prod-settings\n');
      assert.equal(await s.ok(['delete', '-k', dir]), 'configmap "prod-settings" deleted\nservice "prod-web" deleted\ndeployment.apps "prod-frontend" deleted\n');
    });

    test('--prune -l removes what left the set; dry runs write nothing', async () => {
      const ns = await namespace('apply-prune');
      const docs = [fixture('configmaps.yaml'), fixture('deployments.yaml').replace('  labels:\n    app: frontend\nspec', '  labels:\n    app: web\nspec')];
      const both = s.file('prune-both.yaml', docs.join('---\n'));
      const one = s.file('prune-one.yaml', docs[0]);
      assert.equal(await s.ok(['apply', '-f', both, '-n', ns, '--dry-run=server']), 'configmap/settings created (server dry run)\ndeployment.apps/frontend created (server dry run)\n');
      assert.equal(await s.ok(['apply', '-f', both, '-n', ns, '--dry-run=client']), 'configmap/settings created (dry run)\ndeployment.apps/frontend created (dry run)\n');
      assert.equal((await s.k(['get', 'cm,deploy', '-n', ns, '-l', 'app=web', '-o', 'name'])).stdout, '');
      assert.equal(await s.ok(['apply', '-f', both, '-n', ns]), 'configmap/settings created\ndeployment.apps/frontend created\n');
      const pruned = await s.ok(['apply', '-f', one, '-n', ns, '--prune', '-l', 'app=web', '--prune-allowlist=core/v1/ConfigMap', '--prune-allowlist=apps/v1/Deployment']);
      assert.equal(pruned, 'configmap/settings unchanged\ndeployment.apps/frontend pruned\n');
      assert.equal(await s.ok(['get', 'cm,deploy', '-n', ns, '-l', 'app=web', '-o', 'name']), 'configmap/settings\n');
    });

    test('diff shows what apply would change on a Deployment and exits 1', async () => {
      const ns = await namespace('apply-diff');
      const path = s.file('diff.yaml', fixture('deployments.yaml'));
      await s.ok(['apply', '-f', path, '-n', ns]);
      assert.equal((await s.k(['diff', '-f', path, '-n', ns])).code, 0);
      writeFileSync(path, fixture('deployments.yaml').replace('hello:1.0', 'hello:2.0').replace('replicas: 2', 'replicas: 4'));
      const changed = await s.k(['diff', '-f', path, '-n', ns]);
      assert.equal(changed.code, 1, changed.stderr);
      assert.match(changed.stdout, /^-  replicas: 2\n\+  replicas: 4$/m);
      assert.match(changed.stdout, /^-      - image: registry\.example\/hello:1\.0\n\+      - image: registry\.example\/hello:2\.0$/m);
      assert.match(changed.stdout, /^-  generation: 1\n\+  generation: 2$/m);
      assert.equal(await s.ok(['get', 'deploy', 'frontend', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '2');
    });

    test('empty values come back as Go writes them: omitempty zeros gone, replicas: 0 kept', async () => {
      const ns = await namespace('apply-empty-values');
      const manifest = (labels: string, env: string) =>
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          `metadata: {name: empty-values${labels}}`,
          'spec:',
          '  replicas: 0',
          '  selector: {matchLabels: {app: empty-values}}',
          '  template:',
          '    metadata: {labels: {app: empty-values}}',
          '    spec:',
          `      containers: [{name: app, image: nginx, ${env}}]`,
          '',
        ].join('\n');
      const path = s.file('empty-values.yaml', manifest(', labels: {}', 'workingDir: "", env: [{name: EMPTY, value: ""}, {name: SET, value: x}]'));
      assert.equal(await s.ok(['apply', '-f', path, '-n', ns]), 'deployment.apps/empty-values created\n');
      const yaml = await s.ok(['get', 'deploy', 'empty-values', '-n', ns, '-o', 'yaml']);
      const spec = yaml.slice(yaml.indexOf('\nspec:'));
      assert.match(spec, /\n {2}replicas: 0\n/);
      assert.match(spec, /\n {6}- env:\n {8}- name: EMPTY\n {8}- name: SET\n {10}value: x\n/);
      assert.doesNotMatch(spec, /value: ""|workingDir|labels: \{\}/);
      const version = await s.ok(['get', 'deploy', 'empty-values', '-n', ns, '-o', 'jsonpath={.metadata.resourceVersion}']);
      // The three-way patch puts `value: ""` back each time and the server drops it again: upstream's
      // kubectl says "configured" too (kubernetes/kubernetes#114777), and nothing is written.
      assert.equal(await s.ok(['apply', '-f', path, '-n', ns]), 'deployment.apps/empty-values configured\n');
      assert.equal(await s.ok(['get', 'deploy', 'empty-values', '-n', ns, '-o', 'jsonpath={.metadata.resourceVersion}']), version);
      assert.equal((await s.k(['diff', '-f', path, '-n', ns])).code, 0);
      // Without the empty values, the manifest says what the server holds: apply settles to unchanged.
      writeFileSync(path, manifest('', 'env: [{name: EMPTY}, {name: SET, value: x}]'));
      assert.equal(await s.ok(['apply', '-f', path, '-n', ns]), 'deployment.apps/empty-values configured\n');
      assert.equal(await s.ok(['apply', '-f', path, '-n', ns]), 'deployment.apps/empty-values unchanged\n');
      assert.equal(await s.ok(['get', 'deploy', 'empty-values', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '0');
    });
  });

  describe('changing objects in place', { concurrency: 3 }, () => {
    test('label and annotate a Node, a Pod and a Deployment; --overwrite and removal', async () => {
      const ns = await namespace('label');
      await s.ok(['apply', '-f', fixturePath('pods.yaml'), '-f', fixturePath('deployments.yaml'), '-n', ns]);
      assert.equal(await s.ok(['label', 'node', 'k8ts-node-1', 'os=centos']), 'node/k8ts-node-1 labeled\n');
      assert.equal(await s.ok(['get', 'nodes', '-l', 'os=centos', '-o', 'name']), 'node/k8ts-node-1\n');
      assert.equal(await s.ok(['label', 'node', 'k8ts-node-1', 'os-']), 'node/k8ts-node-1 unlabeled\n');
      assert.equal(await s.ok(['label', 'pods', 'web', 'version=1.0.0', '-n', ns]), 'pod/web labeled\n');
      const refused = await s.failed(['label', 'pods', 'web', 'version=2.0.0', '-n', ns]);
      assert.equal(refused.stderr, "error: 'version' already has a value (1.0.0), and --overwrite is false\n");
      assert.equal(await s.ok(['label', 'pods', 'web', 'version=2.0.0', '--overwrite', '-n', ns]), 'pod/web labeled\n');
      assert.equal(await s.ok(['label', 'deploy', 'frontend', 'tier=web', '-n', ns]), 'deployment.apps/frontend labeled\n');
      assert.equal(await s.ok(['annotate', 'deploy', 'frontend', 'kubernetes.io/change-cause=first', '-n', ns]), 'deployment.apps/frontend annotated\n');
      assert.equal(await s.ok(['annotate', 'pods', '-l', 'tier=front', 'checked=yes', '-n', ns]), 'pod/web annotated\n');
      assert.equal(await s.ok(['get', 'pod', 'web', '-n', ns, '-o', 'jsonpath={.metadata.labels.version} {.metadata.annotations.checked}']), '2.0.0 yes');
      const invalid = await s.failed(['label', 'pods', 'web', 'bad key=x', '-n', ns]);
      assert.equal(
        invalid.stderr,
        `The Pod "web" is invalid: metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n`,
      );
      // kubectl 1.32 checks label values itself; the server's own check shows through a patch.
      const badValue = await s.failed(['label', 'pods', 'web', `v=${'x'.repeat(64)}`, '-n', ns]);
      assert.equal(badValue.stderr, `error: invalid label value: "v=${'x'.repeat(64)}": must be no more than 63 characters\n`);
      const badPatch = await s.failed(['patch', 'pod', 'web', '-n', ns, '-p', JSON.stringify({ metadata: { labels: { v: 'x'.repeat(64) } } })]);
      assert.match(badPatch.stderr, /The Pod "web" is invalid: metadata\.labels: Invalid value: "x{64}": must be no more than 63 characters/);
    });

    test('patch a Deployment with strategic, merge and json patches', async () => {
      const ns = await namespace('patch');
      await s.ok(['apply', '-f', fixturePath('deployments.yaml'), '-n', ns]);
      const strategic = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"registry.example/proxy:1"}]}}}}';
      assert.equal(await s.ok(['patch', 'deploy', 'frontend', '-n', ns, '-p', strategic]), 'deployment.apps/frontend patched\n');
      // Upstream's strategic merge (normalizeElementOrder/mergeSortedSlice) puts an item only in the patch before the live ones.
      assert.equal(await s.ok(['get', 'deploy', 'frontend', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[*].name}']), 'sidecar web');
      assert.equal(await s.ok(['patch', 'deploy', 'frontend', '-n', ns, '--type=merge', '-p', '{"spec":{"replicas":3}}']), 'deployment.apps/frontend patched\n');
      assert.equal(await s.ok(['patch', 'deploy', 'frontend', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/0"}]']), 'deployment.apps/frontend patched\n');
      // "(no change)" compares kubectl's read with the reply: let the controller finish writing status first.
      await s.ok(['rollout', 'status', 'deploy/frontend', '-n', ns, '--timeout=30s']);
      assert.equal(await s.ok(['patch', 'deploy', 'frontend', '-n', ns, '--type=merge', '-p', '{"spec":{"replicas":3}}']), 'deployment.apps/frontend patched (no change)\n');
      assert.equal(await s.ok(['get', 'deploy', 'frontend', '-n', ns, '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[*].name} {.metadata.generation}']), '3 web 4');
      const invalid = await s.failed(['patch', 'deploy', 'frontend', '-n', ns, '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
      assert.equal(invalid.stderr, 'The Deployment "frontend" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
      const immutable = await s.failed(['patch', 'deploy', 'frontend', '-n', ns, '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"app":"other"}}}}']);
      // As upstream's ValidateDeploymentUpdate: the spec's own errors first, then the selector's immutability.
      // (Upstream prints the bad values with Go's %#v, `map[string]string{"app":"frontend"}`; k8ts prints JSON.)
      assert.match(immutable.stderr, /^The Deployment "frontend" is invalid: \n\* spec\.template\.metadata\.labels: Invalid value: .*: `selector` does not match template `labels`\n\* spec\.selector: Invalid value: .*field is immutable/);
      const node = await s.ok(['patch', 'node', 'k8ts-node-1', '-p', '{"spec":{"unschedulable":true}}']);
      assert.equal(node, 'node/k8ts-node-1 patched\n');
      assert.equal(await s.ok(['patch', 'node', 'k8ts-node-1', '--type=json', '-p', '[{"op":"remove","path":"/spec/unschedulable"}]']), 'node/k8ts-node-1 patched\n');
    });

    test('replace a Service and a ConfigMap; replace --force recreates', async () => {
      const ns = await namespace('replace');
      await s.ok(['create', '-f', fixturePath('services.yaml'), '-f', fixturePath('configmaps.yaml'), '-n', ns]);
      const svc = JSON.parse(await s.ok(['get', 'svc', 'web', '-n', ns, '-o', 'json']));
      svc.spec.ports[0].port = 8080;
      const path = s.file('replace-svc.json', JSON.stringify(svc));
      assert.equal(await s.ok(['replace', '-f', path]), 'service/web replaced\n');
      const after = JSON.parse(await s.ok(['get', 'svc', 'web', '-n', ns, '-o', 'json']));
      assert.equal(after.spec.ports[0].port, 8080);
      assert.equal(after.spec.clusterIP, svc.spec.clusterIP);
      const stale = await s.failed(['replace', '-f', path]);
      assert.match(stale.stderr, /^Error from server \(Conflict\): error when replacing ".*": Operation cannot be fulfilled on services "web": the object has been modified; please apply your changes to the latest version and try again\n$/);
      const uid = await s.ok(['get', 'cm', 'settings', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
      const forced = await s.ok(['replace', '--force', '-f', fixturePath('configmaps.yaml'), '-n', ns]);
      assert.equal(forced, 'configmap "settings" deleted\nconfigmap/settings replaced\n');
      assert.notEqual(await s.ok(['get', 'cm', 'settings', '-n', ns, '-o', 'jsonpath={.metadata.uid}']), uid);
    });

    test('edit with a scripted EDITOR saves a change, and reopens the file on an invalid one', async () => {
      const ns = await namespace('edit');
      await s.ok(['apply', '-f', fixturePath('deployments.yaml'), '-n', ns]);
      const editor = s.file('edit-image.sh', '#!/bin/sh\nsed -i "s#registry.example/hello:1.0#registry.example/hello:3.0#" "$1"\n');
      const r = await s.k(['edit', 'deploy', 'frontend', '-n', ns], undefined, { KUBE_EDITOR: `sh ${editor}` });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'deployment.apps/frontend edited\n');
      assert.equal(await s.ok(['get', 'deploy', 'frontend', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'registry.example/hello:3.0');
      const bad = s.file('edit-bad.sh', '#!/bin/sh\nsed -i "s#replicas: 2#replicas: -2#" "$1"\n');
      const invalid = await s.k(['edit', 'deploy', 'frontend', '-n', ns], undefined, { KUBE_EDITOR: `sh ${bad}` });
      assert.equal(invalid.code, 1);
      assert.match(invalid.stderr, /^error: deployments\.apps "frontend" is invalid$/m);
      assert.match(invalid.stderr, /A copy of your changes has been stored to/);
      const none = s.file('edit-none.sh', '#!/bin/sh\ntrue\n');
      const unchanged = await s.k(['edit', 'deploy', 'frontend', '-n', ns], undefined, { KUBE_EDITOR: `sh ${none}` });
      assert.equal(unchanged.stderr, 'Edit cancelled, no changes made.\n');
    });

    test('set image, env and resources; scale every scalable kind', async () => {
      const ns = await namespace('set');
      await s.ok(['apply', '-f', fixturePath('deployments.yaml'), '-f', fixturePath('statefulsets.yaml'), '-f', fixturePath('replicasets.yaml'), '-f', fixturePath('replicationcontrollers.yaml'), '-n', ns]);
      assert.equal(await s.ok(['set', 'image', 'deployment/frontend', 'web=registry.example/hello:2.0', '-n', ns]), 'deployment.apps/frontend image updated\n');
      assert.equal(await s.ok(['set', 'env', 'deployment/frontend', 'MODE=prod', 'LEVEL=3', '-n', ns]), 'deployment.apps/frontend env updated\n');
      assert.equal(await s.ok(['set', 'env', 'deployment/frontend', '--list', '-n', ns]), '# Deployment frontend, container web\nMODE=prod\nLEVEL=3\n');
      assert.equal(await s.ok(['set', 'env', 'deployment/frontend', 'LEVEL-', '-n', ns]), 'deployment.apps/frontend env updated\n');
      assert.equal(await s.ok(['set', 'resources', 'deployment/frontend', '-c', 'web', '--limits=cpu=200m,memory=128Mi', '-n', ns]), 'deployment.apps/frontend resource requirements updated\n');
      assert.equal(
        await s.ok(['get', 'deploy', 'frontend', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env} {.spec.template.spec.containers[0].resources}']),
        'registry.example/hello:2.0 [{"name":"MODE","value":"prod"}] {"limits":{"cpu":"200m","memory":"128Mi"},"requests":{"cpu":"50m"}}',
      );
      const badImage = await s.failed(['set', 'image', 'deployment/frontend', 'nosuch=img', '-n', ns]);
      assert.equal(badImage.stderr, 'error: unable to find container named "nosuch"\n');
      assert.equal(await s.ok(['set', 'image', 'sts/db', 'db=registry.example/db:2.2', '-n', ns]), 'statefulset.apps/db image updated\n');

      assert.equal(
        await s.ok(['scale', 'deploy/frontend', 'sts/db', 'rs/backend', 'rc/legacy', '--replicas=3', '-n', ns]),
        'deployment.apps/frontend scaled\nstatefulset.apps/db scaled\nreplicaset.apps/backend scaled\nreplicationcontroller/legacy scaled\n',
      );
      assert.equal(await s.ok(['get', 'deploy/frontend', 'sts/db', 'rs/backend', 'rc/legacy', '-n', ns, '-o', 'jsonpath={.items[*].spec.replicas}']), '3 3 3 3');
      const precondition = await s.failed(['scale', 'rc', 'legacy', '--current-replicas=2', '--replicas=1', '-n', ns]);
      assert.equal(precondition.stderr, 'error: Expected replicas to be 2, was 3\n');
      assert.equal(await s.ok(['scale', 'rc', '-l', 'app=legacy', '--replicas=1', '-n', ns]), 'replicationcontroller/legacy scaled\n');
      const negative = await s.failed(['scale', 'deploy/frontend', '--replicas=-1', '-n', ns]);
      assert.equal(negative.stderr, 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
    });

    test('delete: by name, -l, --all, --grace-period, --cascade=orphan keeps the pods', async () => {
      const ns = await namespace('delete');
      await s.ok(['apply', '-f', fixturePath('configmaps.yaml'), '-f', fixturePath('secrets.yaml'), '-f', fixturePath('services.yaml'), '-f', fixturePath('replicasets.yaml'), '-n', ns]);
      assert.equal(await s.ok(['delete', 'cm,secret,svc', '-l', 'app=web', '-n', ns]), 'configmap "settings" deleted\nsecret "credentials" deleted\nservice "web" deleted\n');
      await until(async () => (await s.ok(['get', 'pods', '-n', ns, '-l', 'app=backend', '-o', 'name'])) !== '', 'the ReplicaSet creating its pod');
      const pod = (await s.ok(['get', 'pods', '-n', ns, '-l', 'app=backend', '-o', 'name'])).trim();
      assert.equal(await s.ok(['delete', 'rs', 'backend', '--cascade=orphan', '-n', ns]), 'replicaset.apps "backend" deleted\n');
      assert.equal(await s.ok(['get', pod, '-n', ns, '-o', 'jsonpath={.metadata.ownerReferences}']), '');
      const forced = await s.k(['delete', pod, '--grace-period=0', '--force', '-n', ns]);
      assert.equal(forced.stderr, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
      assert.equal(forced.stdout, `${pod.replace('pod/', 'pod "')}" force deleted\n`);
      await s.ok(['apply', '-f', fixturePath('pods.yaml'), '-n', ns]);
      assert.equal(await s.ok(['delete', 'pods', '--all', '--grace-period=1', '-n', ns]), 'pod "web" deleted\n');
      assert.equal((await s.k(['get', 'pods', '-n', ns])).stderr, `No resources found in ${ns} namespace.\n`);
      const system = await s.failed(['delete', 'namespace', 'kube-system']);
      assert.equal(system.stderr, 'Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted\n');
    });

    test('wait for a condition, a jsonpath value and a deletion', async () => {
      const ns = await namespace('wait');
      await s.ok(['apply', '-f', fixturePath('pods.yaml'), '-f', fixturePath('deployments.yaml'), '-n', ns]);
      assert.equal(await s.ok(['wait', '--for=condition=Ready', 'pod/web', '-n', ns, '--timeout=20s']), 'pod/web condition met\n');
      assert.equal(await s.ok(['wait', '--for=condition=Available', 'deployment/frontend', '-n', ns, '--timeout=20s']), 'deployment.apps/frontend condition met\n');
      assert.equal(await s.ok(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/web', '-n', ns, '--timeout=20s']), 'pod/web condition met\n');
      const timedOut = await s.failed(['wait', '--for=condition=Nonexistent', 'pod/web', '-n', ns, '--timeout=1s']);
      assert.equal(timedOut.stderr, 'error: timed out waiting for the condition on pods/web\n');
      // A finalizer holds the deleted pod until kubectl wait is watching it (its -v=6 log shows the watch).
      await s.ok(['patch', 'pod', 'web', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
      await s.ok(['delete', 'pod', 'web', '-n', ns, '--wait=false']);
      const gone = kubectlStart(['wait', '--for=delete', 'pod/web', '-n', ns, '--timeout=30s', '-v=6'], { kubeconfig: s.cluster.kubeconfigPath });
      try {
        await gone.waitForOutput(/pods\?\S*fieldSelector=metadata\.name%3Dweb\S*watch=true\S* 200 OK/, 20_000, 'stderr');
        await s.ok(['patch', 'pod', 'web', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
        assert.equal(await gone.exited, 0);
        assert.equal(gone.stdout, 'pod/web condition met\n');
      } finally {
        await gone.stop();
      }
    });

    test('namespaces: create, describe, and deleting one removes what is in it', async () => {
      const ns = await namespace('doomed');
      await s.ok(['apply', '-f', fixturePath('configmaps.yaml'), '-f', fixturePath('deployments.yaml'), '-n', ns]);
      assert.equal(await s.ok(['delete', 'namespace', ns, '--timeout=30s']), `namespace "${ns}" deleted\n`);
      assert.equal((await s.failed(['get', 'namespace', ns])).stderr, `Error from server (NotFound): namespaces "${ns}" not found\n`);
      for (const builtin of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(await s.ok(['get', 'ns', builtin]), /\sActive\s/);
    });
  });
});
