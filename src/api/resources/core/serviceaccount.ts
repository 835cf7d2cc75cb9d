// core/v1 ServiceAccount: an identity for processes in pods.
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, kindSchema, list, mergeList, ref } from '../../schema/build.js';
import { table } from '../table.js';
import { tokenRequestDefinitions } from '../../auth/tokenrequest.js';

// The TokenRequest of serviceaccounts/token (authentication.k8s.io/v1) comes with the accounts.
const definitions: Definitions = new Map(tokenRequestDefinitions);
define(definitions, {
  'io.k8s.api.core.v1.ServiceAccount': kindSchema(
    { group: '', version: 'v1', kind: 'ServiceAccount' },
    {
      secrets: mergeList(ref('io.k8s.api.core.v1.ObjectReference', { default: {} }), 'name', {
        description: 'Deprecated: secrets pods of this account could use; token secrets are no longer created automatically.',
      }),
      imagePullSecrets: list(ref('io.k8s.api.core.v1.LocalObjectReference', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Image pull secrets added to pods that use this account.',
      }),
      automountServiceAccountToken: bool({ description: 'Whether pods of this account mount an API token by default.' }),
    },
    {
      proto: { metadata: 1, secrets: 2, imagePullSecrets: 3, automountServiceAccountToken: 4 },
      protoPointers: ['automountServiceAccountToken'],
      description: 'ServiceAccount binds a name, understood by users and components, to an identity for pods.',
    },
  ),
});

/** Secret references keep only the name (upstream cleanSecretReferences). */
function cleanSecretReferences(sa: ServiceAccount): void {
  if (sa.secrets) Object.assign(sa, { secrets: sa.secrets.map((s) => ({ name: s.name })) });
}

export const serviceAccounts: ResourceDefinition<ServiceAccount> = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  schemaName: 'io.k8s.api.core.v1.ServiceAccount',
  definitions,
  subresources: { others: ['token'] },
  prepareForCreate: cleanSecretReferences,
  prepareForUpdate: cleanSecretReferences,
  table: table<ServiceAccount>([{ name: 'Secrets', type: 'string', description: 'The number of secrets of the account.' }], (sa) => [
    sa.secrets?.length ?? 0,
  ]),
};
