import { EvidenceRow, Finding, RiskRule } from '../finding';
import type { ContractUnderScreening, NonTechItemCategory } from '../screening-input';
import type { RiskThresholds } from '../thresholds';
import { ContractRule, yuan } from './rule';

/**
 * Terms of the registration rules' list of what is not a technology contract (goods, equipment,
 * construction and installation, transport, repair, labour) and of technical work. Matched as
 * substrings in Chinese and as words in English; each term counts once.
 */
const NON_TECHNICAL_ZH = [
  '采购',
  '购置',
  '销售',
  '供货',
  '货物',
  '商品',
  '硬件',
  '设备',
  '施工',
  '土建',
  '建筑',
  '装修',
  '安装',
  '运输',
  '仓储',
  '物流',
  '维修',
  '保养',
  '劳务',
  '家政',
  '零部件',
  '租赁',
];
const TECHNICAL_ZH = [
  '技术',
  '研发',
  '研制',
  '开发',
  '算法',
  '工艺',
  '专利',
  '软件',
  '设计',
  '测试',
  '试验',
  '检测',
  '配方',
  '模型',
  '仿真',
  '咨询',
  '论证',
  '评估',
  '培训',
  '数据',
  '系统',
  '方案',
  '许可',
  '秘密',
  '中试',
  '集成电路',
  '育种',
  '品种',
  '芯片',
  '平台',
  '代码',
];
const NON_TECHNICAL_EN = [
  'equipment',
  'purchase',
  'procurement',
  'supply',
  'goods',
  'hardware',
  'construction',
  'installation',
  'building',
  'renovation',
  'transport',
  'warehousing',
  'logistics',
  'repair',
  'maintenance',
  'labour',
  'labor',
  'sale',
  'sales',
  'rental',
];
const TECHNICAL_EN = [
  'technology',
  'technical',
  'research',
  'development',
  'algorithm',
  'process',
  'patent',
  'software',
  'design',
  'testing',
  'trial',
  'formula',
  'model',
  'simulation',
  'consulting',
  'assessment',
  'training',
  'data',
  'system',
  'prototype',
  'license',
  'know-how',
];

const HARDWARE: ReadonlySet<NonTechItemCategory> = new Set([
  'goods',
  'equipment',
  'construction',
  'installation',
  'materials',
]);

export function subjectTerms(subject: string): { nonTechnical: string[]; technical: string[] } {
  const lower = subject.toLowerCase();
  const words = new Set(lower.split(/[^a-z-]+/).filter(Boolean));
  return {
    nonTechnical: [
      ...NON_TECHNICAL_ZH.filter((t) => subject.includes(t)),
      ...NON_TECHNICAL_EN.filter((t) => words.has(t)),
    ],
    technical: [...TECHNICAL_ZH.filter((t) => subject.includes(t)), ...TECHNICAL_EN.filter((t) => words.has(t))],
  };
}

/**
 * Non-technology subject matter dressed as a technology contract: the technology transaction
 * amount is (nearly) the whole price, while the itemised price is mostly goods, equipment or works,
 * or the subject is described mostly in such terms. A genuine service that itemises its hardware
 * keeps it out of the technology amount, and passes.
 */
export class NonTechnologyRule implements ContractRule {
  readonly rule = RiskRule.NonTechnology;

  constructor(private readonly t: RiskThresholds['nonTechnology']) {}

  check(contract: ContractUnderScreening): Finding | null {
    if (contract.amountFen <= 0) return null;
    const techShare = (100 * contract.techAmountFen) / contract.amountFen;
    if (techShare < this.t.techSharePercent) return null;
    const evidence: EvidenceRow[] = [];
    const zh: string[] = [];
    const en: string[] = [];
    const hardware = contract.nonTechItems.filter((i) => HARDWARE.has(i.category));
    const hardwareFen = hardware.reduce((sum, i) => sum + i.amountFen, 0);
    const itemsShare = (100 * hardwareFen) / contract.amountFen;
    if (itemsShare >= this.t.itemsSharePercent) {
      evidence.push(
        ...hardware.map((i): EvidenceRow => ({
          kind: 'item',
          description: i.description,
          category: i.category,
          amountFen: i.amountFen,
        })),
      );
      zh.push(`所列货物、设备或工程合计${yuan(hardwareFen)}元，占成交额${itemsShare.toFixed(0)}%`);
      en.push(
        `its itemised goods, equipment or works come to ¥${yuan(hardwareFen)}, ${itemsShare.toFixed(0)}% of the price`,
      );
    }
    const terms = subjectTerms(contract.subject);
    const recognised = terms.nonTechnical.length + terms.technical.length;
    const subjectShare = recognised === 0 ? 0 : (100 * terms.nonTechnical.length) / recognised;
    if (recognised > 0 && subjectShare >= this.t.subjectSharePercent) {
      evidence.push({ kind: 'subject', nonTechnicalTerms: terms.nonTechnical, technicalTerms: terms.technical });
      zh.push(`标的描述以${terms.nonTechnical.join('、')}为主`);
      en.push(`its subject is described mostly as ${terms.nonTechnical.join(', ')}`);
    }
    if (evidence.length === 0) return null;
    return {
      rule: this.rule,
      weight: this.t.weight,
      evidence,
      sentence: {
        zh: `技术交易额占成交额${techShare.toFixed(0)}%，但${zh.join('，且')}，实为非技术标的。`,
        en: `The technology transaction amount is ${techShare.toFixed(0)}% of the price, but ${en.join(', and ')}: not a technology subject.`,
      },
    };
  }
}
