import type { Role } from '../domain/role';

/** Who is making a request, as proven by the bearer token. */
export interface Actor {
  userId: string;
  organizationId: string;
  roles: Role[];
}
