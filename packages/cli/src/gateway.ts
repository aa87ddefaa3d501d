// `borderlink gateway`: the mock gateway on a socket for development. Line 1 of stdout is the URL and nothing else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockGateway, loadDataset, parseFaultSpec, type MockGatewayOptions } from 'borderlink/testing';
import { COMMON_OPTIONS, UsageError, expectPositionals, integerFlag, parseFlags } from './args';
import { makeDevCertificates } from './dev-certificates';

export const OPTIONS = {
  ...COMMON_OPTIONS,
  port: { type: 'string' },
  host: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-key': { type: 'string' },
  'tls-cert': { type: 'string' },
  dataset: { type: 'string' },
  faults: { type: 'string' },
  token: { type: 'string' },
  latency: { type: 'string' },
} as const;

interface MadeCertificate {
  /** Holds the CA certificate for clients to trust (`--ca`); removed on exit. */
  dir: string;
  caPath: string;
  key: string;
  cert: string;
}

/** A throw-away CA and a server certificate for `host`. */
function makeCertificate(host: string): MadeCertificate {
  const names = new Set(['IP:127.0.0.1', 'IP:::1', 'DNS:localhost']);
  if (host !== '0.0.0.0' && host !== '::') names.add(isIP(host) ? `IP:${host}` : `DNS:${host}`);
  let made;
  try {
    made = makeDevCertificates({ altNames: [...names] });
  } catch (err) {
    const missing = (err as { code?: unknown }).code === 'ENOENT';
    throw new UsageError(
      missing ? '--tls needs the openssl binary on the PATH; or give --tls-key and --tls-cert' : '--tls: openssl could not make the certificate; give --tls-key and --tls-cert',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-gateway-tls-'));
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, made.ca);
  return { dir, caPath, key: made.serverKey, cert: made.serverCert };
}

async function readFlagFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the file given to ${flag}`);
  }
}

export async function runGateway(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 0, 'gateway');
  const port = integerFlag(values.port, '--port', 0, 65535) ?? 8080;
  const host = values.host ?? '127.0.0.1';
  const latencyMs = integerFlag(values.latency, '--latency', 0, 600_000);
  if (values.tls && (values['tls-key'] !== undefined || values['tls-cert'] !== undefined)) {
    throw new UsageError('give either --tls or --tls-key with --tls-cert, not both');
  }
  if ((values['tls-key'] === undefined) !== (values['tls-cert'] === undefined)) throw new UsageError('--tls-key and --tls-cert go together');

  const options: MockGatewayOptions = { port, host };
  if (values.dataset !== undefined) options.dataset = loadDataset(await readFlagFile(values.dataset, '--dataset'));
  if (values.faults !== undefined) options.faults = parseFaultSpec(values.faults);
  if (values.token !== undefined) options.token = values.token;
  if (latencyMs !== undefined) options.latencyMs = latencyMs;

  let made: MadeCertificate | undefined;
  if (values['tls-key'] !== undefined && values['tls-cert'] !== undefined) {
    options.tls = { key: await readFlagFile(values['tls-key'], '--tls-key'), cert: await readFlagFile(values['tls-cert'], '--tls-cert') };
  } else if (values.tls) {
    made = makeCertificate(host);
    options.tls = { key: made.key, cert: made.cert };
  }
  const removeMade = () => {
    if (made !== undefined) rmSync(made.dir, { recursive: true, force: true });
  };

  let gateway;
  try {
    gateway = await createMockGateway(options);
  } catch (err) {
    removeMade();
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use; choose another with --port (0 for a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new UsageError('cannot listen on that --host / --port');
    throw err;
  }
  process.stdout.write(`${gateway.url}\n`);
  const notes = [
    `borderlink: mock gateway listening on ${gateway.url} (${values.dataset !== undefined ? 'dataset from --dataset' : 'demo dataset: synthetic data'})`,
  ];
  if (made !== undefined) {
    notes.push(`borderlink: TLS with a throw-away CA and certificate made by openssl; the CA certificate is in ${made.dir} (removed on exit)`);
    notes.push(`borderlink: trust it with --ca ${made.caPath}`);
  }
  if (values.faults !== undefined) notes.push('borderlink: faults from --faults apply to the first requests, in order');
  if (values.token !== undefined) notes.push('borderlink: requests need the bearer token given with --token');
  notes.push('borderlink: Ctrl-C (SIGINT) or SIGTERM stops it');
  process.stderr.write(`${notes.join('\n')}\n`);

  const running = gateway;
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(() => {
        removeMade();
        process.stderr.write('borderlink: mock gateway stopped\n');
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
