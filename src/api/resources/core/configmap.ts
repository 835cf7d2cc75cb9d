// core/v1 ConfigMap.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, kindSchema, mapOf, str, stringMap } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { table } from '../table.js';
import { validateConfigKeys, validateImmutableData } from './validation.js';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.ConfigMap': kindSchema(
    { group: '', version: 'v1', kind: 'ConfigMap' },
    {
      data: stringMap({ description: 'Configuration data: keys of [-._a-zA-Z0-9]+, UTF-8 values.' }),
      binaryData: mapOf(str({ format: 'byte' }), { description: 'Binary configuration data, base64 encoded.' }),
      immutable: bool({ description: 'When true, data and binaryData can no longer change.' }),
    },
    { description: 'ConfigMap holds configuration data for pods to consume.', proto: { metadata: 1, data: 2, binaryData: 3, immutable: 4 }, protoPointers: ['immutable'] },
  ),
});

const MAX_CONFIGMAP_BYTES = 1024 * 1024;

export const configMaps: ResourceDefinition<ConfigMap> = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  schemaName: 'io.k8s.api.core.v1.ConfigMap',
  definitions,
  validate(cm) {
    const errs: FieldError[] = [];
    const data = cm.data ?? {};
    const binary = cm.binaryData ?? {};
    errs.push(...validateConfigKeys(Object.keys(data), new FieldPath('data')));
    errs.push(...validateConfigKeys(Object.keys(binary), new FieldPath('binaryData')));
    let size = 0;
    for (const [k, v] of Object.entries(data)) {
      size += Buffer.byteLength(v);
      if (k in binary) errs.push(fieldErrors.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    }
    for (const v of Object.values(binary)) size += Buffer.from(v, 'base64').length;
    if (size > MAX_CONFIGMAP_BYTES) errs.push(fieldErrors.tooLong('', MAX_CONFIGMAP_BYTES));
    return errs;
  },
  validateUpdate(cm, old) {
    return validateImmutableData(cm, old);
  },
  table: table<ConfigMap>([{ name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData.' }], (cm) => [
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
  ]),
};
