import { configured } from '../testing/configured-thresholds';
import { RISK_RULES, RiskRule } from './finding';
import { buildRules, ContractScreener, scoreFindings } from './screening';
import { contractUnderScreening, neighbourhood, party } from './screening-fixtures';

describe('screening and score', () => {
  const screener = new ContractScreener(configured);

  it('has one rule per rule name', () => {
    expect(buildRules(configured).map((r) => r.rule)).toEqual(RISK_RULES);
  });

  it('gives an ordinary contract no finding and a score of 0', () => {
    expect(screener.screen(contractUnderScreening(), neighbourhood())).toEqual({
      score: 0,
      flagged: false,
      findings: [],
    });
  });

  it('adds the weights of independent findings, capped at 100, and flags at the configured score', () => {
    const result = screener.screen(
      contractUnderScreening({
        seller: party('s', { legalRepresentative: '王五' }),
        buyer: party('b', { legalRepresentative: '王五' }),
        subject: '设备采购及安装',
      }),
      neighbourhood({ ratings: [{ subject: 'organization', id: 's', name: 'S', rating: 'D' }] }),
    );
    expect(result.findings.map((f) => f.rule)).toEqual([
      RiskRule.RelatedParties,
      RiskRule.NonTechnology,
      RiskRule.PoorCredit,
    ]);
    expect(result.score).toBe(100);
    expect(result.flagged).toBe(true);
  });

  it('does not flag below the flag score', () => {
    const weak = {
      rule: RiskRule.PoorCredit,
      weight: configured.flagScore - 1,
      evidence: [],
      sentence: { zh: '', en: '' },
    };
    expect(scoreFindings([weak], configured.flagScore)).toEqual({ score: configured.flagScore - 1, flagged: false });
    expect(scoreFindings([{ ...weak, weight: configured.flagScore }], configured.flagScore).flagged).toBe(true);
  });
});
