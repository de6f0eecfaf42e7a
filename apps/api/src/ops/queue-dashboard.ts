import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@market/config';
import { DomainError, HandlesOwnIdempotency, toProblem } from '@market/http';
import { AccountsService, Actor, CurrentActor, IdentityErrors, Role, Roles } from '@market/identity';
import { ALL_QUEUES } from '@market/queue';
import { QueueDashboardSessionView } from './queue-dashboard-session.view';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/** The cookie a browser carries to the dashboard, and what its token is good for. */
export const QUEUE_DASHBOARD_COOKIE = 'market_queue_dashboard';
const QUEUE_DASHBOARD_AUDIENCE = 'queue-dashboard';
const QUEUE_DASHBOARD_SESSION_SECONDS = 15 * 60;

function isDashboardRequest(request: FastifyRequest): boolean {
  // The matched route pattern catches percent-encoded spellings of the path; the raw path catches
  // what matched no route, so nothing under the dashboard is ever answered before the check.
  const inside = (path: string | undefined) =>
    path !== undefined && (path === QUEUE_DASHBOARD_ROUTE || path.startsWith(`${QUEUE_DASHBOARD_ROUTE}/`));
  return inside(request.routeOptions.url) || inside(request.url.split('?')[0]);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

function deny(request: FastifyRequest, reply: FastifyReply, error: DomainError): FastifyReply {
  const problem = { ...toProblem(error), instance: request.url };
  return reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

/**
 * Every path under the dashboard — its page, its static files, and its JSON API, which shows every
 * job's payload and can pause, empty or obliterate a queue — is for admins only. The check is a
 * Fastify hook on the whole server, so it holds for routes the dashboard adds in any version; an
 * admin proves it with a bearer token or with the short-lived cookie `POST
 * /api/v1/admin/queue-dashboard/session` sets (how a browser opens the dashboard). No password is
 * ever taken here: a password guess goes through the rate-limited login only.
 */
export function guardQueueDashboard(fastify: FastifyInstance, accounts: AccountsService): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isDashboardRequest(request)) return;
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const cookie = cookieValue(request.headers.cookie, QUEUE_DASHBOARD_COOKIE);
    let actor: Actor | null = null;
    if (scheme?.toLowerCase() === 'bearer' && token) actor = accounts.verifyToken(token);
    else if (cookie) actor = accounts.verifyPurposeToken(cookie, QUEUE_DASHBOARD_AUDIENCE);
    if (!actor) return deny(request, reply, IdentityErrors.unauthenticated());
    if (!actor.roles.includes(Role.Admin)) return deny(request, reply, IdentityErrors.adminOnly('The queue dashboard'));
  });
}

@ApiTags('operations')
@Controller('admin/queue-dashboard')
export class QueueDashboardSessionController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sets the cookie that opens the dashboard in this browser for 15 minutes. It is sent only to
   * the dashboard's paths, never to scripts (HttpOnly), and never from another site (SameSite).
   */
  @Roles(Role.Admin)
  @Post('session')
  @HttpCode(200)
  // Writes nothing: asking again only sets a fresh cookie.
  @HandlesOwnIdempotency()
  @ApiOperation({ summary: 'Open the queue dashboard in this browser for 15 minutes (admin)' })
  @ApiOkResponse({ type: QueueDashboardSessionView, description: 'The session cookie is set (HttpOnly)' })
  open(@CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): QueueDashboardSessionView {
    const token = this.accounts.issuePurposeToken(actor, QUEUE_DASHBOARD_AUDIENCE, QUEUE_DASHBOARD_SESSION_SECONDS);
    const attributes = [
      `Path=${QUEUE_DASHBOARD_ROUTE}`,
      `Max-Age=${QUEUE_DASHBOARD_SESSION_SECONDS}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(this.config.isProduction ? ['Secure'] : []),
    ];
    void reply.header('set-cookie', `${QUEUE_DASHBOARD_COOKIE}=${token}; ${attributes.join('; ')}`);
    return { url: `${QUEUE_DASHBOARD_ROUTE}/`, expiresIn: QUEUE_DASHBOARD_SESSION_SECONDS };
  }
}

export const QueueDashboardModule = BullBoardModule.forRoot({
  route: QUEUE_DASHBOARD_ROUTE,
  // @bull-board/fastify pins its own copy of @bull-board/api; the two are the same at run time.
  adapter: FastifyAdapter as never,
  boardOptions: { uiConfig: { boardTitle: 'Xiaoxiang market queues' } },
});

export const QueueDashboardQueues = BullBoardModule.forFeature(
  ...ALL_QUEUES.map((name) => ({ name, adapter: BullMQAdapter })),
);
