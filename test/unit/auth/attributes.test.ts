// Request attributes as upstream's RequestInfoFactory derives them from a request, and the
// forbidden messages built from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenError, requestAttributes, type Attributes } from '../../../src/apiserver/authz/attributes.js';
import type { ApiRequest } from '../../../src/client/transport.js';

const user = { username: 'jane', groups: ['devs'] };

function attrs(method: ApiRequest['method'], url: string): Omit<Attributes, 'user'> {
  const u = new URL(url, 'https://k8ts');
  const { user: _user, ...rest } = requestAttributes({ method, path: u.pathname, query: u.searchParams, headers: {} }, user);
  return rest;
}

const resource = (a: Partial<Attributes>) => ({ resourceRequest: true, namespace: '', apiGroup: '', apiVersion: 'v1', resource: '', subresource: '', name: '', ...a });

test('verbs follow the method, list and watch the query, deletecollection the missing name', () => {
  assert.deepEqual(attrs('GET', '/api/v1/namespaces/ns-1/pods'), resource({ verb: 'list', path: '/api/v1/namespaces/ns-1/pods', namespace: 'ns-1', resource: 'pods' }));
  assert.equal(attrs('GET', '/api/v1/pods?watch=true').verb, 'watch');
  assert.equal(attrs('GET', '/api/v1/pods?watch=false').verb, 'list');
  assert.equal(attrs('GET', '/api/v1/namespaces/ns-1/pods/web').verb, 'get');
  assert.equal(attrs('POST', '/apis/apps/v1/namespaces/ns-1/deployments').verb, 'create');
  assert.equal(attrs('PUT', '/apis/apps/v1/namespaces/ns-1/deployments/d').verb, 'update');
  assert.equal(attrs('PATCH', '/apis/apps/v1/namespaces/ns-1/deployments/d').verb, 'patch');
  assert.equal(attrs('DELETE', '/apis/apps/v1/namespaces/ns-1/deployments/d').verb, 'delete');
  assert.equal(attrs('DELETE', '/apis/apps/v1/namespaces/ns-1/deployments').verb, 'deletecollection');
  assert.deepEqual(attrs('GET', '/api/v1/watch/namespaces/ns-1/pods/web'), resource({ verb: 'watch', path: '/api/v1/watch/namespaces/ns-1/pods/web', namespace: 'ns-1', resource: 'pods', name: 'web' }));
});

test('groups, subresources, namespaces as objects, and a list of one name', () => {
  assert.deepEqual(
    attrs('GET', '/apis/apps/v1/namespaces/ns-1/deployments/d/scale'),
    resource({ verb: 'get', path: '/apis/apps/v1/namespaces/ns-1/deployments/d/scale', namespace: 'ns-1', apiGroup: 'apps', resource: 'deployments', name: 'd', subresource: 'scale' }),
  );
  const ns = attrs('GET', '/api/v1/namespaces/ns-1');
  assert.deepEqual([ns.namespace, ns.resource, ns.name], ['ns-1', 'namespaces', 'ns-1']);
  const status = attrs('PUT', '/api/v1/namespaces/ns-1/status');
  assert.deepEqual([status.namespace, status.resource, status.name, status.subresource], ['ns-1', 'namespaces', 'ns-1', 'status']);
  assert.equal(attrs('GET', '/api/v1/namespaces/ns-1/pods?fieldSelector=metadata.name%3Dweb').name, 'web');
  assert.equal(attrs('GET', '/api/v1/namespaces/ns-1/pods?fieldSelector=spec.nodeName%3Dn1').name, '');
});

test('paths that name no resource are non-resource requests', () => {
  for (const path of ['/', '/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/openapi/v3/apis/apps/v1']) {
    const a = attrs('GET', path);
    assert.equal(a.resourceRequest, false, path);
    assert.equal(a.verb, 'get');
    assert.equal(a.path, path);
  }
});

test('forbidden messages as upstream writes them, with details naming the resource', () => {
  const full = (method: ApiRequest['method'], url: string) => ({ user, ...attrs(method, url) });
  const e = forbiddenError(full('GET', '/api/v1/namespaces/ns-1/pods/web/log'), '');
  assert.equal(e.status.code, 403);
  assert.equal(e.status.message, 'pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "ns-1"');
  assert.deepEqual(e.status.details, { name: 'web', kind: 'pods' });
  const cluster = forbiddenError(full('GET', '/apis/apps/v1/deployments'), 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found');
  assert.equal(
    cluster.status.message,
    'deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
  );
  assert.deepEqual(cluster.status.details, { group: 'apps', kind: 'deployments' });
  const path = forbiddenError(full('GET', '/<script>'), '');
  assert.equal(path.status.message, 'forbidden: User "jane" cannot get path "/&lt;script&gt;"');
  assert.deepEqual(path.status.details, {});
});
