// Deterministic mutations of the valid fixtures into bad requests: wrong types, missing required
// fields, bad names, labels, quantities, enums and ports, deep nesting, huge strings, broken
// JSON/YAML, unknown and duplicate fields. Each says which field the server's answer must name.

/** A path into an object: keys and list indexes. */
export type Path = (string | number)[];

export interface Mutation {
  /** What was done, for failure messages: `wrongType spec.replicas`. */
  what: string;
  /** The request body as sent (JSON text unless `contentType` says otherwise). */
  body: string;
  contentType?: string;
  /** For a 422: a field every answer must name in `details.causes` (prefix match either way). */
  field?: string;
  /** Text the Status message must contain (a field or key name), when not a 422. */
  mentions?: string;
  /** False when the body cannot serve as a patch (deleted fields, broken documents). */
  patchable: boolean;
}

/** mulberry32: a small seeded generator, so every run sends the same requests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `spec.containers[0].image`, with keys that are not identifiers in brackets (`spec.hard[requests.cpu]`). */
export function fieldPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${p}]`;
  }
  return out;
}

function clone<T>(o: T): T {
  return structuredClone(o);
}

/** Sets `path` in `obj`, making the objects and lists on the way. */
export function setPath(obj: any, path: Path, value: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (cur[key] === undefined || cur[key] === null || typeof cur[key] !== 'object') cur[key] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[key];
  }
  cur[path[path.length - 1]] = value;
}

function deletePath(obj: any, path: Path): boolean {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    cur = cur?.[key];
    if (cur === undefined) return false;
  }
  const last = path[path.length - 1];
  if (cur?.[last] === undefined) return false;
  if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
  else delete cur[last];
  return true;
}

/** Every leaf and inner path of `obj`, outside metadata and RawExtension payloads. */
function paths(obj: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      const key = Array.isArray(obj) ? Number(k) : k;
      const p = [...prefix, key];
      if (prefix.length === 0 && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

/** Per-kind invalid values: [path, value, the field a 422 names (default: the path)]. */
type Invalid = [Path, unknown, string?];

function podSpecInvalid(prefix: Path, restartPolicy = 'Sometimes'): Invalid[] {
  const c: Path = [...prefix, 'spec', 'containers', 0];
  return [
    [[...prefix, 'spec', 'restartPolicy'], restartPolicy],
    [[...c, 'imagePullPolicy'], 'Maybe'],
    [[...c, 'resources', 'requests', 'cpu'], '12XB'],
    [[...c, 'ports', 0, 'containerPort'], 70000],
    [[...prefix, 'spec', 'dnsPolicy'], 'Sometimes'],
    [[...c, 'name'], 'Bad_Name'],
  ];
}

function podSpecRequired(prefix: Path): Path[] {
  return [
    [...prefix, 'spec', 'containers'],
    [...prefix, 'spec', 'containers', 0, 'name'],
    [...prefix, 'spec', 'containers', 0, 'image'],
  ];
}

const TEMPLATE: Path = ['spec', 'template'];
const CRONJOB_TEMPLATE: Path = ['spec', 'jobTemplate', 'spec', 'template'];

/** Invalid values and required fields of each fixture kind (`group/Kind` where groups differ), as upstream validates them. */
export const KIND_RULES: Record<string, { invalid: Invalid[]; required: Path[] }> = {
  Pod: { invalid: podSpecInvalid([]), required: podSpecRequired([]) },
  Service: {
    invalid: [[['spec', 'type'], 'Magic'], [['spec', 'ports', 0, 'port'], 0], [['spec', 'ports', 0, 'protocol'], 'XTCP'], [['spec', 'sessionAffinity'], 'Sticky'], [['spec', 'clusterIP'], '10.1.2.3.4']],
    required: [['spec', 'ports', 0, 'port']],
  },
  Endpoints: {
    invalid: [[['subsets', 0, 'ports', 0, 'port'], 70000], [['subsets', 0, 'addresses', 0, 'ip'], 'not-an-ip'], [['subsets', 0, 'ports', 0, 'protocol'], 'XTCP']],
    required: [['subsets', 0, 'addresses', 0, 'ip']],
  },
  ConfigMap: { invalid: [[['data', 'bad key!'], 'x']], required: [] },
  Secret: { invalid: [[['data', 'username'], '!!!not base64'], [['data', 'bad key!'], 'eA==']], required: [] },
  Node: { invalid: [[['spec', 'podCIDRs', 0], 'not-a-cidr'], [['spec', 'taints', 0, 'effect'], 'Sometimes']], required: [['spec', 'taints', 0, 'key']] },
  Event: { invalid: [[['involvedObject', 'namespace'], 'other-ns']], required: [] },
  'events.k8s.io/Event': { invalid: [[['type'], 'Loud'], [['regarding', 'namespace'], 'other-ns']], required: [['reportingController'], ['action']] },
  PersistentVolume: {
    invalid: [[['spec', 'capacity', 'storage'], '12XB'], [['spec', 'persistentVolumeReclaimPolicy'], 'Keep'], [['spec', 'accessModes', 0], 'ReadSometimes']],
    required: [['spec', 'accessModes'], ['spec', 'capacity']],
  },
  PersistentVolumeClaim: {
    invalid: [[['spec', 'resources', 'requests', 'storage'], '-1Gi'], [['spec', 'accessModes', 0], 'ReadSometimes'], [['spec', 'volumeMode'], 'Partial']],
    required: [['spec', 'accessModes'], ['spec', 'resources', 'requests', 'storage']],
  },
  ReplicationController: { invalid: [[['spec', 'replicas'], -1], ...podSpecInvalid(TEMPLATE)], required: podSpecRequired(TEMPLATE) },
  LimitRange: { invalid: [[['spec', 'limits', 0, 'type'], 'Thing'], [['spec', 'limits', 0, 'max', 'memory'], '12XB']], required: [['spec', 'limits', 0, 'type']] },
  ResourceQuota: { invalid: [[['spec', 'hard', 'pods'], '-1'], [['spec', 'hard', 'requests.cpu'], '12XB']], required: [] },
  PodTemplate: { invalid: podSpecInvalid(['template']), required: podSpecRequired(['template']) },
  Deployment: {
    invalid: [[['spec', 'replicas'], -1], [['spec', 'strategy', 'type'], 'Sideways'], [['spec', 'selector', 'matchLabels', 'app'], 'other', 'spec.template.metadata.labels'], ...podSpecInvalid(TEMPLATE)],
    required: [['spec', 'selector'], ...podSpecRequired(TEMPLATE)],
  },
  ReplicaSet: { invalid: [[['spec', 'replicas'], -1], [['spec', 'selector', 'matchExpressions', 0, 'operator'], 'Near'], ...podSpecInvalid(TEMPLATE)], required: [['spec', 'selector'], ...podSpecRequired(TEMPLATE)] },
  // Upstream 1.32 does not validate a StatefulSet's pod template spec (ValidatePodTemplateSpecForStatefulSet's TODO).
  StatefulSet: {
    invalid: [[['spec', 'podManagementPolicy'], 'Random'], [['spec', 'updateStrategy', 'type'], 'Sideways']],
    required: [['spec', 'selector']],
  },
  DaemonSet: { invalid: [[['spec', 'updateStrategy', 'type'], 'Sideways'], ...podSpecInvalid(TEMPLATE)], required: [['spec', 'selector'], ...podSpecRequired(TEMPLATE)] },
  ControllerRevision: { invalid: [[['revision'], -1]], required: [] },
  Job: { invalid: [[['spec', 'completions'], -1], [['spec', 'parallelism'], -1], [['spec', 'completionMode'], 'Partial'], ...podSpecInvalid(TEMPLATE)], required: podSpecRequired(TEMPLATE) },
  CronJob: {
    invalid: [[['spec', 'schedule'], 'every minute'], [['spec', 'concurrencyPolicy'], 'Maybe'], [['spec', 'timeZone'], 'Mars/Base'], ...podSpecInvalid(CRONJOB_TEMPLATE, 'Always')],
    required: [['spec', 'schedule'], ...podSpecRequired(CRONJOB_TEMPLATE)],
  },
  HorizontalPodAutoscaler: {
    invalid: [[['spec', 'maxReplicas'], 0], [['spec', 'minReplicas'], -1], [['spec', 'scaleTargetRef', 'kind'], '']],
    required: [['spec', 'scaleTargetRef', 'name']],
  },
  PodDisruptionBudget: { invalid: [[['spec', 'minAvailable'], -1], [['spec', 'minAvailable'], '150%']], required: [] },
  Ingress: {
    invalid: [[['spec', 'rules', 0, 'http', 'paths', 0, 'pathType'], 'Fuzzy'], [['spec', 'rules', 0, 'host'], 'Bad_Host'], [['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port', 'number'], 70000]],
    required: [['spec', 'rules', 0, 'http', 'paths', 0, 'pathType']],
  },
  IngressClass: { invalid: [[['spec', 'controller'], 'Bad Controller!']], required: [] },
  NetworkPolicy: {
    invalid: [[['spec', 'policyTypes', 0], 'Sideways'], [['spec', 'ingress', 0, 'ports', 0, 'port'], 70000], [['spec', 'ingress', 0, 'from', 2, 'ipBlock', 'cidr'], '10.0.0.0/99']],
    required: [['spec', 'ingress', 0, 'from', 2, 'ipBlock', 'cidr']],
  },
  EndpointSlice: { invalid: [[['addressType'], 'IPv5'], [['endpoints', 0, 'addresses', 0], 'not-an-ip']], required: [['addressType'], ['endpoints', 0, 'addresses']] },
  Role: { invalid: [[['rules', 0, 'verbs'], []]], required: [['rules', 0, 'verbs']] },
  RoleBinding: { invalid: [[['roleRef', 'kind'], 'Thing'], [['subjects', 0, 'kind'], 'Robot']], required: [['roleRef', 'name']] },
  ClusterRole: { invalid: [[['rules', 0, 'verbs'], []]], required: [['rules', 0, 'verbs']] },
  ClusterRoleBinding: { invalid: [[['roleRef', 'kind'], 'Role'], [['subjects', 0, 'kind'], 'Robot']], required: [['roleRef', 'name']] },
  StorageClass: { invalid: [[['reclaimPolicy'], 'Keep'], [['volumeBindingMode'], 'Later'], [['provisioner'], 'Bad Provisioner!']], required: [['provisioner']] },
  Lease: { invalid: [[['spec', 'leaseDurationSeconds'], 0], [['spec', 'leaseTransitions'], -1]], required: [] },
  PriorityClass: { invalid: [[['value'], 2_000_000_001], [['preemptionPolicy'], 'Always']], required: [] },
};

/**
 * Where upstream reports a field under another name than its path: map keys in brackets, node
 * taints under metadata (an upstream quirk), events.k8s.io fields by their core/v1 names.
 */
const UPSTREAM_FIELD: Record<string, string> = {
  'spec.resources.requests.storage': 'spec.resources[storage]',
  'spec.hard.pods': 'spec.hard[pods]',
  'spec.taints[0].key': 'metadata.taints[0].key',
  'regarding.namespace': 'involvedObject.namespace',
};

/** Kinds whose create names a nameless object itself (upstream gives a LimitRange a UUID). */
const NAMED_BY_SERVER = new Set(['LimitRange']);

/** Names each kind's name rule refuses (RBAC names are path segments: almost anything but `/`). */
function badNames(kind: string): string[] {
  if (['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(kind)) return ['bad/name', '..'];
  return ['Bad_Name', '-leading-dash', 'a'.repeat(254), 'UPPER'];
}

function upstreamField(p: Path): string {
  const f = fieldPath(p);
  return UPSTREAM_FIELD[f] ?? f;
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/**
 * Mutations of one valid object. `rand` picks the paths and values; `name` is the name every
 * mutation keeps (so a rejected create can be checked not to exist).
 */
export function mutationsOf(object: Record<string, any>, name: string, rand: () => number): Mutation[] {
  const kind = object.kind as string;
  const group = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/')[0] : '';
  const rules = KIND_RULES[`${group}/${kind}`] ?? KIND_RULES[kind] ?? { invalid: [], required: [] };
  const base = clone(object);
  base.metadata = { ...base.metadata, name };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: Mutation[] = [];
  const json = (o: unknown) => JSON.stringify(o);
  const withChange = (change: (o: any) => void) => {
    const o = clone(base);
    change(o);
    return o;
  };

  // Wrong types: an object where a scalar belongs, a number where an object or list belongs.
  const all = paths(base).filter((p) => !(kind === 'ControllerRevision' && p[0] === 'data'));
  for (let i = 0; i < 2 && all.length; i++) {
    const p = pick(all);
    const current = p.reduce((o: any, k) => o[k], base);
    const wrong = current !== null && typeof current === 'object' ? 42 : { fuzz: { nested: true } };
    out.push({ what: `wrongType ${fieldPath(p)}`, body: json(withChange((o) => setPath(o, p, wrong))), patchable: true });
  }
  // Missing required fields, including the name.
  const nameField: Path[] = NAMED_BY_SERVER.has(kind) ? [] : [['metadata', 'name']];
  for (const p of [...nameField, ...rules.required]) {
    const o = clone(base);
    if (!deletePath(o, p)) continue;
    out.push({ what: `missing ${fieldPath(p)}`, body: json(o), field: upstreamField(p), patchable: false });
  }
  // Invalid values of the kind's own fields.
  for (const [p, value, field] of rules.invalid) {
    out.push({ what: `invalid ${fieldPath(p)}=${JSON.stringify(value)}`, body: json(withChange((o) => setPath(o, p, value))), field: field ?? upstreamField(p), patchable: true });
  }
  // Names, labels, annotations.
  out.push({ what: 'bad name', body: json(withChange((o) => (o.metadata.name = pick(badNames(kind))))), field: 'metadata.name', patchable: false });
  const labels = pick([{ 'bad key': 'v' }, { k: 'x'.repeat(64) }, { k: '-leading' }, { ['p'.repeat(254) + '/k']: 'v' }]);
  out.push({ what: `bad labels ${JSON.stringify(labels).slice(0, 40)}`, body: json(withChange((o) => (o.metadata.labels = labels))), field: 'metadata.labels', patchable: true });
  out.push({ what: 'huge annotations', body: json(withChange((o) => (o.metadata.annotations = { big: 'x'.repeat(300 * 1024) }))), field: 'metadata.annotations', patchable: true });
  // Decoding: unknown and duplicate fields (strict), deep nesting, broken documents.
  const unknown = `fuzzUnknown${Math.floor(rand() * 1000)}`;
  out.push({ what: `unknown field ${unknown}`, body: json(withChange((o) => (o[unknown] = 1))), mentions: unknown, patchable: true });
  const text = json(base);
  out.push({ what: 'duplicate field', body: text.replace('"metadata":{', `"metadata":{"name":"dup-${name}",`), mentions: 'duplicate field', patchable: true });
  out.push({ what: 'deep nesting', body: text.replace(/}$/, `,"deep":${nested(20_000)}}`), patchable: true });
  const cut = Math.max(1, Math.floor(rand() * text.length));
  out.push({ what: `truncated JSON at ${cut}`, body: text.slice(0, cut), patchable: false });
  out.push({ what: 'trailing garbage', body: text + '}{', patchable: false });
  out.push({ what: 'invalid YAML', body: `apiVersion: ${object.apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  labels: [unclosed\n`, contentType: 'application/yaml', patchable: false });
  out.push({ what: 'not an object', body: pick(['[]', '"string"', '42', 'null']), patchable: false });
  out.push({ what: 'wrong kind', body: json(withChange((o) => (o.kind = kind === 'Pod' ? 'Service' : 'Pod'))), patchable: false });
  return out;
}
