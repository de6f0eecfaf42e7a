/**
 * A labelled population of registration applications for `npm run bench:risk`: thousands of
 * honest contracts, a few hundred of each false pattern, and near misses just inside every
 * threshold (labelled honest: they are what the rule must let through). The generator reads the
 * thresholds only to place the near misses; the false patterns are drawn from the shapes the
 * registration digest describes, with the margins written here, never from the rules' code.
 *
 * Labels are what a screening at application time can see: the leg that closes a round trip and
 * the part that completes a split carry the label; the earlier legs and parts are `setup` (false,
 * but nothing yet shows it) and stay out of precision and recall. The first sale of a patent sold
 * twice is honest.
 */
import {
  addDays,
  ContractUnderScreening,
  NonTechItem,
  OrganizationRelation,
  RatedSubject,
  RiskRule,
  RiskThresholds,
  ScreenedContractType,
  ScreenedIpItem,
  ScreenedParty,
  ScreenedTransferMode,
} from '@market/risk';
import { seededRandom } from '../tools/listing-generator';

export interface GeneratedApplication {
  contract: ContractUnderScreening;
  /** The false patterns it shows at screening time; empty for an honest contract. */
  labels: RiskRule[];
  /** An earlier leg or part of a false pattern: not scored. */
  setup: boolean;
  /** Which near miss it is, for honest contracts placed just inside a threshold. */
  nearMiss?: string;
}

export interface Population {
  applications: GeneratedApplication[];
  relations: OrganizationRelation[];
  ratings: RatedSubject[];
}

export interface PopulationSize {
  honest: number;
  perPattern: number;
  nearMissesPerRule: number;
}

const FIRST_DAY = '2024-01-01';
const LAST_DAY = '2026-12-31';
const DAYS = 1095;

const TYPES: Array<[ScreenedContractType, string]> = [
  ['development', 'commissioned'],
  ['development', 'cooperative'],
  ['transfer', 'patent_assignment'],
  ['transfer', 'know_how'],
  ['license', 'patent_license'],
  ['license', 'know_how_license'],
  ['consulting', 'commissioned'],
  ['service', 'technical_service'],
  ['service', 'training'],
];
const FIELDS = [
  ['high_end_equipment', ['五轴联动数控机床', '盾构机主轴承', '工业机器人减速器', '轨道交通牵引变流器']],
  ['new_materials', ['锂电池正极材料', '碳化硅陶瓷基复合材料', '硬质合金涂层刀具', '石墨烯导热膜']],
  ['next_gen_it', ['工业互联网边缘计算网关', '操作系统安全加固', '北斗高精度定位模组', '人工智能缺陷视觉检测']],
  ['new_energy', ['固态电池电解质薄膜', '风电叶片在线监测', '氢燃料电池双极板', '光伏组件回收']],
  ['modern_agriculture', ['杂交水稻高产栽培', '油茶良种繁育', '稻虾共作生态种养', '茶叶机械化采摘']],
  ['population_health', ['肿瘤早筛液体活检', '中药配方颗粒质量控制', '可降解心血管支架', '远程影像诊断']],
  ['resources_environment', ['重金属污染土壤修复', '锰渣无害化处理', '农村污水一体化处理', '尾矿综合利用']],
  ['cultural_creative', ['数字文物三维重建', '湘绣图案数字化', '沉浸式展陈交互', '非遗工艺数字化']],
  ['public_safety', ['矿山安全监测预警', '危化品泄漏检测', '城市内涝预警', '电梯故障远程诊断']],
  ['modern_services', ['供应链金融风控模型', '冷链物流温控溯源', '智慧社区服务平台', '跨境电商数据分析']],
] as const;
const TASKS: Record<ScreenedContractType, string[]> = {
  development: ['技术开发', '工艺研发', '算法研发', '样机研制'],
  transfer: ['专利转让', '技术秘密转让'],
  license: ['专利实施许可', '技术秘密使用许可'],
  consulting: ['技术可行性论证', '技术评估咨询'],
  service: ['技术服务', '技术培训', '检测试验服务'],
};
/** Subjects of goods and works, for contracts dressed as technology (registration digest). */
const NON_TECH_SUBJECTS = [
  '办公楼中央空调设备采购及安装',
  '厂房钢结构施工及装修',
  '服务器硬件采购及机房安装',
  '生产设备销售及运输',
  '仓储物流及设备维修保养',
  'Supply and installation of warehouse racking equipment',
];
/** Honest subjects that name equipment yet are technical work: a near miss of the subject share. */
const EQUIPMENT_TECH_SUBJECTS = ['设备故障诊断技术服务', '设备安装工艺研发', '设备节能技术咨询'];

