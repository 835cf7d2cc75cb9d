// Shared by the auth tests: other users than the admin — a service account token kubeconfig made
// the way a user makes one (`kubectl create token`, `kubectl config`), client certificates signed
// by the cluster CA (or by another), and TLS agents that present them or nothing.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { KubectlSession } from '../kubectl/support.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export function pkiDir(s: KubectlSession): string {
  return join(dirname(s.cluster.kubeconfigPath), 'pki');
}

export function clusterCA(s: KubectlSession): string {
  return readFileSync(join(pkiDir(s), 'ca.crt'), 'utf8');
}

/** An HTTPS agent that trusts the cluster CA and presents `identity` (a client certificate), or nothing. */
export function agentFor(s: KubectlSession, identity?: { certPem: string; keyPem: string }): HttpsAgent {
  return new HttpsAgent({ ca: clusterCA(s), cert: identity?.certPem, key: identity?.keyPem });
}

function pem(label: string, der: ArrayBuffer): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A client certificate for `subject` (`CN=jane, O=devs`), signed by the CA in `caDir` (ca.crt, ca.key), or self-signed without one. */
export async function clientCertificate(subject: string, caDir?: string): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const common = {
    serialNumber: '01' + Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 24 * 3600_000),
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  };
  let cert: x509.X509Certificate;
  if (caDir) {
    const ca = new x509.X509Certificate(readFileSync(join(caDir, 'ca.crt'), 'utf8'));
    const caKeyDer = Buffer.from(readFileSync(join(caDir, 'ca.key'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const signingKey = await webcrypto.subtle.importKey('pkcs8', caKeyDer, ALGORITHM, false, ['sign']);
    cert = await x509.X509CertificateGenerator.create({ ...common, subject, issuer: ca.subject, signingKey, publicKey: keys.publicKey });
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: subject, keys });
  }
  return { certPem: cert.toString('pem'), keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

/**
 * A kubeconfig for the service account `namespace/name`, made as a user makes one: a token from
 * `kubectl create token`, then `kubectl config set-cluster / set-credentials / set-context / use-context`.
 */
export async function serviceAccountKubeconfig(s: KubectlSession, namespace: string, name: string): Promise<string> {
  const token = (await s.ok(['create', 'token', name, '-n', namespace])).trim();
  const path = s.file(`${namespace}-${name}.kubeconfig`, '');
  const caFile = s.file('ca.crt', clusterCA(s));
  const config = (args: string[]) => s.ok(['config', ...args, `--kubeconfig=${path}`]);
  await config(['set-cluster', 'k8ts', `--server=${s.cluster.url}`, `--certificate-authority=${caFile}`, '--embed-certs']);
  await config(['set-credentials', name, `--token=${token}`]);
  await config(['set-context', `${name}@k8ts`, '--cluster=k8ts', `--user=${name}`, `--namespace=${namespace}`]);
  await config(['use-context', `${name}@k8ts`]);
  return path;
}
