import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath, fieldErrorString } from '../../../src/api/meta/status.js';
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  validateAnnotations,
  validateFieldManager,
  validateLabelSelector,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../../../src/api/meta/validation.js';

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character " +
  "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const strings = (errs: Parameters<typeof fieldErrorString>[0][]): string[] => errs.map(fieldErrorString);

test('DNS-1123 labels and subdomains', () => {
  assert.deepEqual(isDNS1123Label('my-name'), []);
  assert.deepEqual(isDNS1123Label('My_Name'), [DNS1123_LABEL_MSG]);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  assert.deepEqual(isDNS1123Subdomain('example.com'), []);
  assert.deepEqual(isDNS1123Subdomain('-x'), [DNS1123_SUBDOMAIN_MSG]);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  assert.deepEqual(isDNS1035Label('1abc'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character " +
      "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('qualified names (label and annotation keys)', () => {
  assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
  assert.deepEqual(isQualifiedName('MyName'), []);
  assert.deepEqual(isQualifiedName('-x'), [QUALIFIED_NAME_PART_MSG]);
  assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', QUALIFIED_NAME_PART_MSG]);
  assert.deepEqual(isQualifiedName('Example.com/a'), [`prefix part ${DNS1123_SUBDOMAIN_MSG}`]);
  assert.deepEqual(isQualifiedName('x'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('a/b/c'), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
      "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
      "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
});

test('label values count UTF-8 bytes', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('v1.2_x'), []);
  assert.deepEqual(isValidLabelValue('-x'), [LABEL_VALUE_MSG]);
  assert.deepEqual(isValidLabelValue('é'.repeat(32)), ['must be no more than 63 characters', LABEL_VALUE_MSG]);
});

test('ports, identifiers, percentages, env names, config keys, path segments', () => {
  assert.deepEqual(isValidPortNum(80), []);
  assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('-a--b-'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('Http_long_name_x'), [
    'must be no more than 15 characters',
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ]);
  assert.deepEqual(isCIdentifier('MY_VAR'), []);
  assert.deepEqual(isCIdentifier('1x'), [
    "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' " +
      "(e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
  ]);
  assert.deepEqual(isValidPercent('25%'), []);
  assert.deepEqual(isValidPercent('25'), [
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ]);
  assert.deepEqual(isEnvVarName('..'), ["must not be '..'"]);
  assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
  assert.deepEqual(isValidPathSegmentName('system:admin'), []);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%'), ["may not contain '/'", "may not contain '%'"]);
});

test('IP addresses and CIDRs, as the sloppy upstream parser accepts them', () => {
  const p = new FieldPath('spec.clusterIP');
  assert.deepEqual(isValidIP(p, '10.96.0.1'), []);
  assert.deepEqual(isValidIP(p, '010.096.000.001'), []);
  assert.deepEqual(isValidIP(p, '2001:db8::ffff'), []);
  assert.deepEqual(isValidIP(p, '::ffff:1.2.3.4'), []);
  assert.deepEqual(isValidIP(p, '00000001::1'), []);
  for (const bad of ['', '1.2.3', '1.2.3.256', '1::2::3', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', '::1.2.3.4.5', 'abc']) {
    assert.deepEqual(strings(isValidIP(p, bad)), [`spec.clusterIP: Invalid value: ${JSON.stringify(bad)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`], bad);
  }
  assert.deepEqual(isValidIPv4Address(p, '::ffff:1.2.3.4'), []);
  assert.deepEqual(strings(isValidIPv4Address(p, '::1')), ['spec.clusterIP: Invalid value: "::1": must be a valid IPv4 address']);
  assert.deepEqual(strings(isValidIPv6Address(p, '1.2.3.4')), ['spec.clusterIP: Invalid value: "1.2.3.4": must be a valid IPv6 address']);
  assert.deepEqual(isValidCIDR(p, '10.244.0.0/16'), []);
  assert.deepEqual(isValidCIDR(p, '2001:db8::/64'), []);
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '::/129', '10.0.0/8']) {
    assert.deepEqual(strings(isValidCIDR(p, bad)), [`spec.clusterIP: Invalid value: ${JSON.stringify(bad)}: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`], bad);
  }
});

test('labels and annotations', () => {
  const path = new FieldPath('metadata').child('labels');
  assert.deepEqual(validateLabels({ app: 'web' }, path), []);
  assert.deepEqual(strings(validateLabels({ '-a': '-b' }, path)), [
    `metadata.labels: Invalid value: "-a": ${QUALIFIED_NAME_PART_MSG}`,
    `metadata.labels: Invalid value: "-b": ${LABEL_VALUE_MSG}`,
  ]);
  const ann = new FieldPath('metadata').child('annotations');
  assert.deepEqual(validateAnnotations({ 'Example.com/Key': 'anything at all' }, ann), []);
  assert.deepEqual(strings(validateAnnotations({ big: 'x'.repeat(256 * 1024) }, ann)), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  assert.deepEqual(validateAnnotations({ big: 'x'.repeat(256 * 1024 - 3) }, ann), []);
});

test('label selectors in specs', () => {
  const p = new FieldPath('spec').child('selector');
  assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'web' } }, {}, p), []);
  assert.deepEqual(
    strings(
      validateLabelSelector(
        {
          matchExpressions: [
            { key: 'a', operator: 'In' },
            { key: 'b', operator: 'Exists', values: ['x'] },
            { key: 'c', operator: 'Foo' },
          ],
        },
        {},
        p,
      ),
    ),
    [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
    ],
  );
});

