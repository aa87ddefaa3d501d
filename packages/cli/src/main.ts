// The `borderlink` entry. `--version` is answered before the library and the commands are loaded: a script that
// asks for the version, or a command run per manifest, should not pay for loading everything a check needs.

/** borderlink's version, written in at build time (tsup.config.ts) from the exact version this command depends on. */
declare const __BORDERLINK_VERSION__: string;

const first = process.argv[2];
if ((first === '--version' || first === '-v') && typeof __BORDERLINK_VERSION__ === 'string') {
  process.stdout.write(`${__BORDERLINK_VERSION__}\n`);
} else {
  const { main } = await import('./command');
  await main();
}

export {};
