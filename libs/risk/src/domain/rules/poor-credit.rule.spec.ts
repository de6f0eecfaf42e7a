import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening, neighbourhood } from '../screening-fixtures';
import type { RatedSubject } from '../screening-input';
import { PoorCreditRule } from './poor-credit.rule';

const rule = new PoorCreditRule(configured.poorCredit);
const withBroker = contractUnderScreening({ broker: { brokerId: 'k1', name: '李经纪' } });
const rated = (subject: RatedSubject['subject'], id: string, rating: RatedSubject['rating']): RatedSubject => ({
  subject,
  id,
  name: id,
  rating,
});

describe('poor credit', () => {
  it('flags a broker rated D with the full weight', () => {
    const finding = rule.check(withBroker, neighbourhood({ ratings: [rated('broker', 'k1', 'D')] }));
    expect(finding).toMatchObject({
      weight: configured.poorCredit.weightD,
      evidence: [{ kind: 'rating', subject: 'broker', rating: 'D' }],
    });
    expect(finding?.sentence.zh).toContain('技术经纪人');
  });

  it('weighs a party rated C less than D, and the worst subject sets the weight', () => {
    expect(rule.check(withBroker, neighbourhood({ ratings: [rated('organization', 'buyer', 'C')] }))?.weight).toBe(
      configured.poorCredit.weightC,
    );
    expect(configured.poorCredit.weightC).toBeLessThan(configured.flagScore);
    expect(
      rule.check(
        withBroker,
        neighbourhood({ ratings: [rated('organization', 'buyer', 'C'), rated('organization', 'seller', 'D')] }),
      )?.weight,
    ).toBe(configured.poorCredit.weightD);
  });

  it('does not flag A or B ratings', () => {
    expect(
      rule.check(
        withBroker,
        neighbourhood({ ratings: [rated('broker', 'k1', 'B'), rated('organization', 'seller', 'A')] }),
      ),
    ).toBeNull();
  });

  it('ignores ratings of subjects not in the contract (an organization id that is a broker id elsewhere)', () => {
    expect(
      rule.check(
        withBroker,
        neighbourhood({ ratings: [rated('organization', 'k1', 'D'), rated('broker', 'seller', 'D')] }),
      ),
    ).toBeNull();
  });
});
