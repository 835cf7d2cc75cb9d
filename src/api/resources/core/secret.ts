// core/v1 Secret: `stringData` is merged into `data` when decoded and never stored or returned.
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, kindSchema, mapOf, str, stringMap } from '../../schema/build.js';
import { badRequest, fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { table } from '../table.js';
import { validateConfigKeys, validateImmutableData } from './validation.js';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.Secret': kindSchema(
    { group: '', version: 'v1', kind: 'Secret' },
    {
      data: mapOf(str({ format: 'byte' }), { description: 'Secret data, base64 encoded.' }),
      stringData: stringMap({ description: 'Write-only convenience: plain-text values merged into data.' }),
      type: str({ description: 'Used to facilitate programmatic handling of secret data.' }),
      immutable: bool({ description: 'When true, data can no longer change.' }),
    },
    { description: 'Secret holds secret data of a certain type.', proto: { metadata: 1, data: 2, type: 3, stringData: 4, immutable: 5 }, protoPointers: ['immutable'] },
  ),
});

const MAX_SECRET_BYTES = 1024 * 1024;

/** Where Go's base64.StdEncoding would stop reading `s` (-1 when it decodes). */
function illegalBase64At(s: string): number {
  const body = s.replace(/={1,2}$/, '');
  for (let i = 0; i < body.length; i++) if (!/[A-Za-z0-9+/]/.test(body[i])) return i;
  if (s.length % 4 !== 0) return s.length - (s.length % 4 === 1 ? 1 : 0);
  return -1;
}

/** Keys each well-known type must carry in data. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const secrets: ResourceDefinition<Secret> = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  schemaName: 'io.k8s.api.core.v1.Secret',
  definitions,
  defaults(secret) {
    // Decoding data ([]byte) fails on anything but standard base64, a 400 as upstream's decoder gives.
    for (const value of Object.values(secret.data ?? {})) {
      const at = illegalBase64At(value);
      if (at >= 0) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
    }
    if (secret.stringData) {
      const data = (secret.data ??= {});
      for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v).toString('base64');
      delete secret.stringData;
    }
    secret.type ??= 'Opaque';
  },
  validate(secret) {
    const errs: FieldError[] = [];
    const data = secret.data ?? {};
    errs.push(...validateConfigKeys(Object.keys(data), new FieldPath('data')));
    let size = 0;
    for (const v of Object.values(data)) size += Buffer.from(v, 'base64').length;
    if (size > MAX_SECRET_BYTES) errs.push(fieldErrors.tooLong('data', MAX_SECRET_BYTES));
    const type = secret.type ?? 'Opaque';
    for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) errs.push(fieldErrors.required(`data[${key}]`));
    if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(fieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
    if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
      errs.push(fieldErrors.required('data[username]', 'must specify at least one of username or password'));
    }
    return errs;
  },
  validateUpdate(secret, old) {
    const errs = validateImmutableData(secret, old);
    if ((secret.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(fieldErrors.invalid('type', secret.type, 'field is immutable'));
    return errs;
  },
  table: table<Secret>(
    [
      { name: 'Type', type: 'string', description: 'The type of the secret.' },
      { name: 'Data', type: 'integer', description: 'Number of keys in data.' },
    ],
    (s) => [s.type ?? '', Object.keys(s.data ?? {}).length],
  ),
  fieldSelectors: { type: (s) => s.type ?? '' },
};
