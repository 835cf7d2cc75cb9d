// Lease-based leader election (client-go's tools/leaderelection with a LeaseLock): one
// holder at a time renews a coordination.k8s.io/v1 Lease; others take it over once it
// has gone unrenewed for its duration, measured on their own clock from when they last
// saw it change (so clock skew between machines does not matter).
import type { Client, ResourceClient } from './client.js';
import { isAlreadyExists, isNotFound } from './errors.js';
import { resources } from './resource.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  client: Client;
  /** Where the Lease lives, e.g. kube-system/kube-controller-manager. */
  namespace: string;
  name: string;
  /** Unique per candidate: hostname plus a random suffix, as upstream components use. */
  identity: string;
  /** How long a lease is honoured without renewal (client-go default 15). */
  leaseDurationSeconds?: number;
  /** How long the leader keeps trying to renew before it gives up leading (default 10). */
  renewDeadlineSeconds?: number;
  /** Time between attempts (default 2). */
  retryPeriodSeconds?: number;
  /** Hands the lease back on stop(), so another candidate need not wait for it to expire (default true). */
  releaseOnCancel?: boolean;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** Called when leadership ends: lost, or given up by stop(). */
  onStoppedLeading?(): void;
  /** Called whenever a different holder is observed (including this one). */
  onNewLeader?(identity: string): void;
  /** Failed attempts to read or write the Lease. */
  onError?(err: unknown): void;
}

// wait.JitterUntil's factor in client-go's acquire loop.
const JITTER_FACTOR = 1.2;

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly leases: ResourceClient<Lease>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed?: LeaseSpec;
  private observedRaw = '';
  /** performance.now() when the lease was last seen to change. */
  private observedAt = 0;
  private leading = false;
  private stopped = false;
  private running?: Promise<void>;
  /** Pending sleeps, woken early by stop(). */
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly opts: LeaderElectionOptions) {
    this.leaseDurationMs = (opts.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadlineMs = (opts.renewDeadlineSeconds ?? 10) * 1000;
    this.retryPeriodMs = (opts.retryPeriodSeconds ?? 2) * 1000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (!opts.identity) throw new Error('Lock identity is empty');
    this.leases = opts.client.resource<Lease>(resources.leases).namespace(opts.namespace);
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed in the Lease. */
  get leader(): string | undefined {
    return this.observed?.holderIdentity || undefined;
  }

  /** Campaigns until leading, then renews until leadership is lost or stop() is called. */
  run(): Promise<void> {
    this.running ??= this.campaign();
    return this.running;
  }

  /** Stops campaigning or leading (releasing the lease when so configured) and waits for that to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    await this.running;
  }

  private async campaign(): Promise<void> {
    while (!this.stopped && !(await this.tryAcquireOrRenew())) {
      await this.sleep(this.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR));
    }
    if (this.stopped) return;
    this.leading = true;
    const leadership = new AbortController();
    this.opts.onStartedLeading(leadership.signal);
    await this.renewLoop();
    this.leading = false;
    leadership.abort();
    if (this.stopped && (this.opts.releaseOnCancel ?? true)) await this.release();
    this.opts.onStoppedLeading?.();
  }

  /** Renews every retry period; returns when a renewal could not succeed within the renew deadline, or on stop. */
  private async renewLoop(): Promise<void> {
    while (!this.stopped) {
      const deadline = performance.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!this.stopped && performance.now() < deadline) {
        renewed = await this.attemptWithin(deadline - performance.now());
        if (renewed) break;
        await this.sleep(Math.min(this.retryPeriodMs, deadline - performance.now()));
      }
      if (!renewed) return;
      await this.sleep(this.retryPeriodMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** One attempt, counted as failed if it has not succeeded within `ms`. */
  private attemptWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.tryAcquireOrRenew().then((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
  }

  private observe(spec: LeaseSpec): void {
    const raw = `${spec.holderIdentity ?? ''}|${spec.leaseDurationSeconds}|${spec.renewTime}|${spec.acquireTime}|${spec.leaseTransitions}`;
    if (raw === this.observedRaw) return;
    const previousHolder = this.observed?.holderIdentity;
    this.observed = spec;
    this.observedRaw = raw;
    this.observedAt = performance.now();
    if (spec.holderIdentity && spec.holderIdentity !== previousHolder) this.opts.onNewLeader?.(spec.holderIdentity);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const nowMs = Date.now();
    const spec: LeaseSpec = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(nowMs),
      renewTime: microTime(nowMs),
      leaseTransitions: 0,
    };
    try {
      let current: Lease;
      try {
        current = await this.leases.get(this.opts.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const created = await this.leases.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.opts.namespace },
          spec,
        });
        this.observe(created.spec ?? spec);
        return true;
      }
      const old = current.spec ?? {};
      this.observe(old);
      const expiresAt = this.observedAt + (old.leaseDurationSeconds ?? 0) * 1000;
      const heldByOther = !!old.holderIdentity && old.holderIdentity !== this.opts.identity;
      if (heldByOther && expiresAt > performance.now()) return false;
      if (this.leading) {
        spec.acquireTime = old.acquireTime;
        spec.leaseTransitions = old.leaseTransitions ?? 0;
      } else {
        spec.leaseTransitions = (old.leaseTransitions ?? 0) + 1;
      }
      const updated = await this.leases.update({ ...current, spec });
      this.observe(updated.spec ?? spec);
      return true;
    } catch (err) {
      if (!isAlreadyExists(err)) this.opts.onError?.(err);
      return false;
    }
  }

  /** Gives the lease up: no holder, and a one-second duration, as client-go's release does. */
  private async release(): Promise<void> {
    try {
      const current = await this.leases.get(this.opts.name);
      if (current.spec?.holderIdentity !== this.opts.identity) return;
      const nowMs = Date.now();
      await this.leases.update({
        ...current,
        spec: {
          leaseDurationSeconds: 1,
          acquireTime: microTime(nowMs),
          renewTime: microTime(nowMs),
          leaseTransitions: current.spec.leaseTransitions ?? 0,
        },
      });
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
