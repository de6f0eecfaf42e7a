import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountsService, IdentityModule, Role } from '@market/identity';
import { ALL_QUEUES } from '@market/queue';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/**
 * Admins only: a bearer token with the admin role, or an admin's e-mail and password as HTTP
 * Basic credentials (so that a browser can open the dashboard directly).
 */
function adminOnly(accounts: AccountsService) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const deny = (status: number) => {
      res.statusCode = status;
      if (status === 401) res.setHeader('www-authenticate', 'Basic realm="queue dashboard", charset="UTF-8"');
      res.setHeader('content-type', 'application/problem+json');
      res.end(
        JSON.stringify({
          type: '/problems/auth-admin-only',
          title: status === 401 ? 'Unauthorized' : 'Forbidden',
          status,
          detail: 'The queue dashboard is for admins',
          code: 'AUTH.ADMIN_ONLY',
        }),
      );
    };
    void (async () => {
      const header = req.headers.authorization ?? '';
      const [scheme, value] = header.split(' ');
      let roles: Role[] | undefined;
      if (scheme?.toLowerCase() === 'bearer' && value) {
        roles = accounts.verifyToken(value)?.roles;
      } else if (scheme?.toLowerCase() === 'basic' && value) {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const separator = decoded.indexOf(':');
        const actor = await accounts.checkCredentials(decoded.slice(0, separator), decoded.slice(separator + 1));
        roles = actor?.roles;
      }
      if (!roles) return deny(401);
      if (!roles.includes(Role.Admin)) return deny(403);
      next();
    })().catch(() => deny(401));
  };
}

export const QueueDashboardModule = BullBoardModule.forRootAsync({
  imports: [IdentityModule],
  inject: [AccountsService],
  useFactory: (accounts: AccountsService) => ({
    route: QUEUE_DASHBOARD_ROUTE,
    // @bull-board/fastify pins its own copy of @bull-board/api; the two are the same at run time.
    adapter: FastifyAdapter as never,
    middleware: adminOnly(accounts),
    boardOptions: { uiConfig: { boardTitle: 'Xiaoxiang market queues' } },
  }),
});

export const QueueDashboardQueues = BullBoardModule.forFeature(
  ...ALL_QUEUES.map((name) => ({ name, adapter: BullMQAdapter })),
);
