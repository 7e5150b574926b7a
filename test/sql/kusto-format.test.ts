import { describe, expect, it } from 'vitest';
import { parseKustoFormat } from '../../src/sql/kusto-format.js';

const bad = (run: string) => new Error(`bad ${run}`);

describe('parseKustoFormat', () => {
  it('splits runs into fields, fractions, AM/PM and literals', () => {
    expect(parseKustoFormat('yyyy-MM-dd hh:mm:ss.fff tt', 'datetime', bad)).toEqual([
      { k: 'field', field: 'year', width: 4 }, { k: 'literal', text: '-' }, { k: 'field', field: 'month', width: 2 }, { k: 'literal', text: '-' },
      { k: 'field', field: 'day', width: 2 }, { k: 'literal', text: ' ' }, { k: 'field', field: 'hour12', width: 2 }, { k: 'literal', text: ':' },
      { k: 'field', field: 'minute', width: 2 }, { k: 'literal', text: ':' }, { k: 'field', field: 'second', width: 2 }, { k: 'literal', text: '.' },
      { k: 'fraction', digits: 3, trimZeros: false }, { k: 'literal', text: ' ' }, { k: 'ampm', letters: 2 },
    ]);
  });

  it('reads timespan days at any width and h as the hour of the day', () => {
    expect(parseKustoFormat('ddd.hh', 'timespan', bad)).toEqual([{ k: 'field', field: 'days', width: 3 }, { k: 'literal', text: '.' }, { k: 'field', field: 'hour24', width: 2 }]);
  });

  it('refuses undocumented or over-long elements', () => {
    for (const [f, kind] of [['Q', 'datetime'], ['ffffffff', 'datetime'], ['MM', 'timespan'], ['yy', 'timespan'], ['ddd', 'datetime'], ['ttt', 'datetime']] as const) {
      expect(() => parseKustoFormat(f, kind, bad), f).toThrow(/^bad/);
    }
  });
});
