// The root CA certificate publisher: a `kube-root-ca.crt` ConfigMap in every namespace with the
// cluster CA that signed the API server's certificate, so pods can verify kubernetes.default.svc.
// Changed or deleted copies are put back.
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { isNamespaceTerminating } from './util/status-causes.js';
import { deepCopy } from '../api/patch/json.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class RootCACertPublisher extends Controller {
  readonly name = 'root-ca-certificate-publisher';
  private configMaps!: Informer<ConfigMap>;

  constructor(
    ctx: ControllerContext,
    private readonly rootCA: string,
  ) {
    super(ctx);
  }

  setup(): void {
    const namespaces = this.ctx.informers.informerFor<Namespace>(resources.namespaces);
    this.configMaps = this.ctx.informers.informerFor<ConfigMap>(resources.configMaps, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });
    namespaces.addEventHandler({ onAdd: (ns) => this.enqueue(ns as KubeObject), onUpdate: (_o, ns) => this.enqueue(ns as KubeObject) });
    const enqueueNamespace = (cm: ConfigMap) => {
      if (cm.metadata?.namespace) this.queue.add(cm.metadata.namespace);
    };
    this.configMaps.addEventHandler({ onUpdate: (_o, cm) => enqueueNamespace(cm), onDelete: enqueueNamespace });
  }

  async reconcile(ns: string): Promise<void> {
    const client = this.ctx.client.resource<ConfigMap>(resources.configMaps).namespace(ns);
    const data = { 'ca.crt': this.rootCA };
    const cm = this.configMaps.store.get(`${ns}/${ROOT_CA_CONFIGMAP}`);
    if (!cm) {
      try {
        await client.create({ metadata: { name: ROOT_CA_CONFIGMAP, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } }, data });
      } catch (err) {
        // A namespace that is gone or going needs no bundle; one made meanwhile is checked on its event.
        if (!isNotFound(err) && !isNamespaceTerminating(err) && !isAlreadyExists(err)) throw err;
      }
      return;
    }
    const same = Object.keys(cm.data ?? {}).length === 1 && cm.data?.['ca.crt'] === this.rootCA;
    if (same && cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const copy = deepCopy(cm);
    copy.data = data;
    copy.metadata!.annotations = { ...(copy.metadata!.annotations ?? {}), [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION };
    await client.update(copy);
  }
}

/** The publisher of the cluster CA `rootCA` (PEM). */
export function rootCACertPublisherFactory(rootCA: string): ControllerFactory {
  return (ctx) => new RootCACertPublisher(ctx, rootCA);
}
