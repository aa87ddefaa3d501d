// What a manifest, a traveller and a result must look like before this entry point reads them. Callers in
// JavaScript, or with a manifest kept as JSON, can hand over anything: a field of the wrong type is a ConfigError
// naming the field, never a TypeError half way through a CUSRES. Each check names the first field that is wrong.

type Check = (value: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

function fields(value: unknown, checks: Readonly<Record<string, Check>>): string | undefined {
  if (!isObject(value)) return 'is not an object';
  for (const [name, check] of Object.entries(checks)) {
    const problem = check(value[name]);
    if (problem !== undefined) return `\`${name}\` ${problem}`;
  }
  return undefined;
}

const text: Check = (v) => (typeof v === 'string' ? undefined : 'is not a string');
const maybeText: Check = (v) => (v === undefined || typeof v === 'string' ? undefined : 'is not a string');
const count: Check = (v) => (isCount(v) ? undefined : 'is not a whole number');
const flag: Check = (v) => (typeof v === 'boolean' ? undefined : 'is not true or false');
const object =
  (checks: Readonly<Record<string, Check>>): Check =>
  (v) =>
    fields(v, checks);
const list =
  (item: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'is not an array';
    for (const [i, element] of v.entries()) {
      const problem = item(element);
      if (problem !== undefined) return `[${i}] ${problem}`;
    }
    return undefined;
  };

const traveller = object({
  index: count,
  message: count,
  segment: count,
  line: count,
  qualifier: text,
  surname: text,
  givenNames: list(text),
  sex: maybeText,
  dateOfBirth: maybeText,
  nationality: maybeText,
  documents: list(object({ code: text, documentType: text, number: text, issuingState: maybeText })),
  references: list(object({ qualifier: text, value: text })),
  issues: list(object({ code: text, segment: count, message: text })),
});

const manifest = object({
  interchange: object({ reference: text, syntax: object({ identifier: text }), sender: text, recipient: text, test: flag }),
  messages: list(
    object({
      reference: text,
      version: object({ release: text }),
      transactionReference: maybeText,
      flights: list(object({ number: text, carrier: maybeText, legs: list(object({ departure: maybeText, departsAt: maybeText, arrival: maybeText, arrivesAt: maybeText })) })),
    }),
  ),
  travellers: list(traveller),
});

const result = object({ verdict: text, outcomes: list(object({ source: text, status: text })), hits: list((v) => (isObject(v) ? undefined : 'is not an object')) });

/** What is wrong with a traveller, as parsePaxlst reads one; `undefined` when nothing. @internal */
export const travellerProblem: Check = traveller;
/** What is wrong with a manifest, as parsePaxlst reads one; `undefined` when nothing. @internal */
export const manifestProblem: Check = manifest;
/** What is wrong with a check result, in the fields the gate reads; `undefined` when nothing. @internal */
export const resultProblem: Check = result;
