// Throw-away TLS certificates for development and tests, made with the openssl binary (no TLS code of our own): a CA,
// a server certificate for the given names and, on request, a client certificate for mutual TLS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM strings. */
export interface DevCertificates {
  /** The CA certificate that signed the leaf certificates (its key is thrown away). */
  ca: string;
  serverKey: string;
  serverCert: string;
  /** With `client: true`: a certificate with extended key usage `clientAuth`. */
  clientKey?: string;
  clientCert?: string;
}

const config = (altNames: readonly string[]) => `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${altNames.join(', ')}
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

/**
 * Makes the certificates in a temporary directory, reads them and removes the directory.
 * @param altNames subject alternative names of the server certificate, e.g. `['IP:127.0.0.1', 'DNS:localhost']`.
 * @throws the openssl error (`code: 'ENOENT'` when the binary is missing).
 */
export function makeDevCertificates(options: { altNames: readonly string[]; client?: boolean; days?: number; name?: string }): DevCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-certs-'));
  const days = String(options.days ?? 7);
  const name = options.name ?? 'borderlink-dev';
  try {
    const path = (file: string) => join(dir, file);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    writeFileSync(path('openssl.cnf'), config(options.altNames));
    const key = (file: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path(file));
    key('ca.key');
    openssl('req', '-config', path('openssl.cnf'), '-x509', '-new', '-key', path('ca.key'), '-subj', `/CN=${name}-ca`, '-days', days, '-extensions', 'ca', '-out', path('ca.pem'));
    const leaf = (kind: 'server' | 'client', cn: string) => {
      key(`${kind}.key`);
      openssl('req', '-config', path('openssl.cnf'), '-new', '-key', path(`${kind}.key`), '-subj', `/CN=${cn}`, '-out', path(`${kind}.csr`));
      openssl(
        'x509', '-req', '-in', path(`${kind}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial',
        '-days', days, '-extfile', path('openssl.cnf'), '-extensions', kind, '-out', path(`${kind}.pem`),
      );
    };
    leaf('server', 'localhost');
    if (options.client) leaf('client', `${name}-client`);
    const read = (file: string) => readFileSync(path(file), 'utf8');
    return {
      ca: read('ca.pem'),
      serverKey: read('server.key'),
      serverCert: read('server.pem'),
      ...(options.client ? { clientKey: read('client.key'), clientCert: read('client.pem') } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