test('validateObjectMeta: name, namespace and their rules', () => {
  const ns = { namespaced: true, nameRule: 'subdomain' } as const;
  assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default' }, ns), []);
  assert.deepEqual(strings(validateObjectMeta({ namespace: 'default' }, ns)), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(strings(validateObjectMeta({ name: 'web' }, ns)), ['metadata.namespace: Required value']);
  assert.deepEqual(strings(validateObjectMeta({ name: 'Web', namespace: 'Bad.ns' }, ns)), [
    `metadata.name: Invalid value: "Web": ${DNS1123_SUBDOMAIN_MSG}`,
    'metadata.namespace: Invalid value: "Bad.ns": ' + DNS1123_LABEL_MSG,
  ]);
  assert.deepEqual(strings(validateObjectMeta({ name: 'node-1', namespace: 'default' }, { namespaced: false, nameRule: 'subdomain' })), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
  assert.deepEqual(strings(validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameRule: 'label' })), ['metadata.name: Invalid value: "a.b": must not contain dots']);
  assert.deepEqual(validateObjectMeta({ name: 'system:admin' }, { namespaced: false, nameRule: 'path-segment' }), []);
  assert.deepEqual(strings(validateObjectMeta({ name: 'a/b' }, { namespaced: false, nameRule: 'path-segment' })), [
    "metadata.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
  // generateName may end in '-': a random suffix follows.
  assert.deepEqual(validateObjectMeta({ name: 'web-x7k2p', generateName: 'web-', namespace: 'default' }, ns), []);
  assert.deepEqual(strings(validateObjectMeta({ name: 'x', generateName: 'Web-', namespace: 'default' }, ns)), [
    `metadata.generateName: Invalid value: "Web-": ${DNS1123_SUBDOMAIN_MSG}`,
  ]);
  assert.deepEqual(strings(validateObjectMeta({ name: 'x', namespace: 'default', generation: -1 }, ns)), [
    'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('validateObjectMeta: finalizers, ownerReferences, managedFields', () => {
  const rules = { namespaced: false, nameRule: 'subdomain' } as const;
  const errs = strings(
    validateObjectMeta(
      {
        name: 'x',
        finalizers: ['kubernetes.io/pv-protection', 'bad/fin/alizer', 'orphan', 'foregroundDeletion'],
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/', kind: '', name: '', uid: '' },
          { apiVersion: 'v1', kind: 'Deployment', name: 'b', uid: '2', controller: true },
          { apiVersion: 'v1', kind: 'Event', name: 'e', uid: '3' },
        ],
        managedFields: [{ manager: 'kubectl', operation: 'Patch' as 'Apply', fieldsType: 'FieldsV2' }],
      },
      rules,
    ),
  );
  // Errors whose bad value is a list or struct are checked below.
  assert.deepEqual(
    errs.filter((e) => !/^metadata\.\w+: Invalid value: (\[\]|v1\.)/.test(e)),
    [
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      'metadata.finalizers: Invalid value: "bad/fin/alizer": ' +
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
      'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
    ],
  );
  assert.ok(errs.some((e) => e.endsWith('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and Deployment/b')));
  // As Go's %#v prints the metav1.OwnerReference and the []string upstream passes.
  assert.ok(
    errs.includes(
      'metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"e", UID:"3", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner',
    ),
  );
  assert.ok(
    errs.includes(
      'metadata.finalizers: Invalid value: []string{"kubernetes.io/pv-protection", "bad/fin/alizer", "orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ),
  );
});

test('validateFieldManager rejects non-printable characters by byte position', () => {
  assert.deepEqual(validateFieldManager('kubectl-client-side-apply', new FieldPath('fieldManager')), []);
  assert.deepEqual(strings(validateFieldManager('é\tx', new FieldPath('fieldManager'))), [
    'fieldManager: Invalid value: "é\\tx": invalid character U+0009 (at position 2)',
  ]);
  assert.deepEqual(strings(validateFieldManager('m'.repeat(129), new FieldPath('fieldManager'))), ['fieldManager: Too long: may not be more than 128 bytes']);
});

test('validateObjectMetaUpdate: immutable identity, generation, resourceVersion, finalizers while deleting', () => {
  const old = {
    name: 'a',
    namespace: 'ns',
    uid: 'u1',
    generation: 2,
    resourceVersion: '5',
    creationTimestamp: '2024-05-01T10:00:00Z',
  };
  assert.deepEqual(validateObjectMetaUpdate({ ...old, generation: 3, labels: { x: 'y' } }, old), []);
  // The same instant written differently is not a change.
  assert.deepEqual(validateObjectMetaUpdate({ ...old, creationTimestamp: '2024-05-01T12:00:00+02:00' }, old), []);
  assert.deepEqual(
    strings(
      validateObjectMetaUpdate(
        { name: 'b', namespace: 'other', uid: 'u2', generation: 1, creationTimestamp: '2024-05-01T10:00:01Z', deletionGracePeriodSeconds: 30 },
        old,
      ),
    ),
    [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2024-05-01T10:00:01Z": field is immutable',
      'metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable',
    ],
  );
  const deleting = { ...old, deletionTimestamp: '2024-05-01T11:00:00Z', finalizers: ['a'] };
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...deleting, finalizers: ['a', 'c', 'b'] }, deleting)), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "c"}',
  ]);
  assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), []);
});
