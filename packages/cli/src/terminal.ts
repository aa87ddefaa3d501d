// Colour only for a person at a terminal: none when piped or with NO_COLOR, always with FORCE_COLOR (≠ 0).
import type { Writable } from 'node:stream';

export interface Paint {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  magenta(text: string): string;
  /** White on a coloured background: the verdict banner. */
  banner(text: string, colour: 'red' | 'green' | 'yellow' | 'magenta'): string;
}

/** https://no-color.org and the FORCE_COLOR convention Node itself follows. */
export function colourWanted(stream: Writable & { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const backgrounds = { red: 41, green: 42, yellow: 43, magenta: 45 } as const;

export function createPaint(enabled: boolean): Paint {
  if (!enabled) {
    const plain = (text: string) => text;
    return { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, magenta: plain, banner: plain };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    magenta: sgr(35, 39),
    banner: (text, colour) => `\u001b[1;97;${backgrounds[colour]}m ${text} \u001b[0m`,
  };
}
