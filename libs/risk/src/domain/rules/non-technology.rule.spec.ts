import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening } from '../screening-fixtures';
import { NonTechnologyRule, subjectTerms } from './non-technology.rule';

const rule = new NonTechnologyRule(configured.nonTechnology);

describe('non-technology subject matter', () => {
  it('flags equipment dressed as a technology service: technology amount = total, items mostly equipment', () => {
    const finding = rule.check(
      contractUnderScreening({
        type: 'service',
        subject: '智能产线技术服务',
        amountFen: 100_000_000,
        techAmountFen: 100_000_000,
        nonTechItems: [
          { description: '数控机床 3 台', category: 'equipment', amountFen: 70_000_000 },
          { description: '调试', category: 'other', amountFen: 5_000_000 },
        ],
      }),
    );
    expect(finding?.evidence).toEqual([
      expect.objectContaining({ kind: 'item', description: '数控机床 3 台', amountFen: 70_000_000 }),
    ]);
    expect(finding?.sentence.zh).toContain('70%');
  });

  it('does not flag a genuine service with itemised hardware kept out of the technology amount', () => {
    expect(
      rule.check(
        contractUnderScreening({
          type: 'service',
          subject: '智能产线技术服务',
          amountFen: 100_000_000,
          techAmountFen: 30_000_000,
          nonTechItems: [{ description: '数控机床 3 台', category: 'equipment', amountFen: 70_000_000 }],
        }),
      ),
    ).toBeNull();
  });

  it('does not flag hardware items just under the share threshold', () => {
    const share = configured.nonTechnology.itemsSharePercent * 0.9;
    expect(
      rule.check(
        contractUnderScreening({
          nonTechItems: [{ description: '服务器', category: 'equipment', amountFen: share * 1_000_000 }],
        }),
      ),
    ).toBeNull();
  });

  it('flags a subject described as purchase and installation, with no technical content', () => {
    const finding = rule.check(contractUnderScreening({ type: 'service', subject: '办公楼空调设备采购及安装' }));
    expect(finding?.evidence).toEqual([
      { kind: 'subject', nonTechnicalTerms: ['采购', '设备', '安装'], technicalTerms: [] },
    ]);
  });

  it('flags an English subject of supply and installation', () => {
    expect(
      rule.check(contractUnderScreening({ subject: 'Supply and installation of warehouse racking equipment' })),
    ).not.toBeNull();
  });

  it('does not flag a development whose subject names the equipment it is for', () => {
    expect(rule.check(contractUnderScreening({ subject: '生产线设备故障诊断算法研发及软件系统开发' }))).toBeNull();
  });

  it('does not flag anything when the technology amount is below its share of the total', () => {
    const tech = Math.floor(100_000_000 * (configured.nonTechnology.techSharePercent / 100)) - 1;
    expect(
      rule.check(contractUnderScreening({ subject: '设备采购及安装', amountFen: 100_000_000, techAmountFen: tech })),
    ).toBeNull();
  });

  it('recognises terms in Chinese and English', () => {
    expect(subjectTerms('Equipment purchase for software development')).toEqual({
      nonTechnical: ['equipment', 'purchase'],
      technical: ['development', 'software'],
    });
  });
});
