// /metrics: request counts and latencies by verb and resource, with upstream's metric names.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RouteInfo } from './handler.js';

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, group, version, resource, subresource, scope and HTTP response code.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource and scope.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const,
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(info: RouteInfo, code: number, seconds: number): void {
    const labels = {
      verb: info.verb,
      group: info.group,
      version: info.version,
      resource: info.resource,
      subresource: info.subresource,
      scope: info.scope,
      component: 'apiserver',
    };
    this.requests.inc({ ...labels, code: String(code) });
    // A watch's duration is how long it stayed open, not a latency.
    if (info.verb !== 'WATCH') this.latency.observe(labels, seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
