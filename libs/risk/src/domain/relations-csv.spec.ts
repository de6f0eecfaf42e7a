import { buildUscc, usccProblem } from '@market/identity';
import { parseCsv, readRelationsCsv } from './relations-csv';

const A = buildUscc('91', '430100', 'AAAAAAA1');
const B = buildUscc('91', '430100', 'BBBBBBB2');
const HEADER = 'party_a_uscc,party_a_name,party_b_uscc,party_b_name,kind,share_percent,source';

describe('relations CSV', () => {
  it('parses quoted fields with commas, doubled quotes, CRLF and a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,"b, c","say ""hi"""\r\n1,2,3\r\n\r\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
  });

  it('reads relations of every kind', () => {
    const { relations, problems } = readRelationsCsv(
      `${HEADER}\n${A},甲公司,${B},乙公司,shareholding,35.5,企业信用信息公示系统\n${A},甲公司,${B},乙公司,legal_representative,,年报`,
      usccProblem,
    );
    expect(problems).toEqual([]);
    expect(relations).toEqual([
      {
        partyAUscc: A,
        partyAName: '甲公司',
        partyBUscc: B,
        partyBName: '乙公司',
        kind: 'shareholding',
        sharePercent: 35.5,
        source: '企业信用信息公示系统',
      },
      {
        partyAUscc: A,
        partyAName: '甲公司',
        partyBUscc: B,
        partyBName: '乙公司',
        kind: 'legal_representative',
        sharePercent: null,
        source: '年报',
      },
    ]);
  });

  it('names every bad line: credit code, kind, share, same organization, field count, repeats', () => {
    const { problems } = readRelationsCsv(
      [
        HEADER,
        `91430100AAAAAAA1X0,甲,${B},乙,shareholding,10,`,
        `${A},甲,${B},乙,owns,,`,
        `${A},甲,${B},乙,shareholding,,`,
        `${A},甲,${A},甲,control,,`,
        `${A},甲,${B}`,
        `${A},甲,${B},乙,control,,`,
        `${A},甲,${B},乙,control,,`,
      ].join('\n'),
      usccProblem,
    );
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(problems[1].message).toMatch(/kind must be one of/);
    expect(problems[2].message).toMatch(/share_percent/);
  });

  it('refuses a file without the header', () => {
    expect(readRelationsCsv(`${A},甲,${B},乙,control,,`, usccProblem).problems).toEqual([
      { line: 1, message: expect.stringContaining('the first line must be') },
    ]);
  });
});
