import { CountedContract, deltasOf, keysOf, planRange, StatsDimension } from './dimensions';

const contract = (overrides: Partial<CountedContract> = {}): CountedContract => ({
  registeredOn: '2026-03-14',
  contractType: 'transfer',
  technicalField: 'new_energy',
  sellerKind: 'university',
  buyerKind: 'enterprise',
  ipKinds: ['invention_patent', 'know_how'],
  sellerRegionCode: '430104',
  buyerRegionCode: '430211',
  totalAmountFen: 600_000,
  technologyAmountFen: 500_000,
  ...overrides,
});

describe('statistics breakdowns', () => {
  it('count a contract once per breakdown: its first IP item, its regions at three levels by seller and by buyer', () => {
    expect(Object.fromEntries(keysOf(contract()))).toEqual({
      all: '',
      contract_type: 'transfer',
      technical_field: 'new_energy',
      seller_kind: 'university',
      buyer_kind: 'enterprise',
      ip_kind: 'invention_patent',
      seller_province: '430000',
      seller_city: '430100',
      seller_county: '430104',
      buyer_province: '430000',
      buyer_city: '430200',
      buyer_county: '430211',
    });
    expect(Object.fromEntries(keysOf(contract({ ipKinds: [], technicalField: null })))).toMatchObject({
      ip_kind: 'none',
      technical_field: 'unspecified',
    });
  });

  it('net a change: rows the change leaves alone get no delta, the others move by the difference', () => {
    const before = contract();
    const after = contract({ contractType: 'license', technologyAmountFen: 550_000 });
    const deltas = deltasOf([
      { contract: before, sign: -1 },
      { contract: after, sign: 1 },
    ]);
    const type = deltas.filter((d) => d.dimension === StatsDimension.ContractType);
    expect(type).toEqual([
      expect.objectContaining({ key: 'license', contracts: 1, technologyAmountFen: 550_000 }),
      expect.objectContaining({ key: 'transfer', contracts: -1, technologyAmountFen: -500_000 }),
    ]);
    expect(deltas.find((d) => d.dimension === StatsDimension.All)).toMatchObject({
      contracts: 0,
      totalAmountFen: 0,
      technologyAmountFen: 50_000,
    });
    expect(
      deltasOf([
        { contract: before, sign: -1 },
        { contract: before, sign: 1 },
      ]),
    ).toEqual([]);
  });

  it('order their rows the same way every time, so concurrent jobs lock them in one order', () => {
    const ids = (d: { dimension: string; day: string; key: string }[]) => d.map((x) => `${x.dimension}/${x.key}`);
    const a = deltasOf([{ contract: contract(), sign: 1 }]);
    expect(ids(a)).toEqual([...ids(a)].sort());
  });
});

describe('a date range', () => {
  it('reads whole months from the monthly rollup and the partial months day by day', () => {
    expect(planRange('2026-01-15', '2026-04-10')).toEqual({
      monthsFrom: '2026-02-01',
      monthsUntil: '2026-04-01',
      days: [
        ['2026-01-15', '2026-01-31'],
        ['2026-04-01', '2026-04-10'],
      ],
    });
  });

  it('reads only months when it starts on a first and ends on a last day, across a year end', () => {
    expect(planRange('2025-12-01', '2026-02-28')).toEqual({
      monthsFrom: '2025-12-01',
      monthsUntil: '2026-03-01',
      days: [],
    });
  });

  it('reads only days when it lies inside a month, or spans two partial months', () => {
    expect(planRange('2026-03-03', '2026-03-20')).toMatchObject({ days: [['2026-03-03', '2026-03-20']] });
    expect(planRange('2026-03-03', '2026-04-20')).toMatchObject({ days: [['2026-03-03', '2026-04-20']] });
    expect(planRange('2026-02-01', '2026-02-27')).toMatchObject({ days: [['2026-02-01', '2026-02-27']] });
  });
});
