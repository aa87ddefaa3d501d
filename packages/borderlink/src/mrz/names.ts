// Reading the name field: primary identifier up to the first `<<`, secondary components split at `<`.
const FILLER = 60;

export function stripFiller(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === FILLER) end--;
  return end === text.length ? text : text.slice(0, end);
}

function fillerToSpace(text: string): string {
  return text.includes('<') ? text.split('<').filter((part) => part.length > 0).join(' ') : text;
}

/** The length of the field of `length` characters at `offset` of `buf` without its trailing filler. */
export function fillerEnd(buf: Uint8Array, offset: number, length: number): number {
  let end = length;
  while (end > 0 && buf[offset + end - 1] === FILLER) end--;
  return end;
}

/**
 * Splits the name field at the first `<<` into primary and secondary identifiers. `field` is the name field as held at
 * `offset` of `buf`: the filler positions are read from the buffer (they are the same in both, and the parser's hot
 * path has the buffer already), the names are cut from `field`.
 */
export function splitNamesAt(buf: Uint8Array, offset: number, field: string): { surname: string; givenNames: string[] } {
  const length = field.length;
  const end = fillerEnd(buf, offset, length);
  let cut = -1;
  let single = -1;
  for (let i = 0; i + 1 < length; i++) {
    if (buf[offset + i] !== FILLER) continue;
    if (buf[offset + i + 1] === FILLER) {
      cut = i;
      break;
    }
    if (single < 0) single = i;
  }
  const primaryEnd = cut < 0 || cut > end ? end : cut;
  const primary = field.slice(0, primaryEnd);
  const givenNames: string[] = [];
  let start = primaryEnd + 2;
  for (let i = start; i <= end; i++) {
    if (i === end || buf[offset + i] === FILLER) {
      if (i > start) givenNames.push(field.slice(start, i));
      start = i + 1;
    }
  }
  return { surname: single >= 0 && single < primaryEnd ? fillerToSpace(primary) : primary, givenNames };
}
