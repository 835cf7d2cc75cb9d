// Admission: mutating plugins run first, then validating ones, as kube-apiserver orders
// them. Each plugin is one file in this folder and can be switched off by name.
import type { KubeObject, ResourceDefinition } from '../../api/registry.js';
import type { UserInfo } from '../../client/transport.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  def: ResourceDefinition;
  subresource: string;
  namespace: string;
  name: string;
  /** The incoming object (mutable in the mutating phase); absent for DELETE. */
  object?: KubeObject;
  /** The stored object for UPDATE and DELETE. */
  oldObject?: KubeObject;
  dryRun: boolean;
  user?: UserInfo;
  /** Reads another object from the watch caches (admission never calls back through HTTP). */
  lookup(group: string, plural: string, namespace: string, name: string): Readonly<KubeObject> | undefined;
  /** The same read, made consistent with the store: for a cache miss that may just be lag (upstream's live lookup). */
  lookupConsistent(group: string, plural: string, namespace: string, name: string): Promise<Readonly<KubeObject> | undefined>;
}

export interface AdmissionPlugin {
  /** The upstream plugin name, e.g. `NamespaceLifecycle`. */
  name: string;
  /** May change `attrs.object`; throws a StatusError to reject. */
  admit?(attrs: AdmissionAttributes): Promise<void> | void;
  /** Must not change anything; throws a StatusError to reject. */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(attrs);
  }
}
