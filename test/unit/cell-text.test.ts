import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from '#domain/cell-text';
import { csvDocument, csvField } from '#http/csv';

describe('neutralizeFormula', () => {
  it.each([
    ['=1+1'],
    ['+1'],
    ['-1'],
    ['@SUM(A1)'],
    ['  =1+1'],
    ['\t=HYPERLINK("x")'],
    ['\r@cmd'],
    ['\n-2+3'],
    ['\u00a0\u3000=1'],
    [' \r\n +A1'],
    ['\tplain after a tab'],
    ['\rplain after a CR'],
  ])('makes %j inert with a leading apostrophe', (value) => {
    // Act
    const safe = neutralizeFormula(value);

    // Assess
    expect(safe).toBe(`'${value}`);
  });

  it.each([['สำนักงานจังหวัด'], ['a=b'], ['1-2'], [''], ['   '], ['name@example.org'], [' x = 1']])(
    'leaves %j as it is',
    (value) => {
      // Act
      const safe = neutralizeFormula(value);

      // Assess
      expect(safe).toBe(value);
    },
  );

  it('is what every CSV field goes through, before RFC 4180 quoting', () => {
    // Act
    const document = csvDocument([['  =1+1', '\r@x', 3]]);

    // Assess
    expect(csvField('  =1+1')).toBe("'  =1+1");
    expect(document).toBe('\uFEFF\'  =1+1,"\'\r@x",3\r\n');
  });
});
