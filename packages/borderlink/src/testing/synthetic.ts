// Large synthetic datasets for benchmarks: a million records in about a second, each distinct (its id and its lookup
// keys are made from its number) and valid by the rules of loadDataset. Nothing is random: the same options give the
// same records.
import { z } from 'zod';
import { DOCUMENT_TYPES, REPORTABLE_STATUSES } from 'borderlink';
import { parseOptions } from '../protocol/index';
import type { Dataset, DatasetDocument, DatasetLinkedDocument, DatasetPerson, DatasetVehicle } from './dataset';

/** Options of {@link syntheticDataset}. Unknown options are refused. */
export interface SyntheticDatasetOptions {
  /** SLTD records (stolen, lost and revoked documents). At most 10,000,000. @default 0 */
  documents?: number | undefined;
  /** TDAWN records (valid documents linked to a notice). At most 10,000,000. @default 0 */
  linkedDocuments?: number | undefined;
  /** NOMINAL records (persons under a notice). At most 10,000,000. @default 0 */
  persons?: number | undefined;
  /** SMV records (stolen vehicles). At most 10,000,000. @default 0 */
  vehicles?: number | undefined;
  /** The dataset's `dataAsOf`. @default none (the gateway's start time) */
  dataAsOf?: Dataset['dataAsOf'];
}

const MAX_RECORDS = 10_000_000;
const COUNT = `must be a whole number from 0 to ${MAX_RECORDS}`;
const count = z.custom<number>((v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_RECORDS, { error: COUNT }).optional();
const optionsSchema = z.strictObject({
  documents: count,
  linkedDocuments: count,
  persons: count,
  vehicles: count,
  dataAsOf: z.custom<Dataset['dataAsOf']>((v) => typeof v === 'string' || (typeof v === 'object' && v !== null), {
    error: 'must be an ISO 8601 timestamp, or an object of them by source',
  }).optional(),
} satisfies Record<keyof SyntheticDatasetOptions, z.ZodType>);

const STATES = ['UTO', 'D', 'F', 'I', 'NLD', 'ESP', 'POL', 'MDA'] as const;
const GIVEN_NAMES = ['ANNA', 'NILS', 'MARIA', 'ERIK', 'LEA', 'JONAS', 'SOFIA', 'MATEI'] as const;
const MAKES = [['VOLKSWAGEN', 'GOLF'], ['SKODA', 'OCTAVIA'], ['TOYOTA', 'COROLLA'], ['DACIA', 'LOGAN']] as const;
const COLOURS = ['BLACK', 'WHITE', 'GREY', 'BLUE', 'RED'] as const;
const NOTICES = ['RED', 'YELLOW', 'BLUE', 'DIFFUSION'] as const;
/** The VIN alphabet: no I, O or Q. */
const VIN_DIGITS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** `days` consecutive calendar dates from `from`, as `YYYY-MM-DD`. */
function dates(from: string, days: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
const RECENT = dates('2020-01-01', 2000);
const BIRTHS = dates('1950-01-01', 20_000);

/** `n` in the given digits, left-padded with the first one to `width`. */
function digits(n: number, alphabet: string, width: number): string {
  let out = '';
  const base = alphabet.length;
  for (let v = n; v > 0; v = Math.floor(v / base)) out = alphabet[v % base]! + out;
  return out.padStart(width, alphabet[0]);
}
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

function document(i: number, prefix: string): Omit<DatasetDocument, 'recordId'> {
  const state = pick(STATES, i);
  return {
    documentNumber: `${prefix}${digits(i, BASE36, 8)}`,
    issuingState: state,
    documentType: pick(DOCUMENT_TYPES, i),
    status: pick(REPORTABLE_STATUSES, i),
    incidentDate: pick(RECENT, i),
    incidentCountry: state,
  };
}

/**
 * A dataset of as many synthetic records as asked, for benchmarks and tests of large copies: a million records cost
 * about a second and a few hundred MB. Every record is distinct (its id, and each of its lookup keys: document number
 * and state, name and date of birth, VIN, plate and country) and valid by the rules of {@link loadDataset}. Nothing
 * in it is anyone's data.
 * @throws {ConfigError} naming the first option that is unknown or wrong.
 * @example
 * ```ts
 * const gateway = await createMockGateway({ dataset: syntheticDataset({ documents: 1_000_000 }) });
 * ```
 */
export function syntheticDataset(options: SyntheticDatasetOptions = {}): Dataset {
  parseOptions('syntheticDataset', optionsSchema, options);
  const documents: DatasetDocument[] = new Array(options.documents ?? 0);
  for (let i = 0; i < documents.length; i++) {
    documents[i] = { recordId: `SYN-SLTD-${i}`, ...document(i, 'S'), actionToBeTaken: 'SEIZE_DOCUMENT' };
  }
  const linkedDocuments: DatasetLinkedDocument[] = new Array(options.linkedDocuments ?? 0);
  for (let i = 0; i < linkedDocuments.length; i++) {
    const d = document(i, 'T');
    linkedDocuments[i] = {
      recordId: `SYN-TDAWN-${i}`,
      ...d,
      status: 'VALID',
      notice: { type: pick(NOTICES, i), reference: `A-${i}/2026`, requestingCountry: d.issuingState },
      actionToBeTaken: 'DETAIN_HOLDER_AND_INFORM_OWNER',
    };
  }
  const persons: DatasetPerson[] = new Array(options.persons ?? 0);
  for (let i = 0; i < persons.length; i++) {
    const state = pick(STATES, i);
    persons[i] = {
      recordId: `SYN-NOMINAL-${i}`,
      surname: `SYN${digits(i, LETTERS, 6)}`,
      givenNames: [pick(GIVEN_NAMES, i), pick(GIVEN_NAMES, i + 3)],
      dateOfBirth: pick(BIRTHS, i),
      nationalities: [state],
      notice: { type: pick(NOTICES, i), reference: `P-${i}/2026`, requestingCountry: state },
      actionToBeTaken: 'LOCATE_AND_INFORM_OWNER',
    };
  }
  const vehicles: DatasetVehicle[] = new Array(options.vehicles ?? 0);
  for (let i = 0; i < vehicles.length; i++) {
    const [make, model] = pick(MAKES, i);
    vehicles[i] = {
      recordId: `SYN-SMV-${i}`,
      vin: `SYN${digits(i, VIN_DIGITS, 14)}`,
      plate: `SY-${digits(i, BASE36, 6)}`,
      make,
      model,
      colour: pick(COLOURS, i),
      theftDate: pick(RECENT, i),
      registrationCountry: pick(STATES, i),
      actionToBeTaken: 'SEIZE_VEHICLE',
    };
  }
  const dataset: Dataset = { documents, linkedDocuments, persons, vehicles };
  if (options.dataAsOf !== undefined) dataset.dataAsOf = options.dataAsOf;
  return dataset;
}
