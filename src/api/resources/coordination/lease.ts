// coordination.k8s.io/v1 Lease: a lock with a holder and an expiry, used for leader election and node heartbeats.
import type { Lease as LeaseV130, LeaseSpec as LeaseSpecV130 } from 'kubernetes-types/coordination/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, int32, kindSchema, object, ref, str } from '../../schema/build.js';
import { fieldErrors, type FieldError } from '../../meta/status.js';
import { isQualifiedName } from '../../meta/validation.js';
import { table } from '../table.js';

// kubernetes-types 1.30 predates the coordinated leader election fields of 1.31.
type LeaseSpec = LeaseSpecV130 & { strategy?: string; preferredHolder?: string };
type Lease = Omit<LeaseV130, 'spec'> & { spec?: LeaseSpec };

const V1 = 'io.k8s.api.coordination.v1';
const microTime = (description: string) => ref('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime', { description });

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.Lease`]: kindSchema(
    { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
    { spec: ref(`${V1}.LeaseSpec`, { default: {}, description: 'Who holds the lease and until when.' }) },
    { proto: { metadata: 1, spec: 2 }, description: 'Lease is a lock held by one holder at a time, renewed before it expires.' },
  ),
  [`${V1}.LeaseSpec`]: object(
    {
      holderIdentity: str({ description: 'The identity of the current holder.' }),
      leaseDurationSeconds: int32({ description: 'How long candidates wait after the last renewal before taking the lease.' }),
      acquireTime: microTime('When the current holder acquired the lease.'),
      renewTime: microTime('When the holder last renewed the lease.'),
      leaseTransitions: int32({ description: 'How many times the lease changed holders.' }),
      strategy: str({ description: 'How a coordinated leader election picks the holder (CoordinatedLeaderElection feature).' }),
      preferredHolder: str({ description: 'The holder a coordinated election wants (CoordinatedLeaderElection feature); needs strategy.' }),
    },
    {
      proto: { holderIdentity: 1, leaseDurationSeconds: 2, acquireTime: 3, renewTime: 4, leaseTransitions: 5, strategy: 6, preferredHolder: 7 },
      protoPointers: ['holderIdentity', 'leaseDurationSeconds', 'acquireTime', 'renewTime', 'leaseTransitions', 'strategy', 'preferredHolder'],
      description: 'The state of a lease.',
    },
  ),
});

/** Strategies Kubernetes itself defines; others must be domain-qualified. */
const STRATEGIES = ['OldestEmulationVersion'];

function validateSpec(spec: LeaseSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds != null && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldErrors.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions != null && spec.leaseTransitions < 0) {
    errs.push(fieldErrors.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  const strategy = spec.strategy;
  if (strategy != null) {
    // Upstream reports strategy errors one level too deep, at spec.strategy.strategy.
    const path = 'spec.strategy.strategy';
    if (!strategy.includes('/')) {
      if (!STRATEGIES.includes(strategy)) errs.push(fieldErrors.notSupported(path, strategy, STRATEGIES));
    } else {
      for (const msg of isQualifiedName(strategy)) errs.push(fieldErrors.invalid(path, strategy, msg));
    }
  }
  if (spec.preferredHolder && !strategy) errs.push(fieldErrors.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

/** The CoordinatedLeaderElection feature is off by default in 1.32: its fields are dropped unless already in use. */
function dropCoordinatedFields(spec: LeaseSpec | undefined, old?: LeaseSpec): void {
  if (!spec) return;
  if (old?.strategy == null) delete spec.strategy;
  if (old?.preferredHolder == null) delete spec.preferredHolder;
}

export const leases: ResourceDefinition<Lease> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  schemaName: `${V1}.Lease`,
  definitions,
  allowCreateOnUpdate: true,
  prepareForCreate(lease) {
    dropCoordinatedFields(lease.spec);
  },
  prepareForUpdate(lease, old) {
    dropCoordinatedFields(lease.spec, old.spec);
  },
  validate: (lease) => validateSpec(lease.spec ?? {}),
  table: table<Lease>([{ name: 'Holder', type: 'string', description: 'The identity of the holder.' }], (lease) => [lease.spec?.holderIdentity ?? '']),
};
