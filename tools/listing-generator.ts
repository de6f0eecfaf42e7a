/**
 * Realistic listings for demo data and benchmarks: Chinese titles built from the vocabulary of
 * each technical field, summaries in Chinese with an English sentence, valid patent numbers.
 */
import {
  documentTokens,
  IpKind,
  IpLegalStatus,
  ListingStatus,
  Maturity,
  patentCheckCharacter,
  PricingMode,
  searchDocument,
  TechnicalField,
  TransferMode,
} from '@market/listing';

const SUBJECTS: Record<TechnicalField, [string, string][]> = {
  [TechnicalField.HighEndEquipment]: [
    ['五轴联动数控机床', 'five-axis CNC machine tool'],
    ['盾构机主轴承', 'tunnel boring machine main bearing'],
    ['工业机器人减速器', 'industrial robot reducer'],
    ['轨道交通牵引变流器', 'rail traction converter'],
  ],
  [TechnicalField.NewMaterials]: [
    ['高能量密度锂电池正极材料', 'lithium battery cathode material'],
    ['碳化硅陶瓷基复合材料', 'silicon carbide ceramic matrix composite'],
    ['硬质合金涂层刀具', 'coated cemented carbide tool'],
    ['石墨烯导热膜', 'graphene thermal film'],
  ],
  [TechnicalField.NextGenIT]: [
    ['工业互联网边缘计算网关', 'industrial internet edge gateway'],
    ['国产操作系统安全加固', 'operating system security hardening'],
    ['北斗高精度定位模组', 'BeiDou high precision positioning module'],
    ['人工智能缺陷视觉检测', 'AI visual defect inspection'],
  ],
  [TechnicalField.NewEnergy]: [
    ['固态电池电解质薄膜', 'solid-state battery electrolyte film'],
    ['风电叶片在线监测', 'wind turbine blade monitoring'],
    ['氢燃料电池双极板', 'hydrogen fuel cell bipolar plate'],
    ['光伏组件回收', 'photovoltaic module recycling'],
  ],
  [TechnicalField.ModernAgriculture]: [
    ['杂交水稻高产栽培', 'hybrid rice cultivation'],
    ['油茶良种繁育', 'camellia oil seedling breeding'],
    ['稻虾共作生态种养', 'rice and crayfish co-culture'],
    ['茶叶机械化采摘', 'mechanized tea picking'],
  ],
  [TechnicalField.PopulationHealth]: [
    ['肿瘤早筛液体活检', 'liquid biopsy cancer screening'],
    ['中药配方颗粒质量控制', 'herbal granule quality control'],
    ['可降解心血管支架', 'biodegradable cardiovascular stent'],
    ['基层医疗远程影像诊断', 'remote imaging diagnosis'],
  ],
  [TechnicalField.ResourcesEnvironment]: [
    ['重金属污染土壤修复', 'heavy metal soil remediation'],
    ['锰渣无害化处理', 'manganese residue treatment'],
    ['农村污水一体化处理', 'rural wastewater treatment'],
    ['有色金属尾矿综合利用', 'non-ferrous tailings utilization'],
  ],
  [TechnicalField.CulturalCreative]: [
    ['湘绣数字化设计', 'digital Xiang embroidery design'],
    ['文旅沉浸式交互展示', 'immersive cultural tourism display'],
    ['铜官窑陶瓷釉色还原', 'Tongguan kiln glaze restoration'],
  ],
  [TechnicalField.PublicSafety]: [
    ['山洪灾害监测预警', 'flash flood early warning'],
    ['矿山井下人员定位', 'underground miner positioning'],
    ['危化品运输智能监管', 'hazardous goods transport monitoring'],
  ],
  [TechnicalField.ModernServices]: [
    ['供应链金融风控模型', 'supply chain finance risk model'],
    ['冷链物流温控追溯', 'cold chain temperature traceability'],
    ['技术合同智能审查', 'technology contract review'],
  ],
};

const DAY_MS = 24 * 3600 * 1000;
const PREFIXES = ['高效', '低成本', '智能化', '新型', '绿色', '一种', '大尺寸', '长寿命'];
const SUFFIXES = ['制备技术', '关键工艺', '成套装备', '系统', '方法', '产业化技术'];
const BENEFITS = ['能耗降低百分之二十', '良品率提升至百分之九十八', '成本下降三成', '已完成中试验证', '可替代进口产品'];
const REGIONS = ['430102', '430104', '430111', '430181', '430202', '430211', '430302', '430405', '430521', '430602'];
const FIELDS = Object.values(TechnicalField);
const MATURITIES = Object.values(Maturity);
const MODES = Object.values(PricingMode);
const TRANSFERS = Object.values(TransferMode);

