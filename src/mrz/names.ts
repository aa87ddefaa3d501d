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
  const trimmed = stripFiller(field);
  const cut = trimmed.indexOf('<<');
  const primary = cut < 0 ? trimmed : trimmed.slice(0, cut);
  const secondary = cut < 0 ? '' : trimmed.slice(cut + 2);
  const givenNames = secondary.length === 0 ? [] : secondary.split('<').filter((part) => part.length > 0);
  return { surname: fillerToSpace(primary), givenNames };
}

