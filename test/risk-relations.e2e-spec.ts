import { buildUscc, Role } from '@market/identity';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { bearer } from './support/listings';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const HOLDER = buildUscc('91', '430100', 'HAAA0001');
const FIRM = buildUscc('91', '430100', 'FBBB0002');
const OTHER = buildUscc('91', '430100', 'TCCC0003');
const HEADER = 'party_a_uscc,party_a_name,party_b_uscc,party_b_name,kind,share_percent,source';

describe('risk: the organization-relations table and organizations’ registry facts', () => {
  let env: TestEnvironment;
  let api: Api;
  let admin: Account;
  let others: Record<string, Account>;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    admin = await createAdmin(api, env);
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    const buyer = await registerAccount(api, { roles: [Role.Buyer] });
    const broker = await registerAccount(api, { roles: [Role.Broker] });
    const auditor = await addMember(api, admin, (await registerAccount(api, { roles: [Role.Buyer] })).organizationId, [
      Role.Auditor,
    ]);
    const finance = await addMember(api, admin, admin.organizationId, [Role.Finance]);
    const unrelated = await registerAccount(api, { roles: [Role.Buyer, Role.Seller] });
    others = { seller, buyer, broker, auditor, finance, unrelated };
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const relation = (overrides: Record<string, unknown> = {}) => ({
    partyAUscc: HOLDER,
    partyAName: '湘江控股集团有限公司',
    partyBUscc: FIRM,
    partyBName: '湘江新材料有限公司',
    kind: 'shareholding',
    sharePercent: 35,
    source: '国家企业信用信息公示系统',
    ...overrides,
  });

  it('lets an admin record, list, change and delete a relation', async () => {
    const created = await http(api).post('/api/v1/risk/relations').set(bearer(admin)).send(relation()).expect(201);
    expect(created.body).toMatchObject({
      partyAUscc: HOLDER,
      partyBUscc: FIRM,
      kind: 'shareholding',
      sharePercent: 35,
      recordedBy: admin.userId,
    });
    const id = created.body.id as string;

    const listed = await http(api)
      .get(`/api/v1/risk/relations?uscc=${FIRM.toLowerCase()}`)
      .set(bearer(admin))
      .expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    const none = await http(api).get(`/api/v1/risk/relations?uscc=${OTHER}`).set(bearer(admin)).expect(200);
    expect(none.body).toEqual({ total: 0, items: [] });

    const changed = await http(api)
      .patch(`/api/v1/risk/relations/${id}`)
      .set(bearer(admin))
      .send({ sharePercent: 18.5, source: '2026 年报' })
      .expect(200);
    expect(changed.body).toMatchObject({ sharePercent: 18.5, source: '2026 年报' });

    await http(api).delete(`/api/v1/risk/relations/${id}`).set(bearer(admin)).expect(200);
    await http(api).delete(`/api/v1/risk/relations/${id}`).set(bearer(admin)).expect(404);
    await http(api).patch(`/api/v1/risk/relations/not-a-uuid`).set(bearer(admin)).send({ source: 'x' }).expect(404);
  });

  it('refuses a second relation of the same kind, a shareholding without its share, a share on another kind, one organization twice', async () => {
    const first = await http(api)
      .post('/api/v1/risk/relations')
      .set(bearer(admin))
      .send(relation({ partyBUscc: OTHER }))
      .expect(201);
    const again = await http(api)
      .post('/api/v1/risk/relations')
      .set(bearer(admin))
      .send(relation({ partyBUscc: OTHER, sharePercent: 50 }))
      .expect(409);
    expect(again.body).toMatchObject({ code: 'RISK.RELATION_EXISTS', relationId: first.body.id });
    for (const bad of [
      relation({ kind: 'shareholding', sharePercent: null, partyBUscc: FIRM }),
      relation({ kind: 'control', sharePercent: 20 }),
      relation({ partyBUscc: HOLDER }),
    ]) {
      const refused = await http(api).post('/api/v1/risk/relations').set(bearer(admin)).send(bad).expect(422);
      expect(refused.body.code).toBe('RISK.RELATION_INVALID');
    }
    const badCode = await http(api)
      .post('/api/v1/risk/relations')
      .set(bearer(admin))
      .send(relation({ partyAUscc: '91430100HAAA00010X' }))
      .expect(400);
    expect(badCode.body.errors.map((e: { field: string }) => e.field)).toContain('partyAUscc');
    await http(api)
      .patch(`/api/v1/risk/relations/${first.body.id}`)
      .set(bearer(admin))
      .send({ sharePercent: null })
      .expect(422);
  });

  it('imports a CSV all or nothing, naming every bad line, and updates a relation already known', async () => {
    const bad = await http(api)
      .post('/api/v1/risk/relations/import')
      .set(bearer(admin))
      .send({
        csv: `${HEADER}\n${HOLDER},控股,${FIRM},新材料,legal_representative,,\n${HOLDER},控股,${FIRM},新材料,owns,,\n${HOLDER},控股,${HOLDER},控股,control,,`,
      })
      .expect(422);
    expect(bad.body).toMatchObject({ code: 'RISK.CSV_INVALID', problems: [{ line: 3 }, { line: 4 }] });
    const before = await http(api).get(`/api/v1/risk/relations?uscc=${FIRM}`).set(bearer(admin)).expect(200);
    expect(before.body.total).toBe(0);

    const csv = `\uFEFF${HEADER}\r\n${HOLDER},"湘江控股集团有限公司",${FIRM},"湘江新材料有限公司",shareholding,22.5,"年报, 2026"\r\n${HOLDER},湘江控股集团有限公司,${OTHER},岳麓科技有限公司,shareholding,60,年报\r\n`;
    const imported = await http(api).post('/api/v1/risk/relations/import').set(bearer(admin)).send({ csv }).expect(200);
    expect(imported.body).toEqual({ created: 1, updated: 1 });
    const after = await http(api).get(`/api/v1/risk/relations?uscc=${HOLDER}`).set(bearer(admin)).expect(200);
    expect(after.body.total).toBe(2);
    expect(after.body.items.find((r: { partyBUscc: string }) => r.partyBUscc === FIRM)).toMatchObject({
      sharePercent: 22.5,
      source: '年报, 2026',
    });
    expect(after.body.items.find((r: { partyBUscc: string }) => r.partyBUscc === OTHER)).toMatchObject({
      sharePercent: 60,
      source: '年报',
    });
  });

  it('answers 403 to every other role and to a member of an unrelated organization, on every route', async () => {
    const [{ id }] = await env.query<{ id: string }>(`SELECT id FROM organization_relation LIMIT 1`);
    for (const [who, account] of Object.entries(others)) {
      const as = bearer(account);
      const statuses = [
        (await http(api).get('/api/v1/risk/relations').set(as)).status,
        (
          await http(api)
            .post('/api/v1/risk/relations')
            .set(as)
            .send(relation({ partyBUscc: buildUscc('91', '430100', 'NEWX0009') }))
        ).status,
        (await http(api).post('/api/v1/risk/relations/import').set(as).send({ csv: HEADER })).status,
        (await http(api).patch(`/api/v1/risk/relations/${id}`).set(as).send({ source: 'x' })).status,
        (await http(api).delete(`/api/v1/risk/relations/${id}`).set(as)).status,
        (
          await http(api)
            .patch(`/api/v1/orgs/${account.organizationId}/registry`)
            .set(as)
            .send({ legalRepresentative: '某人' })
        ).status,
      ];
      expect({ who, statuses }).toEqual({ who, statuses: [403, 403, 403, 403, 403, 403] });
    }
    await http(api).get('/api/v1/risk/relations').expect(401);
    expect(await env.query(`SELECT 1 FROM organization_relation WHERE id = $1`, [id])).toHaveLength(1);
  });

  it('keeps an organization’s legal representative and registered address: given at registration, corrected by an admin', async () => {
    const registered = await http(api)
      .post('/api/v1/orgs')
      .set(bearer(admin))
      .send({
        name: '长沙某某科技有限公司',
        uscc: buildUscc('91', '430100', 'REGA0004'),
        regionCode: '430100',
        kind: 'enterprise',
        legalRepresentative: ' 李四 ',
        registeredAddress: '长沙市岳麓区麓谷大道627号',
      })
      .expect(201);
    expect(registered.body).toMatchObject({
      legalRepresentative: '李四',
      registeredAddress: '长沙市岳麓区麓谷大道627号',
    });
    const id = registered.body.id as string;
    const corrected = await http(api)
      .patch(`/api/v1/orgs/${id}/registry`)
      .set(bearer(admin))
      .send({ registeredAddress: '长沙市岳麓区桐梓坡西路229号' })
      .expect(200);
    expect(corrected.body).toMatchObject({
      legalRepresentative: '李四',
      registeredAddress: '长沙市岳麓区桐梓坡西路229号',
    });
    const seen = await http(api).get(`/api/v1/orgs/${id}`).set(bearer(others.unrelated)).expect(200);
    expect(seen.body.registeredAddress).toBe('长沙市岳麓区桐梓坡西路229号');
    await http(api)
      .patch(`/api/v1/orgs/00000000-0000-4000-8000-000000000000/registry`)
      .set(bearer(admin))
      .send({ legalRepresentative: '某人' })
      .expect(404);
  });
});
