import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { networkPolicies } from '../../../../src/api/resources/networking/networkpolicy.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from './fixture.js';

function policy(spec: Partial<NetworkPolicy['spec']> & object): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'default', creationTimestamp: CREATED },
    spec: { podSelector: {}, ...spec },
  };
}

test('a full network policy passes schema validation with no unknown fields', () => {
  const full = policy({
    podSelector: { matchLabels: { app: 'db' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [
          { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
          { namespaceSelector: { matchLabels: { project: 'p' } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['fe'] }] } },
        ],
        ports: [{ protocol: 'TCP', port: 6379 }, { port: 'metrics' }, { port: 32000, endPort: 32768 }],
      },
    ],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'UDP', port: 53 }] }],
  });
  assert.deepEqual(schemaProblems(full, networkPolicies.schemaName), []);
  assert.deepEqual(createErrors(networkPolicies, full), []);
});

test('policyTypes default to Ingress, plus Egress when there are egress rules; protocols to TCP', () => {
  assert.deepEqual(created(networkPolicies, policy({})).spec?.policyTypes, ['Ingress']);
  const np = created(networkPolicies, policy({ egress: [{ ports: [{ port: 53 }] }] }));
  assert.deepEqual(np.spec?.policyTypes, ['Ingress', 'Egress']);
  assert.equal(np.spec?.egress?.[0].ports?.[0].protocol, 'TCP');
  assert.deepEqual(created(networkPolicies, policy({ policyTypes: ['Egress'] })).spec?.policyTypes, ['Egress']);
  // No spec at all is the empty pod selector, isolating ingress of every pod.
  const bare = created(networkPolicies, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' } });
  assert.deepEqual(bare.spec, { podSelector: {}, policyTypes: ['Ingress'] });
});

test('ports: numbers in range, endPort only after a numeric port and not below it', () => {
  const np = policy({ ingress: [{ ports: [{ port: 70000 }, { port: 80, endPort: 79 }, { port: 'http', endPort: 90 }, { endPort: 90 }, { protocol: 'ICMP' }] }] });
  assert.deepEqual(createErrors(networkPolicies, np), [
    'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ingress[0].ports[1].endPort: Invalid value: 79: must be greater than or equal to `port`',
    'spec.ingress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    'spec.ingress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is not specified',
    'spec.ingress[0].ports[4].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
  ]);
});

test('peers: at least one selector, ipBlock alone, except a strict subset of cidr', () => {
  const np = policy({
    egress: [
      {
        to: [
          {},
          { ipBlock: { cidr: '10.0.0.0/16' }, podSelector: {} },
          { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', '10.0.5.0/24'] } },
          { ipBlock: { cidr: '10.0.0.0/33' } },
          { ipBlock: { cidr: '' } },
        ],
      },
    ],
  });
  assert.deepEqual(createErrors(networkPolicies, np), [
    'spec.egress[0].to[0]: Required value: must specify a peer',
    'spec.egress[0].to[1]: Forbidden: may not specify both ipBlock and another peer',
    'spec.egress[0].to[2].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    'spec.egress[0].to[2].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
    'spec.egress[0].to[3].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.egress[0].to[4].ipBlock.cidr: Required value',
  ]);
});

test('policyTypes: Ingress and Egress only, at most two', () => {
  assert.deepEqual(createErrors(networkPolicies, policy({ policyTypes: ['Ingres'] })), [
    'spec.policyTypes[0]: Unsupported value: "Ingres": supported values: "Ingress", "Egress"',
  ]);
  const errs = createErrors(networkPolicies, policy({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }));
  assert.equal(errs.length, 1);
  assert.match(errs[0], /^spec\.policyTypes: Invalid value: .*: may not specify more than two policyTypes$/);
});

test('an update may keep a pod selector with label values that are no longer valid', () => {
  const old = created(networkPolicies, policy({}));
  old.spec!.podSelector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['not valid!'] }] };
  assert.deepEqual(updateErrors(networkPolicies, old, old), []);
  assert.equal(createErrors(networkPolicies, old).length, 1);
});

test('table: NAME POD-SELECTOR AGE', () => {
  assert.deepEqual(columns(networkPolicies), ['Name', 'Pod-Selector', 'Age']);
  assert.deepEqual(cells(networkPolicies, policy({})), ['deny', '<none>', '5h']);
  const np = policy({ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } });
  assert.equal(cells(networkPolicies, np)[1], 'app=web,tier notin (db)');
});
