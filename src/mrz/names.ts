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

/** Splits the name field at the first `<<` into primary and secondary identifiers. */
export function splitNames(field: string): { surname: string; givenNames: string[] } {
  let end = field.length;
  while (end > 0 && field.charCodeAt(end - 1) === FILLER) end--;
  const cut = field.indexOf('<<');
  const primaryEnd = cut < 0 || cut > end ? end : cut;
  const primary = field.slice(0, primaryEnd);
  const givenNames: string[] = [];
  let start = primaryEnd + 2;
  for (let i = start; i <= end; i++) {
    if (i === end || field.charCodeAt(i) === FILLER) {
      if (i > start) givenNames.push(field.slice(start, i));
      start = i + 1;
    }
  }
  return { surname: fillerToSpace(primary), givenNames };
}

