// Why a file the user named cannot be read or written, in words, and the path as they gave it when it is safe to
// print. The path is the user's own text, shown back to the user who typed it on their own terminal, to find a typo:
// it goes to no log, audit event or gateway. Rule 2 still bounds it: a path with control or bidi characters (which
// could repaint the terminal), or longer than a path someone types, is not printed at all, only said to be given.

/** The longest path printed back; a longer one is more likely a value pasted in than a path. */
const MAX_SHOWN_PATH = 120;

/** Control characters, bidi controls and other invisible format characters (`\p{Cf}`), line and paragraph breaks. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** `path` in double quotes, or a note that it is not shown (by the rule above). */
export function shownPath(path: string): string {
  return path.length <= MAX_SHOWN_PATH && !UNPRINTABLE.test(path)
    ? `"${path}"`
    : `(the path given is not shown: it holds control characters or is longer than ${MAX_SHOWN_PATH} characters)`;
}

/** What an errno means for a file opened to be read. */
const READ_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links in its path',
  ENAMETOOLONG: 'its name is too long',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
};

/** What an errno means for a file opened to be written. */
const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  ...READ_PROBLEMS,
  ENOENT: 'its folder does not exist',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

/** An errno's own code, when it has the shape of one (a foreign error's `code` could hold anything). */
function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]{1,20}$/.test(code) ? code : undefined;
}

function problem(err: unknown, words: Readonly<Record<string, string>>): string {
  const code = errnoCode(err);
  if (code === undefined) return '';
  return Object.hasOwn(words, code) ? `${words[code]} (${code})` : code;
}

/** Why a file could not be opened for reading: `it does not exist (ENOENT)`, only the code of another errno, or ''. */
export function readProblem(err: unknown): string {
  return problem(err, READ_PROBLEMS);
}

/** Why a file could not be opened for writing, in the same form as {@link readProblem}. */
export function writeProblem(err: unknown): string {
  return problem(err, WRITE_PROBLEMS);
}

/** `what path: why`, e.g. `cannot read the manifest file "x.csv": it does not exist (ENOENT)`. */
export function fileError(what: string, path: string, why: string): string {
  return `${what} ${shownPath(path)}${why === '' ? '' : `: ${why}`}`;
}
