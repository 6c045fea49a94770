import fc from 'fast-check';
import { canonicalJson, canonicalRow, hashRow } from './chain';
import { createHash } from 'node:crypto';

/** Any row as the table can hold it: strings of any Unicode, integers, nulls. */
const row = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  at: fc.string({ unit: 'grapheme' }),
  event: fc.string(),
  actor: fc.string({ unit: 'binary' }),
  entity_ref: fc.string({ unit: 'grapheme-composite' }),
  action: fc.string(),
  run_id: fc.option(fc.uuid(), { nil: null }),
  outcome: fc.string({ unit: 'binary' }),
  params: fc.json(),
  summary: fc.json(),
  duration_ms: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), {
    nil: null,
  }),
  prev_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

describe('the chain hash', () => {
  it('writes exactly the RFC 8785 JSON of any row, without the generic walk', () => {
    fc.assert(
      fc.property(row, r => {
        expect(canonicalRow(r)).toBe(canonicalJson(r));
        expect(hashRow(r)).toBe(
          createHash('sha256')
            .update(r.prev_hash)
            .update(canonicalJson(r))
            .digest('hex'),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
