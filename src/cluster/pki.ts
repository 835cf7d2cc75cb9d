// The cluster's certificates: a CA, the API server's serving certificate and the admin's
// client certificate, made once per data dir (kept across restarts) with @peculiar/x509; and
// the key pair service account tokens are signed with (sa.key/sa.pub, as kubeadm keeps them).
// @peculiar/x509 2.x resolves its services through tsyringe, which needs this polyfill loaded first.
import 'reflect-metadata';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface ClusterPki {
  ca: KeyPair;
  apiserver: KeyPair;
  /** CN kubernetes-admin, O system:masters: the identity of the admin kubeconfig. */
  admin: KeyPair;
  serviceAccount: ServiceAccountKey;
}

/** The service account token signing key (kube-apiserver's `--service-account-signing-key-file`). */
export interface ServiceAccountKey {
  /** PKCS#8 PEM of an EC P-256 key, or whatever key an operator put in sa.key (RSA too). */
  keyPem: string;
  /** SPKI PEM (`--service-account-key-file`): what token verifiers need. */
  publicKeyPem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function keyPem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

async function makeCA(): Promise<{ pair: KeyPair; cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=k8ts-ca',
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { pair: { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey) }, cert, keys };
}

async function issue(
  ca: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  usage: 'server' | 'client',
  sans: { dns: string[]; ips: string[] } = { dns: [], ips: [] },
): Promise<KeyPair> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (usage === 'server') {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([...sans.dns.map((value) => ({ type: 'dns' as const, value })), ...sans.ips.map((value) => ({ type: 'ip' as const, value }))]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey) };
}

/** The names the API server answers to: loopback, its advertise address, and the `kubernetes` Service. */
export function apiserverSANs(advertiseAddress: string | undefined, serviceIP: string): { dns: string[]; ips: string[] } {
  return {
    dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    ips: ['127.0.0.1', serviceIP, ...(advertiseAddress ? [advertiseAddress] : [])],
  };
}

/** Reads sa.key/sa.pub from `dir`, or makes a new EC P-256 pair there (older data dirs have none yet). */
function loadOrCreateServiceAccountKey(dir: string | undefined): ServiceAccountKey {
  const files = dir ? { key: join(dir, 'sa.key'), pub: join(dir, 'sa.pub') } : undefined;
  if (files && existsSync(files.key) && existsSync(files.pub)) return { keyPem: readFileSync(files.key, 'utf8'), publicKeyPem: readFileSync(files.pub, 'utf8') };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pair = { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
  if (dir && files) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(files.key, pair.keyPem, { mode: 0o600 });
    writeFileSync(files.pub, pair.publicKeyPem, { mode: 0o644 });
  }
  return pair;
}

/** Makes the certificates and keys, or, with a directory that has them, reads them back. */
export async function loadOrCreatePki(dir: string | undefined, sans: { dns: string[]; ips: string[] }): Promise<ClusterPki> {
  const files = dir ? { ca: join(dir, 'ca'), apiserver: join(dir, 'apiserver'), admin: join(dir, 'admin') } : undefined;
  const read = (base: string): KeyPair => ({ certPem: readFileSync(`${base}.crt`, 'utf8'), keyPem: readFileSync(`${base}.key`, 'utf8') });
  if (files && existsSync(`${files.admin}.key`)) {
    return { ca: read(files.ca), apiserver: read(files.apiserver), admin: read(files.admin), serviceAccount: loadOrCreateServiceAccountKey(dir) };
  }
  const ca = await makeCA();
  const certs = {
    ca: ca.pair,
    apiserver: await issue(ca, 'CN=kube-apiserver', 'server', sans),
    admin: await issue(ca, 'CN=kubernetes-admin, O=system:masters', 'client'),
  };
  if (dir && files) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [name, pair] of Object.entries(certs) as [keyof typeof files, KeyPair][]) {
      writeFileSync(`${files[name]}.crt`, pair.certPem, { mode: 0o644 });
      writeFileSync(`${files[name]}.key`, pair.keyPem, { mode: 0o600 });
    }
  }
  return { ...certs, serviceAccount: loadOrCreateServiceAccountKey(dir) };
}