interface Cell {
  type: ScreenedContractType;
  subKind: string;
  field: string;
  subjects: readonly string[];
  medianFen: number;
}

interface Org extends ScreenedParty {
  cells: Cell[];
}

export function generatePopulation(seed: number, t: RiskThresholds, size: PopulationSize): Population {
  const random = seededRandom(seed);
  const uniform = (a: number, b: number) => a + (b - a) * random();
  const int = (a: number, b: number) => Math.floor(uniform(a, b + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const day = (from = 0, to = DAYS - 1) => addDays(FIRST_DAY, int(from, to));

  const cells: Cell[] = [];
  for (const [type, subKind] of TYPES) {
    for (const [field, subjects] of FIELDS) {
      // 200,000 to 4,000,000 yuan: cells' typical prices spread over more than a decade.
      cells.push({
        type,
        subKind,
        field,
        subjects,
        medianFen: Math.round(Math.exp(uniform(Math.log(2e7), Math.log(4e8)))),
      });
    }
  }
  const bigCells = cells.filter((c) => c.medianFen >= 2.5e8);
  const cheapCells = cells.filter((c) => c.medianFen <= 5e7);

  let orgSerial = 0;
  const newOrg = (cellsOf: Cell[] = [pick(cells), pick(cells)]): Org => {
    const n = ++orgSerial;
    return {
      orgId: `org-${seed}-${n}`,
      name: `湖南${n}号科技有限公司`,
      legalRepresentative: `法人${n}`,
      registeredAddress: `湖南省长沙市岳麓区麓谷大道${n}号`,
      cells: cellsOf,
    };
  };
  const honestOrgs = Array.from({ length: Math.max(200, Math.round(size.honest / 3)) }, () => newOrg());
  /** Busy sellers first: a few universities sell much, most firms a little. */
  const honestSeller = () => honestOrgs[Math.floor(honestOrgs.length * random() ** 2)];
  const otherThan = (org: Org) => {
    let other = pick(honestOrgs);
    while (other.orgId === org.orgId) other = pick(honestOrgs);
    return other;
  };

  const ratings: RatedSubject[] = [];
  for (const org of honestOrgs) {
    const r = random();
    ratings.push({
      subject: 'organization',
      id: org.orgId,
      name: org.name,
      rating: r < 0.5 ? 'A' : r < 0.9 ? 'B' : 'C',
    });
  }
  const brokers = Array.from({ length: 60 }, (_, i) => ({ brokerId: `broker-${seed}-${i}`, name: `经纪人${i}` }));
  for (const b of brokers) {
    const r = random();
    ratings.push({ subject: 'broker', id: b.brokerId, name: b.name, rating: r < 0.6 ? 'A' : r < 0.92 ? 'B' : 'C' });
  }
  const relations: OrganizationRelation[] = [];
  let relationSerial = 0;
  const relate = (a: Org, b: Org, kind: OrganizationRelation['kind'], sharePercent: number | null) =>
    relations.push({
      relationId: `rel-${seed}-${++relationSerial}`,
      orgAId: a.orgId,
      orgBId: b.orgId,
      kind,
      sharePercent,
      source: '企业信用信息公示系统',
    });

  let contractSerial = 0;
  let patentSerial = 0;
  const patentNumber = (year: number) => `ZL${year}1${String(++patentSerial).padStart(7, '0')}.${patentSerial % 10}`;
  const party = (o: Org): ScreenedParty => ({
    orgId: o.orgId,
    name: o.name,
    legalRepresentative: o.legalRepresentative,
    registeredAddress: o.registeredAddress,
  });
  const priceIn = (cell: Cell) => Math.max(100_000, Math.round(cell.medianFen * Math.exp(0.35 * normal())));

  /** An ordinary contract of `seller` to `buyer`, in one of the seller's cells unless told. */
  const contract = (
    seller: Org,
    buyer: Org,
    signedOn: string,
    options: {
      cell?: Cell;
      plain?: boolean;
      techAmountFen?: number;
      transferMode?: ScreenedTransferMode;
      ipItems?: ScreenedIpItem[];
      validTo?: string;
      validFrom?: string;
    } = {},
  ): ContractUnderScreening => {
    const cell = options.cell ?? pick(seller.cells);
    const techAmountFen = options.techAmountFen ?? priceIn(cell);
    let amountFen = techAmountFen;
    const nonTechItems: NonTechItem[] = [];
    if (options.plain) {
      // Money sent round: the price is the technology amount, nothing itemised.
    } else if ((cell.type === 'service' || cell.type === 'development') && random() < 0.2) {
      // A genuine service that supplies hardware itemises it outside the technology amount.
      const hardware = Math.round(techAmountFen * uniform(0.4, 3));
      nonTechItems.push({
        description: '配套设备',
        category: pick(['equipment', 'installation', 'materials'] as const),
        amountFen: hardware,
      });
      amountFen += hardware;
    } else if (random() < 0.1) {
      const other = Math.round(techAmountFen * uniform(0.01, 0.05));
      nonTechItems.push({ description: '差旅及资料费', category: 'other', amountFen: other });
      amountFen += other;
    }
    const validFrom = options.validFrom ?? signedOn;
    const validTo = options.validTo ?? addDays(validFrom, int(180, 1095));
    let transferMode: ScreenedTransferMode | null = options.transferMode ?? null;
    let ipItems = options.ipItems ?? [];
    if (
      !options.ipItems &&
      (cell.type === 'transfer' || cell.type === 'license') &&
      cell.subKind.startsWith('patent')
    ) {
      // A patent filed long enough ago to be granted, young enough to outlive the contract.
      const filingDate = addDays(validTo, -int(365 * 3, 365 * 15));
      ipItems = [
        {
          kind: 'invention_patent',
          number: patentNumber(Number(filingDate.slice(0, 4))),
          filingDate,
          legalStatus: 'granted',
        },
      ];
    }
    if (!transferMode && cell.type === 'transfer') transferMode = 'assignment';
    if (!transferMode && cell.type === 'license') {
      const r = random();
      transferMode = r < 0.7 ? 'non_exclusive_license' : r < 0.9 ? 'exclusive_license' : 'sole_license';
    }
    const subject =
      random() < 0.05 && cell.type !== 'transfer' && cell.type !== 'license'
        ? pick(EQUIPMENT_TECH_SUBJECTS)
        : `${pick(cell.subjects)}${pick(TASKS[cell.type])}`;
    return {
      contractId: `contract-${seed}-${++contractSerial}`,
      number: null,
      type: cell.type,
      subKind: cell.subKind,
      technicalField: cell.field,
      seller: party(seller),
      buyer: party(buyer),
      broker: random() < 0.3 ? pick(brokers) : null,
      amountFen,
      techAmountFen,
      nonTechItems,
      subject,
      ipItems,
      transferMode,
      signedOn,
      validFrom,
      validTo,
    };
  };

  const applications: GeneratedApplication[] = [];
  const honest = (c: ContractUnderScreening, nearMiss?: string) =>
    applications.push({ contract: c, labels: [], setup: false, nearMiss });
  const falseOne = (c: ContractUnderScreening, rule: RiskRule) =>
    applications.push({ contract: c, labels: [rule], setup: false });
  const setup = (c: ContractUnderScreening) => applications.push({ contract: c, labels: [], setup: true });

  // Honest trade.
  for (let i = 0; i < size.honest; i++) {
    const seller = honestSeller();
    honest(contract(seller, otherThan(seller), day()));
  }
  // A few honest sellers grow steadily over the year: many sales, the last ones at year end.
  for (let i = 0; i < size.nearMissesPerRule; i++) {
    const seller = newOrg([pick(cells)]);
    const start = day(0, 700);
    for (let m = 0; m < 14; m++) {
      const signedOn = addDays(start, 30 * m + int(0, 20));
      const c = contract(seller, pick(honestOrgs), signedOn);
      c.techAmountFen = Math.round(c.techAmountFen * (0.6 + m / 14));
      c.amountFen = Math.max(c.amountFen, c.techAmountFen);
      honest(c, m === 13 ? 'growing firm' : undefined);
    }
  }

  const n = size.perPattern;
  const near = size.nearMissesPerRule;
  const rt = t.roundTrip;

  // Related parties: shared representative, shared address, or a holding at or above the threshold.
  for (let i = 0; i < n; i++) {
    const a = newOrg();
    const b = newOrg();
    const how = i % 4;
    if (how === 0) b.legalRepresentative = a.legalRepresentative;
    else if (how === 1) b.registeredAddress = ` ${a.registeredAddress}`;
    else if (how === 2) relate(a, b, 'shareholding', uniform(t.relatedParties.shareholdingPercent, 80));
    else {
      const parent = newOrg();
      relate(parent, a, 'shareholding', uniform(t.relatedParties.shareholdingPercent, 100));
      relate(parent, b, 'shareholding', uniform(t.relatedParties.shareholdingPercent, 100));
    }
    falseOne(contract(a, b, day()), RiskRule.RelatedParties);
  }
  for (let i = 0; i < near; i++) {
    const a = newOrg();
    const b = newOrg();
    const below = uniform(t.relatedParties.shareholdingPercent * 0.9, t.relatedParties.shareholdingPercent - 0.01);
    if (i % 2 === 0) relate(a, b, 'shareholding', below);
    else {
      const parent = newOrg();
      relate(parent, a, 'shareholding', uniform(50, 100));
      relate(parent, b, 'shareholding', below);
    }
    honest(contract(a, b, day()), 'shareholding below the threshold');
  }

  // Round trips: A→B then B→A (or B→C, C→A) of similar amounts within the window.
  for (let i = 0; i < n; i++) {
    const cell = pick(cells);
    const [a, b, c] = [newOrg([cell]), newOrg([cell]), newOrg([cell])];
    const amount = priceIn(cell);
    const similar = () =>
      Math.round(amount * uniform(1 - rt.amountTolerancePercent / 200, 1 + rt.amountTolerancePercent / 200));
    const first = day(0, DAYS - rt.windowDays);
    setup(contract(a, b, first, { cell, plain: true, techAmountFen: amount }));
    const close = addDays(first, int(20, rt.windowDays - 10));
    if (i % 5 < 3) {
      falseOne(contract(b, a, close, { cell, plain: true, techAmountFen: similar() }), RiskRule.RoundTrip);
    } else {
      setup(
        contract(b, c, addDays(first, int(5, daysBetweenSafe(first, close) - 5)), {
          cell,
          plain: true,
          techAmountFen: similar(),
        }),
      );
      falseOne(contract(c, a, close, { cell, plain: true, techAmountFen: similar() }), RiskRule.RoundTrip);
    }
  }
  for (let i = 0; i < near; i++) {
    const cell = pick(cells);
    const [a, b] = [newOrg([cell]), newOrg([cell])];
    const amount = priceIn(cell);
    const first = day(0, DAYS - rt.windowDays * 1.1 - 1);
    honest(contract(a, b, first, { cell, plain: true, techAmountFen: amount }));
    const kind = i % 3;
    if (kind === 0) {
      // The way back differs by just more than the tolerance.
      const apart = uniform(rt.amountTolerancePercent * 1.02, rt.amountTolerancePercent * 1.1) / 100;
      honest(
        contract(b, a, addDays(first, int(20, 300)), {
          cell,
          plain: true,
          techAmountFen: Math.round(amount * (1 - apart)),
        }),
        'way back just outside the amount tolerance',
      );
    } else if (kind === 1) {
      honest(
        contract(b, a, addDays(first, int(rt.windowDays + 1, Math.floor(rt.windowDays * 1.1))), {
          cell,
          plain: true,
          techAmountFen: amount,
        }),
        'way back just outside the window',
      );
    } else {
      honest(contract(a, b, addDays(first, 365), { cell, plain: true, techAmountFen: amount }), 'renewal a year later');
    }
  }

  // Price anomalies: far above or below the comparables, once a cell has some history.
  const pa = t.priceAnomaly;
  for (let i = 0; i < n; i++) {
    const cell = pick(cells);
    const factor = uniform(pa.minRatio * 1.4, pa.minRatio * 4);
    const fen = Math.round(i % 3 === 0 ? cell.medianFen / factor : cell.medianFen * factor);
    falseOne(
      contract(newOrg([cell]), newOrg(), day(365, DAYS - 1), { cell, techAmountFen: fen }),
      RiskRule.PriceAnomaly,
    );
  }
  for (let i = 0; i < near; i++) {
    const cell = pick(cells);
    const factor = uniform(pa.minRatio * 0.9, pa.minRatio * 0.99);
    const fen = Math.round(i % 2 === 0 ? cell.medianFen / factor : cell.medianFen * factor);
    honest(
      contract(newOrg([cell]), newOrg(), day(365, DAYS - 1), { cell, techAmountFen: fen }),
      'price just inside the ratio',
    );
  }

  // Goods, equipment or works dressed as a technology service.
  const nt = t.nonTechnology;
  const serviceCells = cells.filter((c) => c.type === 'service' || c.type === 'development');
  for (let i = 0; i < n; i++) {
    const cell = pick(serviceCells);
    const c = contract(newOrg([cell]), newOrg(), day(), { cell });
    c.nonTechItems = [];
    if (i % 2 === 0) {
      const share = uniform(nt.itemsSharePercent * 1.1, 95) / 100;
      c.nonTechItems = [
        {
          description: pick(['数控机床', '空调机组', '钢结构厂房', '服务器机柜']),
          category: pick(['equipment', 'construction', 'installation', 'goods'] as const),
          amountFen: Math.round(c.amountFen * share),
        },
      ];
    } else {
      c.subject = pick(NON_TECH_SUBJECTS);
    }
    c.techAmountFen = Math.round((c.amountFen * uniform(Math.min(100, nt.techSharePercent * 1.05), 100)) / 100);
    falseOne(c, RiskRule.NonTechnology);
  }
  for (let i = 0; i < near; i++) {
    const cell = pick(serviceCells);
    const c = contract(newOrg([cell]), newOrg(), day(), { cell });
    if (i % 2 === 0) {
      // Itemised hardware just under its share, the technology amount the whole price.
      c.techAmountFen = c.amountFen;
      c.nonTechItems = [
        {
          description: '配套传感器',
          category: 'equipment',
          amountFen: Math.round((c.amountFen * uniform(nt.itemsSharePercent * 0.9, nt.itemsSharePercent * 0.99)) / 100),
        },
      ];
      honest(c, 'hardware just under its share');
    } else {
      // Mostly hardware, but the technology amount just under its share of the price.
      c.nonTechItems = [
        { description: '配套设备', category: 'equipment', amountFen: Math.round(c.amountFen * uniform(0.5, 0.7)) },
      ];
      c.techAmountFen = Math.round(
        (c.amountFen * uniform(nt.techSharePercent * 0.9, nt.techSharePercent * 0.99)) / 100,
      );
      honest(c, 'technology amount just under its share');
    }
  }

  // Amount splitting: parts just under the threshold within the window; the last completes it.
  const sp = t.amountSplitting;
  const band = () =>
    Math.round(uniform(sp.thresholdFen * (1 - (sp.marginPercent * 0.9) / 100), sp.thresholdFen * 0.999));
  const splitDays = (last: number) => [0, int(5, Math.floor(last / 2)), last];
  for (let i = 0; i < n; i++) {
    const cell = pick(bigCells);
    const [a, b] = [newOrg([cell]), newOrg([cell])];
    const start = day(0, DAYS - sp.windowDays);
    const offsets = splitDays(int(10, Math.floor(sp.windowDays * 0.95)));
    offsets.forEach((offset, k) => {
      const c = contract(a, b, addDays(start, offset), { cell, techAmountFen: band() });
      if (k + 1 < sp.minContracts) setup(c);
      else falseOne(c, RiskRule.AmountSplitting);
    });
  }
  for (let i = 0; i < near; i++) {
    const cell = pick(bigCells);
    const [a, b] = [newOrg([cell]), newOrg([cell])];
    const start = day(0, DAYS - 2 * sp.windowDays);
    const kind = i % 3;
    const offsets =
      kind === 1
        ? splitDays(int(sp.windowDays + 1, Math.floor(sp.windowDays * 1.1)))
        : splitDays(int(10, sp.windowDays - 5));
    const parts = kind === 2 ? sp.minContracts - 1 : sp.minContracts;
    for (let k = 0; k < parts; k++) {
      const fen =
        kind === 0
          ? Math.round(
              uniform(
                sp.thresholdFen * (1 - (sp.marginPercent * 1.1) / 100),
                sp.thresholdFen * (1 - sp.marginPercent / 100) - 1,
              ),
            )
          : band();
      const note = ['parts just below the band', 'parts spread just beyond the window', 'one part too few'][kind];
      honest(
        contract(a, b, addDays(start, offsets[Math.min(k, offsets.length - 1)] + (k >= offsets.length ? 1 : 0)), {
          cell,
          techAmountFen: fen,
        }),
        k === parts - 1 ? note : undefined,
      );
    }
  }

  // Double sales: the same patent assigned twice, or exclusive licenses with overlapping terms.
  const patentCells = cells.filter((c) => c.subKind === 'patent_assignment' || c.subKind === 'patent_license');
  const patentItem = (validTo: string): ScreenedIpItem => {
    const filingDate = addDays(validTo, -int(365 * 3, 365 * 12));
    return {
      kind: 'invention_patent',
      number: patentNumber(Number(filingDate.slice(0, 4))),
      filingDate,
      legalStatus: 'granted',
    };
  };
  for (let i = 0; i < n; i++) {
    const seller = newOrg(patentCells);
    const assignment = i % 2 === 0;
    const cell = pick(patentCells.filter((c) => c.type === (assignment ? 'transfer' : 'license')));
    const mode: ScreenedTransferMode = assignment ? 'assignment' : 'exclusive_license';
    const first = day(0, DAYS - 400);
    const firstTo = addDays(first, int(365, 1095));
    const ip = patentItem(addDays(firstTo, 3 * 365));
    honest(contract(seller, newOrg(), first, { cell, transferMode: mode, ipItems: [ip], validTo: firstTo }));
    const second = addDays(first, int(30, 360));
    falseOne(
      contract(seller, newOrg(), second, { cell, transferMode: mode, ipItems: [ip], validTo: addDays(second, 730) }),
      RiskRule.DoubleSale,
    );
  }
  for (let i = 0; i < near; i++) {
    const cell = pick(patentCells.filter((c) => c.type === 'license'));
    const seller = newOrg([cell]);
    const first = day(0, DAYS - 800);
    const firstTo = addDays(first, int(180, 365));
    const ip = patentItem(addDays(firstTo, 4 * 365));
    const kind = i % 3;
    if (kind === 0) {
      honest(
        contract(seller, newOrg(), first, { cell, transferMode: 'exclusive_license', ipItems: [ip], validTo: firstTo }),
      );
      const next = addDays(firstTo, int(1, 30));
      honest(
        contract(seller, newOrg(), next, {
          cell,
          transferMode: 'exclusive_license',
          ipItems: [ip],
          validTo: addDays(next, 365),
        }),
        'sequential exclusive licenses',
      );
    } else if (kind === 1) {
      honest(
        contract(seller, newOrg(), first, {
          cell,
          transferMode: 'non_exclusive_license',
          ipItems: [ip],
          validTo: firstTo,
        }),
      );
      honest(
        contract(seller, newOrg(), addDays(first, 30), {
          cell,
          transferMode: 'exclusive_license',
          ipItems: [ip],
          validTo: firstTo,
        }),
        'exclusive next to a non-exclusive license',
      );
    } else {
      const buyer = newOrg([cell]);
      const transferCell = pick(patentCells.filter((c) => c.type === 'transfer'));
      honest(
        contract(seller, buyer, first, {
          cell: transferCell,
          transferMode: 'assignment',
          ipItems: [ip],
          validTo: firstTo,
        }),
      );
      honest(
        contract(buyer, newOrg(), addDays(first, 200), {
          cell: transferCell,
          transferMode: 'assignment',
          ipItems: [ip],
          validTo: addDays(first, 400),
        }),
        'buyer sells the patent on',
      );
    }
  }

  // IP not in force: expired before the contract ends, or lapsed.
  const licenseCells = patentCells.filter((c) => c.type === 'license');
  for (let i = 0; i < n; i++) {
    const cell = pick(licenseCells);
    const signedOn = day();
    const validTo = addDays(signedOn, int(365, 1095));
    let ip: ScreenedIpItem;
    if (i % 3 === 0) {
      ip = { ...patentItem(validTo), legalStatus: 'lapsed' };
    } else {
      const expiresOn = addDays(validTo, -int(31, 1000));
      const filingDate = addDays(expiresOn, -(20 * 365 + 4)); // 20 years back, to the day or so
      ip = {
        kind: 'invention_patent',
        number: patentNumber(Number(filingDate.slice(0, 4))),
        filingDate: i % 3 === 2 ? null : filingDate,
        legalStatus: 'granted',
      };
      if (ip.filingDate === null) {
        // Only the number's year is known: place the year so that its 31 December still expires in time.
        const year = Number(expiresOn.slice(0, 4)) - 20 - 1;
        ip.number = patentNumber(year);
      }
    }
    falseOne(
      contract(newOrg([cell]), newOrg(), signedOn, {
        cell,
        transferMode: 'non_exclusive_license',
        ipItems: [ip],
        validTo,
      }),
      RiskRule.IpNotInForce,
    );
  }
  for (let i = 0; i < near; i++) {
    const cell = pick(licenseCells);
    const signedOn = day();
    const validTo = addDays(signedOn, int(365, 1095));
    const expiresOn = addDays(validTo, int(2, 36));
    const filingDate = addDays(expiresOn, -(20 * 365 - 10));
    const ip: ScreenedIpItem = {
      kind: 'invention_patent',
      number: patentNumber(Number(filingDate.slice(0, 4))),
      filingDate,
      legalStatus: 'granted',
    };
    honest(
      contract(newOrg([cell]), newOrg(), signedOn, {
        cell,
        transferMode: 'non_exclusive_license',
        ipItems: [ip],
        validTo,
      }),
      'patent in force just past the contract',
    );
  }

  // Year-end surges: a small seller with a year of modest sales signs far more at year end.
  const ys = t.yearEndSurge;
  const surge = (ratioFrom: number, ratioTo: number, label: RiskRule | null, note?: string) => {
    const cheap = pick(cheapCells);
    const seller = newOrg([cheap]);
    const year = pick([2025, 2026]);
    const windowFrom = addDays(`${year}-12-31`, -(ys.yearEndDays - 1));
    const history = Array.from({ length: int(Math.max(ys.minHistoryContracts, 3), 10) }, () =>
      contract(seller, pick(honestOrgs), addDays(windowFrom, -int(1, 364)), { cell: cheap }),
    );
    history.forEach((c) => honest(c));
    const sum = history.reduce((s, c) => s + c.techAmountFen, 0);
    const sorted = history.map((c) => c.techAmountFen).sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    const med = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    const baseline = Math.max((sum * ys.yearEndDays) / 365, med);
    // The surge is sold in a dearer cell, at a price ordinary there.
    const dear = cells.filter(
      (c) => c.medianFen >= baseline * ratioFrom * 0.6 && c.medianFen <= baseline * ratioTo * 1.6,
    );
    const cell = dear.length > 0 ? pick(dear) : pick(cells);
    const c = contract(seller, pick(honestOrgs), addDays(windowFrom, int(0, ys.yearEndDays - 1)), {
      cell,
      techAmountFen: Math.round(baseline * uniform(ratioFrom, ratioTo)),
    });
    if (label) falseOne(c, label);
    else honest(c, note);
  };
  for (let i = 0; i < n; i++) surge(ys.factor * 1.3, ys.factor * 2.5, RiskRule.YearEndSurge);
  for (let i = 0; i < near; i++) surge(ys.factor * 0.9, ys.factor * 0.99, null, 'year-end sales just under the factor');

  // Poor credit: a broker or a party rated D.
  for (let i = 0; i < n; i++) {
    const c = contract(newOrg(), newOrg(), day());
    if (i % 2 === 0) {
      const broker = { brokerId: `broker-${seed}-d${i}`, name: `失信经纪人${i}` };
      ratings.push({ subject: 'broker', id: broker.brokerId, name: broker.name, rating: 'D' });
      c.broker = broker;
    } else {
      ratings.push({ subject: 'organization', id: c.seller.orgId, name: c.seller.name, rating: 'D' });
    }
    falseOne(c, RiskRule.PoorCredit);
  }
  for (let i = 0; i < near; i++) {
    const c = contract(newOrg(), newOrg(), day());
    const broker = { brokerId: `broker-${seed}-c${i}`, name: `经纪人C${i}` };
    ratings.push({ subject: 'broker', id: broker.brokerId, name: broker.name, rating: 'C' });
    c.broker = broker;
    honest(c, 'broker rated C');
  }

  // Applications arrive in the order they are signed; nothing after the last day.
  const kept = applications.filter((a) => a.contract.signedOn >= FIRST_DAY && a.contract.signedOn <= LAST_DAY);
  kept.sort((x, y) => x.contract.signedOn.localeCompare(y.contract.signedOn));
  return { applications: kept, relations, ratings };
}

function daysBetweenSafe(a: string, b: string): number {
  return Math.max(11, Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000));
}
