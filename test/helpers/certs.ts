/**
 * Test certificates for TLS and mutual TLS: a throw-away CA, a server certificate for 127.0.0.1 / localhost and a
 * client certificate, made with the `openssl` binary. Generated once per test file (the module is evaluated once per
 * file) into a temporary directory that is removed again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM strings. */
export interface TestCertificates {
  /** The CA certificate that signed both leaf certificates. */
  ca: string;
  serverKey: string;
  /** Valid for `IP:127.0.0.1` and `DNS:localhost`. */
  serverCert: string;
  clientKey: string;
  /** Subject `CN=borderlink-test-client`, extended key usage `clientAuth`. */
  clientCert: string;
}

const config = `
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
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

let cached: TestCertificates | undefined;

/** Returns the test certificates, generating them on the first call of this test file. */
export function makeCertificates(): TestCertificates {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-certs-'));
  try {
    const path = (name: string) => join(dir, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    writeFileSync(path('openssl.cnf'), config);

    const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path(name));
    key('ca.key');
    openssl(
      'req', '-config', path('openssl.cnf'), '-x509', '-new', '-key', path('ca.key'), '-subj', '/CN=borderlink-test-ca',
      '-days', '2', '-extensions', 'ca', '-out', path('ca.pem'),
    );
    const leaf = (name: 'server' | 'client', cn: string) => {
      key(`${name}.key`);
      openssl('req', '-config', path('openssl.cnf'), '-new', '-key', path(`${name}.key`), '-subj', `/CN=${cn}`, '-out', path(`${name}.csr`));
      openssl(
        'x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial',
        '-days', '2', '-extfile', path('openssl.cnf'), '-extensions', name, '-out', path(`${name}.pem`),
      );
    };
    leaf('server', 'localhost');
    leaf('client', 'borderlink-test-client');

    const read = (name: string) => readFileSync(path(name), 'utf8');
    cached = {
      ca: read('ca.pem'),
      serverKey: read('server.key'),
      serverCert: read('server.pem'),
      clientKey: read('client.key'),
      clientCert: read('client.pem'),
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
