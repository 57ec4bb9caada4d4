import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

/** A PEM certificate and its unencrypted PKCS#8 private key. */
export interface PemKeyPair {
  readonly cert: string;
  readonly key: string;
}

/** A throw-away certificate authority and certificates it signed, for tests and local runs. */
export interface TestCertificates {
  /** The CA certificate (give it to clients as their trusted CA). */
  readonly ca: PemKeyPair;
  /** Server certificate for `localhost` and `127.0.0.1` (and `hosts`), signed by the CA. */
  readonly server: PemKeyPair;
  /** Client certificate (CN `client`), signed by the CA, for mutual TLS. */
  readonly client: PemKeyPair;
  /** A client certificate signed by the CA that expired yesterday. */
  readonly expiredClient: PemKeyPair;
  /** A self-signed server certificate no client trusts (an untrusted broker). */
  readonly untrustedServer: PemKeyPair;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

x509.cryptoProvider.set(webcrypto);

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pemKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function leaf(
  issuer: { name: string; keys: CryptoKeyPair },
  cn: string,
  options: { hosts?: readonly string[]; notBefore: Date; notAfter: Date; server: boolean },
): Promise<PemKeyPair> {
  const k = await keys();
  const dns = (options.hosts ?? []).filter((h) => !/^[\d.]+$/.test(h) && !h.includes(':'));
  const ips = (options.hosts ?? []).filter((h) => /^[\d.]+$/.test(h) || h.includes(':'));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    subject: `CN=${cn}`,
    issuer: issuer.name,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    signingAlgorithm: ALG,
    publicKey: k.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        options.server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(options.hosts
        ? [
            new x509.SubjectAlternativeNameExtension([
              ...dns.map((value) => ({ type: 'dns' as const, value })),
              ...ips.map((value) => ({ type: 'ip' as const, value })),
            ]),
          ]
        : []),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemKey(k.privateKey) };
}

/**
 * Makes a fresh CA and server/client certificates (ECDSA P-256) in memory, in a few
 * milliseconds, so tests never depend on `openssl` or on certificate files that expire.
 */
export async function createTestCertificates(
  options: { hosts?: readonly string[] } = {},
): Promise<TestCertificates> {
  const now = Date.now();
  const notBefore = new Date(now - DAY);
  const notAfter = new Date(now + 30 * DAY);
  const caKeys = await keys();
  const caName = 'CN=gmart test CA';
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: caName,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const issuer = { name: caName, keys: caKeys };
  const hosts = ['localhost', '127.0.0.1', ...(options.hosts ?? [])];
  const untrustedKeys = await keys();
  const untrusted = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '02',
    name: 'CN=localhost',
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: untrustedKeys,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });
  return {
    ca: { cert: caCert.toString('pem'), key: await pemKey(caKeys.privateKey) },
    server: await leaf(issuer, 'localhost', { hosts, notBefore, notAfter, server: true }),
    client: await leaf(issuer, 'client', { notBefore, notAfter, server: false }),
    expiredClient: await leaf(issuer, 'expired-client', {
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now - DAY),
      server: false,
    }),
    untrustedServer: { cert: untrusted.toString('pem'), key: await pemKey(untrustedKeys.privateKey) },
  };
}