/** A small deterministic generator, so a seed gives the same market every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

export interface GeneratedListing {
  title: string;
  summary: string;
  technicalField: TechnicalField;
  maturity: Maturity;
  ipItems: { kind: IpKind; number: string | null; legalStatus: IpLegalStatus }[];
  ipKinds: IpKind[];
  transferModes: TransferMode[];
  pricingMode: PricingMode;
  askingPriceFen: number | null;
  regionCode: string;
  searchText: string;
  searchTokens: string[];
}

export function generateListing(random: () => number, serial: number): GeneratedListing {
  const technicalField = pick(random, FIELDS);
  const [subject, english] = pick(random, SUBJECTS[technicalField]);
  const title = `${pick(random, PREFIXES)}${subject}${pick(random, SUFFIXES)}`;
  const summary =
    `本成果涉及${subject}，${pick(random, BENEFITS)}，${pick(random, BENEFITS)}。` +
    `适用于湖南省${pick(random, ['长株潭', '衡阳', '岳阳', '常德', '郴州'])}地区相关企业转化应用。` +
    `Key technology for ${english}, validated with partner manufacturers.`;
  const digits = `20${20 + Math.floor(random() * 6)}1${String(serial % 10_000_000).padStart(7, '0')}`;
  const ipItems = [
    {
      kind: IpKind.InventionPatent,
      number: `ZL${digits}.${patentCheckCharacter(digits)}`,
      legalStatus: IpLegalStatus.Granted,
    },
    ...(random() < 0.3 ? [{ kind: IpKind.KnowHow, number: null, legalStatus: IpLegalStatus.Granted }] : []),
  ];
  const pricingMode = pick(random, MODES);
  const askingPriceFen =
    pricingMode === PricingMode.Negotiated && random() < 0.5 ? null : (10 + Math.floor(random() * 990)) * 100_000;
  const listing = { title, summary, ipItems };
  const searchText = searchDocument(listing);
  return {
    ...listing,
    technicalField,
    maturity: pick(random, MATURITIES),
    ipKinds: [...new Set(ipItems.map((i) => i.kind))],
    transferModes: [pick(random, TRANSFERS)],
    pricingMode,
    askingPriceFen,
    regionCode: pick(random, REGIONS),
    searchText,
    searchTokens: documentTokens(searchText),
  };
}

/** Column list and one row's values for a multi-row INSERT into `listing`. */
export const LISTING_INSERT_COLUMNS = [
  'organization_id',
  'seller_name',
  'created_by',
  'title',
  'summary',
  'technical_field',
  'maturity',
  'ip_items',
  'ip_kinds',
  'transfer_modes',
  'pricing_mode',
  'asking_price_fen',
  'region_code',
  'status',
  'search_text',
  'search_tokens',
  'submitted_at',
  'approved_at',
  'announcement_ends_at',
  'opened_at',
  'listing_period_ends_at',
];

export function listingRow(
  listing: GeneratedListing,
  seller: { organizationId: string; name: string; userId: string },
  status: ListingStatus,
  approvedAt: Date,
): unknown[] {
  const announcementEndsAt = new Date(approvedAt.getTime() + 15 * DAY_MS);
  const isOpen = status === ListingStatus.Open;
  const periodEndsAt =
    isOpen && listing.pricingMode === PricingMode.Listed ? new Date(announcementEndsAt.getTime() + 20 * DAY_MS) : null;
  return [
    seller.organizationId,
    seller.name,
    seller.userId,
    listing.title,
    listing.summary,
    listing.technicalField,
    listing.maturity,
    JSON.stringify(listing.ipItems),
    listing.ipKinds,
    listing.transferModes,
    listing.pricingMode,
    listing.askingPriceFen,
    listing.regionCode,
    status,
    listing.searchText,
    listing.searchTokens,
    status === ListingStatus.Draft ? null : approvedAt,
    status === ListingStatus.Draft ? null : approvedAt,
    status === ListingStatus.Draft ? null : announcementEndsAt,
    isOpen ? announcementEndsAt : null,
    periodEndsAt,
  ];
}
