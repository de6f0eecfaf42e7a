import { Role } from '@market/identity';
import { patentCheckCharacter } from '@market/listing';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember } from './support/accounts';
import { contractOfTrade, createRegistryOffice, deliverTradeAgreed, signContract } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer, createDraft, getListing, listingInput } from './support/listings';
import { http } from './support/market';
import {
  assignmentOffer,
  NegotiationMarket,
  openNegotiatedListing,
  openNegotiation,
  startNegotiationMarket,
  verified,
} from './support/negotiations';

/** An invention patent number filed in `year` (12-digit form). */
function patentOf(year: number, serial: number): string {
  const digits = `${year}1${String(serial).padStart(7, '0')}`;
  return `ZL${digits}.${patentCheckCharacter(digits)}`;
}

/**
 * A listing's IP items carry their filing date (申请日) into the deal's terms and the contract's IP
 * items, where the "IP not in force" rule counts the statutory term from it rather than from the
 * number's year.
 */
describe('listing IP filing dates: from the listing to the contract and its screening', () => {
  const clock = new FakeClock();
  let market: NegotiationMarket;
  let auditor: Account;
  let serial = 100;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock);
    const office = await createRegistryOffice(market.api, market.admin, '长沙市技术合同登记处', '02', ['430100']);
    auditor = await addMember(market.api, market.admin, office, [Role.Auditor]);
  });

  afterAll(() => market?.close());

  it('keeps a filing date on a listing’s IP item, and refuses one that contradicts the number or is no date', async () => {
    const { api, seller } = market;
    const number = patentOf(2019, ++serial);
    const id = await createDraft(api, seller, {
      ipItems: [
        { kind: 'invention_patent', number, legalStatus: 'granted', filingDate: '2019-04-02' },
        { kind: 'know_how', legalStatus: 'granted' },
      ],
    });
    const own = (await getListing(api, id, seller).expect(200)).body;
    expect(own.ipItems).toEqual([
      { kind: 'invention_patent', number, legalStatus: 'granted', filingDate: '2019-04-02' },
      { kind: 'know_how', legalStatus: 'granted', filingDate: null },
    ]);
    const edited = await http(api)
      .patch(`/api/v1/listings/${id}`)
      .set(bearer(seller))
      .send({ ipItems: [{ kind: 'invention_patent', number, legalStatus: 'granted', filingDate: '2019-05-06' }] })
      .expect(200);
    expect(edited.body.ipItems[0].filingDate).toBe('2019-05-06');

    for (const [item, message] of [
      [{ kind: 'invention_patent', number, legalStatus: 'granted', filingDate: '2018-12-31' }, /filed in 2019/],
      [{ kind: 'invention_patent', number, legalStatus: 'granted', filingDate: '2019-02-30' }, /YYYY-MM-DD/],
      [{ kind: 'invention_patent', number, legalStatus: 'granted', filingDate: 20190402 }, /YYYY-MM-DD/],
      [{ kind: 'know_how', legalStatus: 'granted', filingDate: '2019-04-02' }, /know-how/],
    ] as const) {
      const refused = await http(api)
        .post('/api/v1/listings')
        .set(bearer(seller))
        .send(listingInput({ ipItems: [item] }))
        .expect(400);
      const problem = (refused.body.errors as { field: string; message: string }[]).find((e) =>
        e.field.endsWith('filingDate'),
      );
      expect(problem?.message).toMatch(message);
    }
  });

  /**
   * A negotiated assignment of a patent filed in 2007 (so in force until 2027-01-09 if filed on
   * 10 January, or until 2027-12-30 if only its number's year is known), drafted into a contract
   * running to 2027-06-30, applied for and screened. Returns the trade's IP items, the contract's
   * and the rules that fired.
   */
  async function dealOnPatent(filingDate: string | undefined) {
    const { api, worker, env, seller, admin } = market;
    const number = patentOf(2007, ++serial);
    const buyer = await verified(api, admin, { roles: [Role.Buyer] });
    const listingId = await openNegotiatedListing(market, seller, {
      ipItems: [{ kind: 'invention_patent', number, legalStatus: 'granted', ...(filingDate && { filingDate }) }],
    });
    const { id, offerId } = await openNegotiation(api, buyer, listingId, assignmentOffer(30_000_000));
    await http(api).post(`/api/v1/negotiations/${id}/offers/${offerId}/accept`).set(bearer(seller)).expect(200);
    const [trade] = await deliverTradeAgreed(worker, env, listingId);
    const [contractId] = await contractOfTrade(env, id);
    await http(api)
      .patch(`/api/v1/contracts/${contractId}`)
      .set(bearer(seller))
      .send({
        validFrom: '2026-03-01',
        validUntil: '2027-06-30',
        expectedNewInvestmentFen: 20_000_000,
        expectedNewOutputFen: 80_000_000,
      })
      .expect(200);
    const contract = (await http(api).get(`/api/v1/contracts/${contractId}`).set(bearer(buyer)).expect(200)).body;
    await signContract(api, contractId, seller, contract.version).expect(200);
    await signContract(api, contractId, buyer, contract.version).expect(200);
    await http(api).post(`/api/v1/contracts/${contractId}/submit`).set(bearer(seller)).expect(200);
    const [submitted] = await env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2`,
      [JobName.ContractSubmitted, contractId],
    );
    await worker
      .get(JobDispatcher)
      .run(QueueName.Contracts, { id: submitted.id, name: JobName.ContractSubmitted, data: submitted.payload });
    const risk = (await http(api).get(`/api/v1/contracts/${contractId}/risk`).set(bearer(auditor)).expect(200)).body;
    return {
      number,
      tradeIpItems: (trade.payload.terms as { ipItems: unknown[] }).ipItems,
      contractIpItems: contract.content.ipItems as unknown[],
      findings: risk.findings as { rule: string; evidence: Record<string, unknown>[] }[],
    };
  }

  it('carries the filing date into trade.agreed and the contract, where "IP not in force" counts the term from it', async () => {
    const dated = await dealOnPatent('2007-01-10');
    const item = { kind: 'invention_patent', number: dated.number, legalStatus: 'granted', filingDate: '2007-01-10' };
    expect(dated.tradeIpItems).toEqual([item]);
    expect(dated.contractIpItems).toEqual([expect.objectContaining(item)]);
    const finding = dated.findings.find((f) => f.rule === 'ip_not_in_force');
    expect(finding?.evidence).toEqual([
      expect.objectContaining({
        number: dated.number,
        filingDate: '2007-01-10',
        filingDateFromNumber: false,
        expiresOn: '2027-01-09',
      }),
    ]);

    // The same patent without its filing date: the number's year stands in (31 December), and the
    // term reaches past the contract's end.
    const undated = await dealOnPatent(undefined);
    expect(undated.tradeIpItems).toEqual([expect.objectContaining({ number: undated.number, filingDate: null })]);
    expect(undated.findings.map((f) => f.rule)).not.toContain('ip_not_in_force');
  });
});
