import { NotFoundError } from '@market/http';
import { Role } from '../domain/role';
import type { Actor } from './actor';

/**
 * The scoping rule used everywhere: a resource private to an organization is visible to its
 * members and to the market's admins. To anyone else it does not exist — a 404, not a 403,
 * so that ids cannot be probed.
 */
export function canSeePrivateOf(actor: Actor, organizationId: string): boolean {
  return actor.organizationId === organizationId || actor.roles.includes(Role.Admin);
}

export function ensurePrivateVisible(actor: Actor, organizationId: string, resource: string, id: string): void {
  if (!canSeePrivateOf(actor, organizationId)) throw new NotFoundError(resource, id);
}
