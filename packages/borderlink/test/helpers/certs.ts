/**
 * Test certificates for TLS and mutual TLS: a throw-away CA, a server certificate for 127.0.0.1 / localhost and a
 * client certificate, made with the `openssl` binary once per test file (the module is evaluated once per file).
 */
import { makeDevCertificates } from '../../../cli/src/dev-certificates';

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

let cached: TestCertificates | undefined;

/** Returns the test certificates, generating them on the first call of this test file. */
export function makeCertificates(): TestCertificates {
  if (cached !== undefined) return cached;
  const made = makeDevCertificates({ altNames: ['IP:127.0.0.1', 'DNS:localhost'], client: true, days: 2, name: 'borderlink-test' });
  cached = { ca: made.ca, serverKey: made.serverKey, serverCert: made.serverCert, clientKey: made.clientKey!, clientCert: made.clientCert! };
  return cached;
}
