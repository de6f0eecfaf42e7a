import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { buildUscc, Role } from '@market/identity';
import { Api, http } from './market';
import type { TestEnvironment } from './test-env';

export const PASSWORD = 'correct horse battery';

export interface Account {
  userId: string;
  organizationId: string;
  email: string;
  token: string;
}

let counter = 0;

/** A valid, unique unified social credit code. */
export function uniqueUscc(regionCode = '430100'): string {
  const body = randomBytes(4)
    .toString('hex')
    .toUpperCase()
    .replace(/[IOSVZ]/g, '0');
  return buildUscc('91', regionCode, body);
}

export async function login(api: Api, email: string, password = PASSWORD): Promise<string> {
  const response = await http(api).post('/api/v1/auth/login').send({ email, password }).expect(200);
  return response.body.accessToken as string;
}

/** Registers an organization and its first account through the API, then logs in. */
export async function registerAccount(
  api: Api,
  options: {
    roles?: Role[];
    organizationName?: string;
    kind?: 'enterprise' | 'university' | 'institute' | 'agency';
    /** 6-digit division code; default 430100 (Changsha). */
    regionCode?: string;
  } = {},
): Promise<Account> {
  const email = `user${++counter}.${randomBytes(3).toString('hex')}@example.cn`;
  const response = await http(api)
    .post('/api/v1/auth/register')
    .send({
      email,
      password: PASSWORD,
      displayName: `测试用户${counter}`,
      roles: options.roles ?? [Role.Buyer],
      organization: {
        name: options.organizationName ?? `测试企业${counter}有限公司`,
        uscc: uniqueUscc(),
        regionCode: options.regionCode ?? '430100',
        kind: options.kind ?? 'enterprise',
      },
    })
    .expect(201);
  return {
    userId: response.body.id,
    organizationId: response.body.organization.id,
    email,
    token: await login(api, email),
  };
}

/** An admin of the market operator, written straight to the database (admins are not self-service). */
export async function createAdmin(api: Api, env: TestEnvironment): Promise<Account> {
  const [organization] = await env.query<{ id: string }>(
    `INSERT INTO organization (name, uscc, region_code, kind, verified_at) VALUES ($1, $2, '430100', 'operator', now()) RETURNING id`,
    [`市场运营方${++counter}`, uniqueUscc()],
  );
  const email = `admin${counter}.${randomBytes(3).toString('hex')}@example.cn`;
  const [user] = await env.query<{ id: string }>(
    `INSERT INTO app_user (email, password_hash, display_name, organization_id, roles) VALUES ($1, $2, '管理员', $3, $4) RETURNING id`,
    [email, await bcrypt.hash(PASSWORD, 4), organization.id, [Role.Admin]],
  );
  return { userId: user.id, organizationId: organization.id, email, token: await login(api, email) };
}

/** Adds an account with the given roles to an existing organization, through the admin endpoint. */
export async function addMember(api: Api, admin: Account, organizationId: string, roles: Role[]): Promise<Account> {
  const email = `member${++counter}.${randomBytes(3).toString('hex')}@example.cn`;
  const response = await http(api)
    .post(`/api/v1/orgs/${organizationId}/members`)
    .set('authorization', `Bearer ${admin.token}`)
    .send({ email, password: PASSWORD, displayName: `成员${counter}`, roles })
    .expect(201);
  return { userId: response.body.id, organizationId, email, token: await login(api, email) };
}
