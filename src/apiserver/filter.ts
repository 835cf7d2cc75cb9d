// Label and field selectors of a LIST or WATCH, compiled once per request. The parsers
// throw upstream's 400 BadRequest messages themselves.
import type { KubeObject, ResourceDefinition } from '../api/registry.js';
import { badRequest } from '../api/meta/status.js';
import { parseSelector } from '../api/meta/labels.js';
import { parseFieldSelector } from '../api/meta/fields.js';

export interface ObjectFilter {
  /** True when nothing is filtered out (so counts of remaining items are exact). */
  readonly isEverything: boolean;
  matches(obj: Readonly<KubeObject>): boolean;
}

export const EVERYTHING: ObjectFilter = { isEverything: true, matches: () => true };

type FieldGetter = (obj: Readonly<KubeObject>) => string | undefined;

const METADATA_FIELDS: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata?.name,
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

/** `fieldLabels` maps the field names of an alternate version (events.k8s.io) to the stored kind's. */
export function buildFilter(
  def: ResourceDefinition,
  labelSelector?: string | null,
  fieldSelector?: string | null,
  fieldLabels?: Readonly<Record<string, string>>,
): ObjectFilter {
  const labels = labelSelector ? parseSelector(labelSelector) : undefined;
  let fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fields && fieldLabels) {
    fields = fields.transform((field, value) => {
      const stored = fieldLabels[field];
      if (!stored) throw badRequest(`field label not supported: ${field}`);
      return [stored, value];
    });
  }
  const getters: Record<string, FieldGetter> = { ...METADATA_FIELDS, ...(def.fieldSelectors as Record<string, FieldGetter> | undefined) };
  if (fields) {
    for (const r of fields.requirements) {
      if (!getters[r.field]) throw badRequest(`field label not supported: ${r.field}`);
    }
  }
  const labelsEmpty = !labels || labels.empty();
  const fieldsEmpty = !fields || fields.empty();
  if (labelsEmpty && fieldsEmpty) return EVERYTHING;
  return {
    isEverything: false,
    matches(obj) {
      if (!labelsEmpty && !labels!.matches(obj.metadata?.labels)) return false;
      if (!fieldsEmpty && !fields!.matches((f: string) => getters[f]?.(obj))) return false;
      return true;
    },
  };
}
