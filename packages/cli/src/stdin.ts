// Small whole-input reads from standard input (MRZ lines). Manifests are streamed by screen.ts instead.

/** Reads standard input to its end, as UTF-8. Says on stderr what it waits for when a person is typing. */
export async function readStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`borderlink: reading ${what} from standard input; end with Ctrl-D\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
