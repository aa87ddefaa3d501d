// The MRZ engine imports nothing of ours, so it cannot use the option-name rule: a key it does not know is never
// repeated, since a stray key may be data (a document number given as a key).
import { formatMrz, parseMrz } from 'borderlink';
import { describe, expect, it } from 'vitest';

const PLANTED = 'L898902C3';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}

describe('the MRZ engine and a key it does not know', () => {
  it('parseMrz refuses it with a RangeError that does not repeat it', () => {
    expect(() => parseMrz('P<UTO', { [PLANTED]: true } as never)).toThrow(RangeError);
    const message = messageOf(() => parseMrz('P<UTO', { [PLANTED]: true } as never));
    expect(message).toBe('parseMrz: an option is not known (it takes repair and referenceDate)');
    expect(message).not.toContain(PLANTED);
  });

  it('formatMrz refuses it with a RangeError that does not repeat it', () => {
    const fields = {
      format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: ['ANNA'],
      nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15', [PLANTED]: 'x',
    };
    expect(() => formatMrz(fields as never)).toThrow(RangeError);
    expect(messageOf(() => formatMrz(fields as never))).not.toContain(PLANTED);
  });
});
