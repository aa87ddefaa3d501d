// The one rule for a document type the user writes: `check document --type` and a manifest's type column read it the
// same way, so a row and the check of that row never differ.
import { DOCUMENT_TYPES, type DocumentType } from 'borderlink';

/**
 * Each spelling the command reads (compared in capitals, spaces and hyphens read as `_`): the library's names
 * ({@link DOCUMENT_TYPES}), and the first letter of an MRZ that names one type alone (ICAO 9303: `P` passport, `I`
 * identity card, `V` visa), as exports and airline systems write them. `A` and `C` name no single type, so neither is
 * read: an `OTHER` the user did not mean would search the wrong type.
 */
const SPELLINGS: ReadonlyMap<string, DocumentType> = new Map([
  ...DOCUMENT_TYPES.map((type) => [type, type] as const),
  ['P', 'PASSPORT'],
  ['IDCARD', 'ID_CARD'],
  ['ID', 'ID_CARD'],
  ['I', 'ID_CARD'],
  ['V', 'VISA'],
]);

/** How the choices are named in a message. */
export const DOCUMENT_TYPE_CHOICES = `${DOCUMENT_TYPES.slice(0, -1).join(', ')} or ${DOCUMENT_TYPES.at(-1)} (or P, I, V)`;

/** The document type `text` names, or undefined when it names none. */
export function documentTypeOf(text: string): DocumentType | undefined {
  return SPELLINGS.get(text.trim().toUpperCase().replace(/[\s-]+/g, '_'));
}
