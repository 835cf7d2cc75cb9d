// What the Endpoints and EndpointSlice controllers share (upstream's endpointutil): which pods a
// service selects, whether a pod belongs in its endpoints, a service port's number on a pod, the
// hostname a headless service gives it, and the last-change-trigger-time bookkeeping.
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { selectorFromSet } from '../../api/meta/labels.js';
import type { Informer } from '../../client/informer.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

export function isPodReady(pod: Pod): boolean {
  return !!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** ShouldPodBeInEndpoints: running or pending with an IP, and not terminating unless asked for. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

export function hasSelector(svc: Service): boolean {
  return !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** The pods of the service's namespace its selector matches. */
export function selectedPods(svc: Service, pods: Informer<Pod>): Pod[] {
  const selector = selectorFromSet(svc.spec!.selector!);
  return pods.store.byIndex('namespace', svc.metadata!.namespace!).filter((p) => selector.matches(p.metadata?.labels));
}

/** The services of the pod's namespace whose selectors match it (before or after a change). */
export function servicesSelecting(pod: Pod, services: Informer<Service>): Service[] {
  return services.store.byIndex('namespace', pod.metadata!.namespace!).filter((s) => hasSelector(s) && selectorFromSet(s.spec!.selector!).matches(pod.metadata?.labels));
}

/**
 * FindPort: a number target port as it is; a named one resolved from the pod's containers
 * (same name and protocol); no target port means the service port.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** A pod's hostname in a service's endpoints: set only when its subdomain names the service. */
export function endpointHostname(pod: Pod, svc: Service): string | undefined {
  const hostname = pod.spec?.hostname;
  if (hostname && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace) return hostname;
  return undefined;
}

/** The pod's IP of the family asked for (IPv4 unless `ipv6`). */
export function podIPOfFamily(pod: Pod, ipv6: boolean): string | undefined {
  const ips = pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  return ips.find((ip) => !!ip && ip.includes(':') === ipv6);
}

interface TriggerState {
  podTimes: Map<string, number>;
  serviceTime: number;
}

/**
 * TriggerTimeTracker: the earliest change (a pod's Ready transition or the service's creation)
 * newer than what the last sync saw: when whatever triggered this endpoints change happened.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, TriggerState>();

  compute(key: string, svc: Service, pods: Pod[]): number | undefined {
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const t = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
      if (Number.isNaN(t)) continue;
      podTimes.set(pod.metadata!.name!, t);
      if (t > (state?.podTimes.get(pod.metadata!.name!) ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const serviceTime = svc.metadata?.creationTimestamp ? Date.parse(svc.metadata.creationTimestamp) : NaN;
    if (!Number.isNaN(serviceTime) && serviceTime > (state?.serviceTime ?? -Infinity)) min = min === undefined ? serviceTime : Math.min(min, serviceTime);
    this.states.set(key, { podTimes, serviceTime: Number.isNaN(serviceTime) ? -Infinity : serviceTime });
    return min;
  }

  forget(key: string): void {
    this.states.delete(key);
  }
}

/** Go's RFC3339Nano: fractional seconds without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}
