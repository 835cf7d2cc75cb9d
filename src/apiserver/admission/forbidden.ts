// admission.NewForbidden: `<resource> "<name>" is forbidden: <why>`, naming the resource the
// request was for (pods, deployments.apps …) and the object's name.
import { forbidden, type StatusError } from '../../api/meta/status.js';
import type { AdmissionAttributes } from './types.js';

export function forbiddenFor(attrs: AdmissionAttributes, why: string): StatusError {
  return forbidden({ group: attrs.def.group, resource: attrs.def.plural }, attrs.name, why);
}

/** utilerrors.NewAggregate(...).Error(): one message as it is, several as `[a, b]`, duplicates once. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
