import { Role } from '@market/identity';
import { contractOfTrade, deliverTradeAgreed, getContract } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';
import {
  NegotiationMarket,
  offerBody,
  openNegotiatedListing,
  openNegotiation,
  startNegotiationMarket,
  verified,
} from './support/negotiations';

describe('contracts: drafting from a negotiation', () => {
  const clock = new FakeClock();
  let market: NegotiationMarket;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock);
  });

  afterAll(async () => {
    await market?.close();
  });

  it('drafts one contract from a negotiated deal delivered twice, with the accepted offer’s license and schedule', async () => {
    const { api, worker, env, seller, admin } = market;
    const buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '株洲动力电池有限公司' });
    const listingId = await openNegotiatedListing(market, seller);
    const { id, offerId } = await openNegotiation(api, buyer, listingId, offerBody({ priceFen: 80_000_000 }));
    await http(api).post(`/api/v1/negotiations/${id}/offers/${offerId}/accept`).set(bearer(seller)).expect(200);

    const [event] = await deliverTradeAgreed(worker, env, listingId);
    expect(event.payload).toMatchObject({ source: 'negotiation', tradeId: id });
    await deliverTradeAgreed(worker, env, listingId, '-again');
    const ids = await contractOfTrade(env, id);
    expect(ids).toHaveLength(1);

    const contract = (await getContract(api, ids[0], buyer).expect(200)).body;
    expect(contract).toMatchObject({
      status: 'draft',
      source: 'negotiation',
      content: {
        contractType: 'license',
        subKind: 'patent_license',
        transferMode: 'non_exclusive_license',
        license: { fieldOfUse: 'all fields', territory: 'nationwide', termMonths: 60, exclusivity: 'non_exclusive' },
        totalAmountFen: 80_000_000,
        seller: { organizationId: seller.organizationId },
        buyer: { organizationId: buyer.organizationId, name: '株洲动力电池有限公司' },
        milestones: [{ key: 'm1', kind: 'payment', amountFen: 80_000_000, dueOn: '2027-03-31', prepaid: false }],
      },
    });
    // The seller's members see it too; another organization does not.
    await getContract(api, ids[0], seller).expect(200);
    const stranger = await verified(api, admin, { roles: [Role.Buyer] });
    await getContract(api, ids[0], stranger).expect(404);
  });
});
