// Another process holding an SQLite file's write lock, as a long step of a sync in another process does.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface LockHolder {
  readonly child: ChildProcess;
  /** Tells it to commit and exit, and waits until it has (at once when it let go already). */
  release(): Promise<void>;
}

/** A child that takes the write lock of the file at `path` and holds it until released, or for `selfReleaseMs`. */
export async function lockHolder(path: string, selfReleaseMs?: number): Promise<LockHolder> {
  const source = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('LOCKED\\n');
    const go = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
    process.stdin.once('data', go);
    if (process.argv[2] !== undefined) setTimeout(go, Number(process.argv[2]));
  `;
  const args = ['-e', source, path, ...(selfReleaseMs !== undefined ? [String(selfReleaseMs)] : [])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(createInterface({ input: child.stdout }), 'line');
  return {
    child,
    async release() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin.write('go\n');
      await exited;
    },
  };
}
