import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionProblem } from './connection-problem';
import type { TlsSettings } from './kafka-connection-settings';

/** The TLS file variables, parsed (paths) and `KAFKA_SSL_SERVERNAME`. */
export interface TlsFileVariables {
  readonly KAFKA_SSL_CA_FILE?: string;
  readonly KAFKA_SSL_CERT_FILE?: string;
  readonly KAFKA_SSL_KEY_FILE?: string;
  readonly KAFKA_SSL_SERVERNAME?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function read(variable: string, file: string, problems: ConnectionProblem[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ variable, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    return undefined;
  }
}

/** Parses every certificate of a PEM file; a problem when there is none, one is malformed or expired. */
function certificates(
  variable: string,
  pem: string,
  now: number,
  problems: ConnectionProblem[],
): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    problems.push({ variable, reason: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' });
    return [];
  }
  const out: X509Certificate[] = [];
  for (const block of blocks) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch {
      problems.push({ variable, reason: 'holds a certificate that cannot be parsed' });
      return [];
    }
    if (Date.parse(cert.validTo) < now) {
      problems.push({
        variable,
        reason: `holds a certificate that expired on ${cert.validTo} (${cert.subject})`,
      });
      return [];
    }
    if (Date.parse(cert.validFrom) > now) {
      problems.push({ variable, reason: `holds a certificate not valid before ${cert.validFrom}` });
      return [];
    }
    out.push(cert);
  }
  return out;
}

/**
 * Reads and checks the PEM files named by the TLS variables: CA and client certificates parse
 * and are within their validity period, the key parses (unencrypted) and matches the
 * certificate. Problems name the variable and never quote a file's contents.
 */
export function readTlsFiles(
  v: TlsFileVariables,
  now = Date.now(),
): { readonly tls: TlsSettings; readonly problems: ConnectionProblem[] } {
  const problems: ConnectionProblem[] = [];
  const tls: { ca?: string[]; cert?: string; key?: string; servername?: string } = {};
  if (v.KAFKA_SSL_CA_FILE !== undefined) {
    const pem = read('KAFKA_SSL_CA_FILE', v.KAFKA_SSL_CA_FILE, problems);
    if (pem !== undefined && certificates('KAFKA_SSL_CA_FILE', pem, now, problems).length > 0) tls.ca = [pem];
  }
  let cert: X509Certificate | undefined;
  if (v.KAFKA_SSL_CERT_FILE !== undefined) {
    const pem = read('KAFKA_SSL_CERT_FILE', v.KAFKA_SSL_CERT_FILE, problems);
    if (pem !== undefined) {
      cert = certificates('KAFKA_SSL_CERT_FILE', pem, now, problems)[0];
      if (cert) tls.cert = pem;
    }
  }
  if (v.KAFKA_SSL_KEY_FILE !== undefined) {
    const pem = read('KAFKA_SSL_KEY_FILE', v.KAFKA_SSL_KEY_FILE, problems);
    if (pem !== undefined) {
      let key: KeyObject | undefined;
      try {
        key = createPrivateKey(pem);
      } catch {
        problems.push({
          variable: 'KAFKA_SSL_KEY_FILE',
          reason: 'cannot be parsed as an unencrypted PEM private key',
        });
      }
      if (key && cert && !cert.checkPrivateKey(key)) {
        problems.push({
          variable: 'KAFKA_SSL_KEY_FILE',
          reason: 'does not match the certificate of KAFKA_SSL_CERT_FILE',
        });
      } else if (key) tls.key = pem;
    }
  }
  if (v.KAFKA_SSL_SERVERNAME !== undefined) tls.servername = v.KAFKA_SSL_SERVERNAME;
  return { tls, problems };
}
