// What a person subject carries on the wire: its names in their ICAO form, and the other spellings a record may hold
// (protocol v1's `nameVariants`), so a gateway can search all of them. Applied once, to validated subjects, when a
// check is prepared; applied again it changes nothing.
import { languageOfState, nameSpellings } from '../names/variants';
import type { PersonQuery, Subject } from './types';

/** The longest name the person schema takes (validate.ts): a spelling with a longer one is not sent. */
const MAX_NAME_LENGTH = 100;

function fits(names: readonly string[]): boolean {
  for (const n of names) if (n.length === 0 || n.length > MAX_NAME_LENGTH) return false;
  return true;
}

/** A validated person query with its names in their ICAO form and its `nameVariants` (the caller's, if given). */
export function personNameForms<P extends PersonQuery>(person: P): P {
  const given = person.givenNames ?? [];
  const { primary, others } = nameSpellings({ surname: person.surname, givenNames: given }, languageOfState(person.nationality), MAX_NAME_LENGTH);
  const keep = !fits([primary.surname, ...primary.givenNames]) || primary.givenNames.length !== given.length;
  const out: P = keep ? { ...person } : { ...person, surname: primary.surname, givenNames: primary.givenNames };
  if (person.nameVariants === undefined && others.length > 0) out.nameVariants = others;
  return out;
}

/**
 * The subjects as sent: every person, and every document's holder, with {@link personNameForms}. Documents without a
 * holder and vehicles are the same objects. @internal
 */
export function withNameForms(subjects: Subject[]): Subject[] {
  let out: Subject[] | undefined;
  for (let i = 0; i < subjects.length; i++) {
    const s = subjects[i]!;
    let formed: Subject | undefined;
    if (s.kind === 'person') formed = personNameForms(s);
    else if (s.kind === 'document' && s.holder !== undefined) formed = { ...s, holder: personNameForms(s.holder) };
    if (formed === undefined) continue;
    out ??= subjects.slice();
    out[i] = formed;
  }
  return out ?? subjects;
}
