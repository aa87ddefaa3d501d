import { describe, expect, it } from 'vitest';
import { ConfigError } from 'borderlink';
import { createGatewayHandler, demoDataset, loadDataset } from 'borderlink/testing';
import { checkBody, parseCheck, post } from './helpers';

describe('loadDataset', () => {
  it('accepts the demo dataset as JSON text', () => {
    expect(loadDataset(JSON.stringify(demoDataset))).toEqual(demoDataset);
  });

  it('counts missing record lists as empty and keeps dataAsOf', () => {
    const dataset = loadDataset({
      vehicles: [
        { recordId: 'V1', vin: 'WVWZZZ1JZXW000002', plate: 'B-X 1', make: 'VW', model: 'POLO', colour: 'RED', theftDate: '2024-01-01', registrationCountry: 'D' },
      ],
      dataAsOf: { SMV: '2025-06-01T00:00:00Z' },
    });
    expect(dataset).toMatchObject({ documents: [], linkedDocuments: [], persons: [] });
  });

  it('answers checks from a loaded dataset', async () => {
    const dataset = loadDataset({
      documents: [{ recordId: 'S1', documentNumber: 'C01X00T47', issuingState: 'D', documentType: 'ID_CARD', status: 'STOLEN' }],
    });
    const handle = createGatewayHandler({ dataset });
    const subject = { kind: 'document', documentNumber: 'C01X00T47', issuingState: 'D', documentType: 'ID_CARD' };
    const item = parseCheck(await post(handle, '/v1/checks', checkBody([subject]))).items[0]!;
    expect(item.hits).toMatchObject([{ recordId: 'S1', ownerCountry: 'D' }]);
  });

  it('names every bad field by path, without its value', () => {
    const secret = 'SECRET-VALUE-4711';
    let error: unknown;
    try {
      loadDataset({ documents: [{ recordId: 'S1', documentNumber: secret, issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }], persons: [{}], extra: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('documents.0.documentNumber must be 1 to 20 capital letters or digits');
    expect(message).toContain('persons.0.surname is required');
    // An unknown key is counted, never repeated: a key can hold data too.
    expect(message).toContain('holds a field that is not known');
    expect(message).not.toContain('extra');
    expect(message).not.toContain(secret);
  });

  it('refuses text that is not JSON, and repeated record ids', () => {
    expect(() => loadDataset('{')).toThrow(/not JSON/);
    const doc = { recordId: 'S1', documentNumber: 'A1', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' };
    expect(() => loadDataset({ documents: [doc, { ...doc, documentNumber: 'A2' }] })).toThrow(/more than one record/);
  });

  it('keeps the demo dataset frozen', () => {
    expect(Object.isFrozen(demoDataset.documents[0])).toBe(true);
  });
});
