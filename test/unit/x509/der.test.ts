/** The strict DER reader against the writer, and the encodings it must refuse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DerError, decodeBitString, decodeBoolean, decodeInteger, decodeOid, decodeTime, readSingle, readTlv } from '../../../src/core/x509/der-reader.js';
import { oid, octetString, time, tlv, unsignedInteger } from '../../../src/core/x509/der-writer.js';

const refuses = (run: () => unknown, message: RegExp): void => {
  expect(run).toThrow(DerError);
  expect(run).toThrow(message);
};

describe('round trips', () => {
  it('OBJECT IDENTIFIERs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 32 }), { maxLength: 8 }),
        (a, b, rest) => {
          const dotted = [a, b, ...rest].join('.');
          expect(decodeOid(readSingle(oid(dotted)))).toBe(dotted);
        },
      ),
    );
  });

  it('non-negative INTEGERs, minimally encoded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        const encoded = readSingle(unsignedInteger(bytes));
        const value = decodeInteger(encoded, 'n');
        expect(BigInt(`0x${Buffer.from(value).toString('hex')}`)).toBe(BigInt(`0x${Buffer.from(bytes).toString('hex')}`));
      }),
    );
  });

  it('times from 1950 to 9999 in whole seconds (UTCTime before 2050, GeneralizedTime after)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1) / 1000, max: Date.UTC(9999, 11, 31, 23, 59, 59) / 1000 }), (seconds) => {
        const encoded = readSingle(time(seconds * 1000));
        expect(encoded.tag).toBe(seconds * 1000 < Date.UTC(2050, 0, 1) ? 0x17 : 0x18);
        expect(decodeTime(encoded, 't')).toBe(seconds * 1000);
      }),
    );
  });

  it('lengths in short and long form', () => {
    for (const size of [0, 1, 127, 128, 255, 256, 65535, 70000]) {
      const element = octetString(Buffer.alloc(size, 1));
      expect(readSingle(element).value.length).toBe(size);
    }
  });
});

describe('refusals', () => {
  it('non-minimal and indefinite lengths', () => {
    refuses(() => readTlv(Buffer.from([0x04, 0x81, 0x05, 1, 2, 3, 4, 5])), /non-minimal length/);
    refuses(() => readTlv(Buffer.from([0x04, 0x82, 0x00, 0x80, ...Buffer.alloc(128)])), /non-minimal length/);
    refuses(() => readTlv(Buffer.from([0x30, 0x80, 0x00, 0x00])), /indefinite length/);
  });

  it('truncation and trailing bytes', () => {
    refuses(() => readTlv(Buffer.from([0x04, 0x05, 1, 2])), /truncated/);
    refuses(() => readTlv(Buffer.from([0x04])), /truncated/);
    refuses(() => readSingle(Buffer.from([0x05, 0x00, 0x00])), /1 unexpected trailing bytes/);
  });

  it('high tag numbers', () => {
    refuses(() => readTlv(Buffer.from([0x1f, 0x81, 0x00])), /high tag/);
  });

  it('non-minimal INTEGERs and OIDs, and non-DER BOOLEANs', () => {
    refuses(() => decodeInteger(readSingle(Buffer.from([0x02, 0x02, 0x00, 0x01])), 'r'), /non-minimal integer/);
    refuses(() => decodeInteger(readSingle(Buffer.from([0x02, 0x02, 0xff, 0x80])), 's'), /non-minimal integer/);
    refuses(() => decodeOid(readSingle(Buffer.from([0x06, 0x02, 0x80, 0x01]))), /non-minimal/);
    refuses(() => decodeOid(readSingle(Buffer.from([0x06, 0x01, 0x81]))), /truncated/);
    refuses(() => decodeBoolean(readSingle(Buffer.from([0x01, 0x01, 0x01])), 'critical'), /not a DER boolean/);
  });

  it('BIT STRINGs with bad unused bits', () => {
    refuses(() => decodeBitString(readSingle(Buffer.from([0x03, 0x02, 0x08, 0x00])), 'b'), /unused-bit count/);
    refuses(() => decodeBitString(readSingle(Buffer.from([0x03, 0x02, 0x01, 0x01])), 'b'), /unused bits are not zero/);
  });

  it.each([
    ['no seconds', 0x17, '2501010000Z'],
    ['a fraction', 0x18, '20250101000000.5Z'],
    ['a zone offset', 0x17, '250101000000+0100'],
    ['February 30th', 0x17, '250230000000Z'],
    ['hour 24', 0x18, '20250101240000Z'],
  ])('times with %s', (_label, tag, text) => {
    refuses(() => decodeTime(readSingle(tlv(tag, Buffer.from(text, 'latin1'))), 'notBefore'), /notBefore/);
  });
});
