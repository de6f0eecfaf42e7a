import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import bcrypt from 'bcryptjs';
import { createHmac } from 'node:crypto';
import { In } from 'typeorm';
import { AppConfig } from '@market/config';
import { NotFoundError } from '@market/http';
import type { Actor } from './auth/actor';
import type { TokenClaims } from './auth/jwt.strategy';
import { Role, SELF_SERVICE_ROLES } from './domain/role';
import { AddMemberInput, MemberView, MeView, RegisterInput, TokenView } from './dto/identity.dto';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { IdentityErrors } from './identity.errors';
import { OrganizationsService } from './organizations.service';

/** Accounts: registration, credentials, tokens and the members of an organization. */
@Injectable()
export class AccountsService {
  private dummyHash: string | undefined;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  private get users() {
    return this.txHost.tx.getRepository(User);
  }

  /** Creates an organization (unverified) and its first member, in one transaction. */
  async register(input: RegisterInput): Promise<MeView> {
    const notSelfService = input.roles.find((role) => !SELF_SERVICE_ROLES.includes(role));
    if (notSelfService) throw IdentityErrors.roleNotSelfService(notSelfService);
    return this.txHost.withTransaction(async () => {
      await this.ensureEmailFree(input.email);
      const organization = await this.organizations.create(input.organization);
      const user = await this.createUser(organization.id, input);
      return this.toMe(user, organization);
    });
  }

  /** An admin adds a member to an organization, with any roles (auditors, admins included). */
  async addMember(organizationId: string, input: AddMemberInput): Promise<MemberView> {
    return this.txHost.withTransaction(async () => {
      await this.organizations.get(organizationId);
      await this.ensureEmailFree(input.email);
      return this.toMember(await this.createUser(organizationId, input));
    });
  }

  async checkCredentials(email: string, password: string): Promise<Actor | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
    if (!user) {
      // Spend the same time as a real check so that response times do not reveal accounts.
      this.dummyHash ??= await bcrypt.hash('not a password', this.config.auth.passwordHashCost);
      await bcrypt.compare(password, this.dummyHash);
      return null;
    }
    if (!(await bcrypt.compare(password, user.passwordHash))) return null;
    return { userId: user.id, organizationId: user.organizationId, roles: user.roles };
  }

  issueToken(actor: Actor): TokenView {
    const claims: TokenClaims = { sub: actor.userId, org: actor.organizationId, roles: actor.roles };
    const expiresIn = this.config.auth.jwtTtlSeconds;
    return { accessToken: this.jwt.sign(claims, { expiresIn }), tokenType: 'Bearer', expiresIn };
  }

  /** The actor a bearer token proves, or null when it is forged or expired. */
  verifyToken(token: string): Actor | null {
    try {
      const claims = this.jwt.verify<TokenClaims>(token, { algorithms: ['HS256'] });
      return { userId: claims.sub, organizationId: claims.org, roles: claims.roles };
    } catch {
      return null;
    }
  }

  /**
   * A token good for one purpose only (`audience`, such as the queue dashboard's cookie), for
   * `ttlSeconds`. It is signed with a key derived from the signing key and the purpose, so it is
   * never accepted as a bearer token of the API, nor for another purpose.
   */
  issuePurposeToken(actor: Actor, audience: string, ttlSeconds: number): string {
    const claims: TokenClaims = { sub: actor.userId, org: actor.organizationId, roles: actor.roles };
    return this.jwt.sign(claims, { expiresIn: ttlSeconds, audience, secret: this.purposeKey(audience) });
  }

  /** The actor a purpose token proves, or null when it is forged, expired or for another purpose. */
  verifyPurposeToken(token: string, audience: string): Actor | null {
    try {
      const claims = this.jwt.verify<TokenClaims>(token, {
        algorithms: ['HS256'],
        audience,
        secret: this.purposeKey(audience),
      });
      return { userId: claims.sub, organizationId: claims.org, roles: claims.roles };
    } catch {
      return null;
    }
  }

  private purposeKey(audience: string): string {
    return createHmac('sha256', this.config.auth.jwtSecret).update(`purpose:${audience}`).digest('hex');
  }

  async me(actor: Actor): Promise<MeView> {
    const user = await this.users.findOneBy({ id: actor.userId });
    if (!user) throw new NotFoundError('user', actor.userId);
    return this.toMe(user, await this.organizations.get(user.organizationId));
  }

  async listMembers(organizationId: string): Promise<MemberView[]> {
    const members = await this.users.find({ where: { organizationId }, order: { createdAt: 'ASC' } });
    return members.map((user) => this.toMember(user));
  }

  /** Who a user is, for another context checking a relationship (an invited broker); null if unknown. */
  async member(userId: string): Promise<{ id: string; organizationId: string; roles: Role[] } | null> {
    const user = await this.users.findOneBy({ id: userId });
    return user && { id: user.id, organizationId: user.organizationId, roles: user.roles };
  }

  async memberIds(organizationId: string): Promise<string[]> {
    const rows = await this.users.find({ select: { id: true }, where: { organizationId } });
    return rows.map((row) => row.id);
  }

  /** `memberIds` of several organizations in one query, by organization (one without members maps to []). */
  async memberIdsOf(organizationIds: readonly string[]): Promise<Map<string, string[]>> {
    const unique = [...new Set(organizationIds)];
    const members = new Map<string, string[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return members;
    const rows = await this.users.find({
      select: { id: true, organizationId: true },
      where: { organizationId: In(unique) },
    });
    for (const row of rows) members.get(row.organizationId)?.push(row.id);
    return members;
  }

  private async ensureEmailFree(email: string): Promise<void> {
    if (await this.users.existsBy({ email: email.toLowerCase() })) throw IdentityErrors.emailTaken(email);
  }

  private async createUser(
    organizationId: string,
    input: { email: string; password: string; displayName: string; roles: Role[] },
  ): Promise<User> {
    const passwordHash = await bcrypt.hash(input.password, this.config.auth.passwordHashCost);
    return this.users.save(
      this.users.create({
        email: input.email.toLowerCase(),
        passwordHash,
        displayName: input.displayName,
        organizationId,
        roles: input.roles,
      }),
    );
  }

  private toMember(user: User): MemberView {
    return { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
  }

  private toMe(user: User, organization: Organization): MeView {
    return { ...this.toMember(user), organization: OrganizationsService.toView(organization) };
  }
}
