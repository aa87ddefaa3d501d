// `npm run bench [name ...]`: runs the named benchmarks (all by default), each printing one JSON line per figure.
// Every figure is a ratio against a baseline measured in the same run: these machines are shared and noisy.
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';

const all = ['mrz', 'coldstart', 'transport', 'batching', 'resilience', 'cache', 'answer', 'manifest', 'paxlst', 'offline', 'sync', 'names', 'audit', 'telemetry'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : all;

for (const name of names) {
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) {
    if (wanted.length > 0) throw new Error(`no benchmark named ${name}`);
    continue;
  }
  const mod = (await import(pathToFileURL(file.pathname).href)) as { run: () => Promise<void> };
  await mod.run();
}
