import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening, neighbourhood, party } from '../screening-fixtures';
import type { OrganizationRelation } from '../screening-input';
import { normalizeText, RelatedPartiesRule } from './related-parties.rule';

const rule = new RelatedPartiesRule(configured.relatedParties);
const holds = (a: string, b: string, sharePercent: number, id = `${a}-${b}`): OrganizationRelation => ({
  relationId: id,
  orgAId: a,
  orgBId: b,
  kind: 'shareholding',
  sharePercent,
  source: '企业信用信息公示系统',
});

describe('related parties', () => {
  it('flags a seller and buyer with the same legal representative, however the name is spaced', () => {
    const finding = rule.check(
      contractUnderScreening({
        seller: party('s', { legalRepresentative: '张 伟' }),
        buyer: party('b', { legalRepresentative: '张伟' }),
      }),
      neighbourhood(),
    );
    expect(finding?.evidence).toEqual([
      expect.objectContaining({ kind: 'relation', relation: 'same_legal_representative', value: '张 伟' }),
    ]);
    expect(finding?.weight).toBe(configured.relatedParties.weight);
    expect(finding?.sentence.zh).toContain('法定代表人相同');
    expect(finding?.sentence.en).toContain('legal representative');
  });

  it('flags a shared registered address written with full-width digits and punctuation', () => {
    const finding = rule.check(
      contractUnderScreening({
        seller: party('s', { registeredAddress: '长沙市岳麓区麓谷大道６２７号，A栋' }),
        buyer: party('b', { registeredAddress: '长沙市岳麓区麓谷大道627号A栋' }),
      }),
      neighbourhood(),
    );
    expect(finding?.evidence[0]).toMatchObject({ relation: 'same_registered_address' });
  });

  it('does not flag different representatives and addresses', () => {
    expect(rule.check(contractUnderScreening(), neighbourhood())).toBeNull();
  });

  it('flags a shareholding at the threshold, in either direction', () => {
    const t = configured.relatedParties.shareholdingPercent;
    const c = contractUnderScreening();
    expect(rule.check(c, neighbourhood({ relations: [holds('buyer', 'seller', t)] }))?.evidence[0]).toMatchObject({
      relationId: 'buyer-seller',
      sharePercent: t,
    });
    expect(rule.check(c, neighbourhood({ relations: [holds('seller', 'buyer', t + 30)] }))).not.toBeNull();
  });

  it('does not flag a related party below the shareholding threshold', () => {
    const below = configured.relatedParties.shareholdingPercent * 0.9;
    expect(
      rule.check(contractUnderScreening(), neighbourhood({ relations: [holds('buyer', 'seller', below)] })),
    ).toBeNull();
  });

  it('flags sister companies held by one shareholder above the threshold, not below', () => {
    const t = configured.relatedParties.shareholdingPercent;
    const c = contractUnderScreening();
    const finding = rule.check(
      c,
      neighbourhood({ relations: [holds('parent', 'seller', 60), holds('parent', 'buyer', t)] }),
    );
    expect(finding?.evidence.map((e) => (e.kind === 'relation' ? e.relationId : null))).toEqual([
      'parent-seller',
      'parent-buyer',
    ]);
    expect(
      rule.check(c, neighbourhood({ relations: [holds('parent', 'seller', 60), holds('parent', 'buyer', t - 1)] })),
    ).toBeNull();
    expect(
      rule.check(c, neighbourhood({ relations: [holds('p1', 'seller', 60), holds('p2', 'buyer', 60)] })),
    ).toBeNull();
  });

  it('flags control recorded by an admin whatever its percentage', () => {
    const control: OrganizationRelation = {
      relationId: 'r1',
      orgAId: 'seller',
      orgBId: 'buyer',
      kind: 'control',
      sharePercent: null,
      source: null,
    };
    expect(rule.check(contractUnderScreening(), neighbourhood({ relations: [control] }))).not.toBeNull();
  });

  it('ignores relations between other organizations', () => {
    expect(
      rule.check(contractUnderScreening(), neighbourhood({ relations: [holds('seller', 'third', 90)] })),
    ).toBeNull();
  });

  it('normalizes empty values to nothing comparable', () => {
    expect(normalizeText(null)).toBe('');
    expect(
      rule.check(
        contractUnderScreening({
          seller: party('s', { legalRepresentative: null }),
          buyer: party('b', { legalRepresentative: null }),
        }),
        neighbourhood(),
      ),
    ).toBeNull();
  });
});
