// kubeconfig files (clientcmd's v1 Config): reading the current context into what a
// connection needs, and writing the admin kubeconfig that kubectl uses.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/** The current context of a kubeconfig, resolved: everything needed to reach and authenticate to the server. */
export interface KubeconfigContext {
  contextName: string;
  /** `https://127.0.0.1:6443` */
  server: string;
  /** PEM bytes, from `certificate-authority-data` or the `certificate-authority` file. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  /** The context's namespace, `default` when unset. */
  namespace: string;
}

interface NamedEntry<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}

type Entry = Record<string, unknown>;

/** `$KUBECONFIG` (its first entry) or `~/.kube/config`. */
export function defaultKubeconfigPath(): string {
  const env = process.env.KUBECONFIG?.split(':').find((p) => p !== '');
  return env ?? join(homedir(), '.kube', 'config');
}

function findNamed(list: unknown, key: 'cluster' | 'user' | 'context', name: string): Entry | undefined {
  if (!Array.isArray(list)) return undefined;
  const hit = (list as NamedEntry<Entry>[]).find((e) => e?.name === name);
  return hit ? (hit[key] ?? {}) : undefined;
}

function str(e: Entry, field: string): string | undefined {
  const v = e[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Inline `*-data` (base64) wins over the file path, which is relative to the kubeconfig's directory, as clientcmd resolves it. */
function pemFrom(e: Entry, dataField: string, fileField: string, baseDir: string): Buffer | undefined {
  const data = str(e, dataField);
  if (data) return Buffer.from(data, 'base64');
  const file = str(e, fileField);
  return file ? readFileSync(isAbsolute(file) ? file : resolve(baseDir, file)) : undefined;
}

/** Resolves a kubeconfig document; `baseDir` anchors relative file paths. */
export function parseKubeconfig(text: string, baseDir: string, contextName?: string): KubeconfigContext {
  const doc = (parse(text) ?? {}) as Entry;
  const name = contextName ?? str(doc, 'current-context');
  if (!name) throw new Error('invalid configuration: no current-context is set');
  const context = findNamed(doc.contexts, 'context', name);
  if (!context) throw new Error(`context "${name}" does not exist`);
  const clusterName = str(context, 'cluster') ?? '';
  const cluster = findNamed(doc.clusters, 'cluster', clusterName);
  if (!cluster) throw new Error(`cluster "${clusterName}" of context "${name}" does not exist`);
  const server = str(cluster, 'server');
  if (!server) throw new Error(`cluster "${clusterName}" has no server`);
  const userName = str(context, 'user');
  const user = (userName && findNamed(doc.users, 'user', userName)) || {};

  let token = str(user, 'token');
  const tokenFile = str(user, 'tokenFile');
  if (!token && tokenFile) token = readFileSync(isAbsolute(tokenFile) ? tokenFile : resolve(baseDir, tokenFile), 'utf8').trim();

  const result: KubeconfigContext = {
    contextName: name,
    server,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    namespace: str(context, 'namespace') ?? 'default',
  };
  const ca = pemFrom(cluster, 'certificate-authority-data', 'certificate-authority', baseDir);
  if (ca) result.ca = ca;
  const cert = pemFrom(user, 'client-certificate-data', 'client-certificate', baseDir);
  if (cert) result.cert = cert;
  const key = pemFrom(user, 'client-key-data', 'client-key', baseDir);
  if (key) result.key = key;
  if (token) result.token = token;
  const username = str(user, 'username');
  if (username) result.username = username;
  const password = str(user, 'password');
  if (password) result.password = password;
  const tlsServerName = str(cluster, 'tls-server-name');
  if (tlsServerName) result.tlsServerName = tlsServerName;
  return result;
}

export function loadKubeconfig(path: string = defaultKubeconfigPath(), contextName?: string): KubeconfigContext {
  return parseKubeconfig(readFileSync(path, 'utf8'), dirname(resolve(path)), contextName);
}

export interface KubeconfigSpec {
  server: string;
  contextName: string;
  /** Bearer token of the user. */
  token?: string;
  /** PEM: the CA that signed the server's certificate. */
  caData?: string | Buffer;
  /** PEM: client certificate and key of the user. */
  certData?: string | Buffer;
  keyData?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  namespace?: string;
  /** Names of the cluster and user entries; both default to the context name. */
  clusterName?: string;
  userName?: string;
}

function base64(pem: string | Buffer): string {
  return (typeof pem === 'string' ? Buffer.from(pem, 'utf8') : pem).toString('base64');
}

/** The kubeconfig document for one cluster, one user and one context, which is also current. */
export function kubeconfigDocument(spec: KubeconfigSpec): string {
  const clusterName = spec.clusterName ?? spec.contextName;
  const userName = spec.userName ?? spec.contextName;
  const cluster: Entry = { server: spec.server };
  if (spec.caData) cluster['certificate-authority-data'] = base64(spec.caData);
  if (spec.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  const user: Entry = {};
  if (spec.certData) user['client-certificate-data'] = base64(spec.certData);
  if (spec.keyData) user['client-key-data'] = base64(spec.keyData);
  if (spec.token) user.token = spec.token;
  const context: Entry = { cluster: clusterName, user: userName };
  if (spec.namespace) context.namespace = spec.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster }],
    users: [{ name: userName, user }],
    contexts: [{ name: spec.contextName, context }],
    'current-context': spec.contextName,
    preferences: {},
  });
}

/** Writes the kubeconfig atomically, readable by its owner only (it holds credentials). */
export function writeKubeconfig(path: string, spec: KubeconfigSpec): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigDocument(spec), { mode: 0o600 });
  renameSync(tmp, path);
}
