// The ClusterRole aggregation controller: a cluster role with an aggregationRule gets as its
// rules those of every cluster role its selectors pick (selector by selector, roles by name,
// each rule once), as kube-controller-manager's clusterrole-aggregation. Any cluster role change
// may change what some aggregate gathers, so every aggregate is looked at again.
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { selectorFromLabelSelector } from '../api/meta/labels.js';
import { isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { deepCopy } from '../api/patch/json.js';

/** A rule's identity, unset and empty lists alike (upstream compares semantically). */
function ruleKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
}

function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => ruleKey(r) === ruleKey(b[i]));
}

export class ClusterRoleAggregationController extends Controller {
  readonly name = 'clusterrole-aggregation';
  private roles!: Informer<ClusterRole>;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.workers = 1;
  }

  setup(): void {
    this.roles = this.ctx.informers.informerFor<ClusterRole>(resources.clusterRoles);
    const enqueueAggregates = () => {
      for (const role of this.roles.store.list()) if (role.aggregationRule) this.enqueue(role);
    };
    this.roles.addEventHandler({ onAdd: enqueueAggregates, onUpdate: enqueueAggregates, onDelete: enqueueAggregates });
  }

  /** The rules `role` gathers from the cluster roles its selectors pick. */
  private aggregatedRules(role: ClusterRole): PolicyRule[] {
    const rules: PolicyRule[] = [];
    const seen = new Set<string>();
    const all = this.roles.store.list().sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
    for (const labelSelector of role.aggregationRule?.clusterRoleSelectors ?? []) {
      const selector = selectorFromLabelSelector(labelSelector);
      for (const source of all) {
        if (source.metadata?.name === role.metadata?.name || !selector.matches(source.metadata?.labels ?? {})) continue;
        for (const rule of source.rules ?? []) {
          const key = ruleKey(rule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push(rule);
        }
      }
    }
    return rules;
  }

  async reconcile(name: string): Promise<void> {
    const role = this.roles.store.get(name);
    if (!role?.aggregationRule) return;
    const rules = this.aggregatedRules(role);
    if (sameRules(rules, role.rules ?? [])) return;
    const updated = deepCopy(role);
    updated.rules = deepCopy(rules);
    try {
      await this.ctx.client.resource<ClusterRole>(resources.clusterRoles).update(updated);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const clusterRoleAggregationControllerFactory: ControllerFactory = (ctx) => new ClusterRoleAggregationController(ctx);
