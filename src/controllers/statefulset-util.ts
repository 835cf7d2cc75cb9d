// StatefulSet pod identity and storage (pkg/controller/statefulset/stateful_set_utils.go):
// ordinal names, stable hostnames, per-pod claims from volumeClaimTemplates, and revisions.
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { newControllerRef } from '../api/meta/objectmeta.js';
import { deepCopy } from '../api/patch/json.js';

export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** The revision label pods carry (apps.ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_POD_LABEL = 'controller-revision-hash';

const NAME_PATTERN = /^(.*)-([0-9]+)$/;

/** The parent name and ordinal a pod name encodes, or ordinal -1. */
export function parseOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = NAME_PATTERN.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return { parent: m[1], ordinal: Number.isSafeInteger(ordinal) ? ordinal : -1 };
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parseOrdinal(pod.metadata?.name ?? '').parent === set.metadata?.name;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata!.name}-${ordinal}`;
}

export function claimName(set: StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata!.name}-${ordinal}`;
}

export function podRevision(pod: Pod): string {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_POD_LABEL] ?? '';
}

/** The revision's data: the pod template, marked to replace the whole template when applied. */
export function revisionPatch(set: StatefulSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(set.spec!.template as Record<string, unknown>), $patch: 'replace' } } };
}

/** ApplyRevision: the set with the template the revision recorded. */
export function applyRevision(set: StatefulSet, data: unknown): StatefulSet {
  const template = { ...((data as { spec?: { template?: Record<string, unknown> } })?.spec?.template ?? {}) };
  delete template.$patch;
  return { ...set, spec: { ...set.spec!, template: template as NonNullable<StatefulSet['spec']>['template'] } };
}

/** The claims a pod of this ordinal uses, one per volumeClaimTemplate, labelled with the selector's labels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      ...t.metadata,
      name: claimName(set, t.metadata!.name!, ordinal),
      namespace: set.metadata!.namespace,
      labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
    },
    spec: deepCopy(t.spec),
  }));
}

/** newStatefulSetPod: the template with the pod's identity and its claims as volumes. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, revision: string): Pod {
  const template = deepCopy(set.spec!.template);
  const name = podName(set, ordinal);
  const spec = template.spec!;
  const claimVolumes: Volume[] = (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    name: t.metadata!.name!,
    persistentVolumeClaim: { claimName: claimName(set, t.metadata!.name!, ordinal) },
  }));
  const claimed = new Set(claimVolumes.map((v) => v.name));
  if (claimVolumes.length > 0) spec.volumes = [...claimVolumes, ...(spec.volumes ?? []).filter((v) => !claimed.has(v.name))];
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...template.metadata,
      name,
      namespace: set.metadata!.namespace,
      labels: {
        ...template.metadata?.labels,
        [STATEFULSET_POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [CONTROLLER_REVISION_HASH_POD_LABEL]: revision,
      },
      ownerReferences: [newControllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
}

/** identityMatches: the pod still carries the identity its ordinal gives it. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parseOrdinal(pod.metadata?.name ?? '');
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata?.name
  );
}

export function isCreated(pod: Pod): boolean {
  return !!pod.status?.phase;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}
