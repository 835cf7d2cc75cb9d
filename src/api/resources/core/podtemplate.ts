// core/v1 PodTemplate: a stored pod template. Its table has no AGE column, as upstream's.
import type { PodTemplate } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, objectMeta, ref } from '../../schema/build.js';
import { FieldPath } from '../../meta/status.js';
import { nameColumn } from '../table.js';
import { containerCells, definitions as podSpecDefinitions, defaultPodTemplateSpec, formatLabels, validatePodTemplateSpec } from './podspec.js';

const definitions: Definitions = new Map(podSpecDefinitions);
define(definitions, {
  'io.k8s.api.core.v1.PodTemplate': kindSchema(
    { group: '', version: 'v1', kind: 'PodTemplate' },
    {
      metadata: objectMeta({ default: {}, description: 'Standard object metadata.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pod template: the metadata and spec of the pods it describes.' }),
    },
    { proto: { metadata: 1, template: 2 }, description: 'PodTemplate describes a template for creating copies of a pod.' },
  ),
});

export const podTemplates: ResourceDefinition<PodTemplate> = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  schemaName: 'io.k8s.api.core.v1.PodTemplate',
  definitions,
  defaults: (pt) => defaultPodTemplateSpec(pt.template),
  validate: (pt) => validatePodTemplateSpec(pt.template, new FieldPath('template')),
  table: {
    columns: [
      nameColumn,
      { name: 'Containers', type: 'string', description: 'Names of each container in the template.' },
      { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.' },
      { name: 'Pod Labels', type: 'string', description: 'The labels of the pods made from the template.' },
    ],
    cells: (pt) => [pt.metadata?.name, ...containerCells(pt.template?.spec), formatLabels(pt.template?.metadata?.labels)],
  },
};
