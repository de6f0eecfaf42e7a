import { DomainError } from '@market/http';

export const IdentityErrors = {
  emailTaken: (email: string) =>
    new DomainError('IDENTITY.EMAIL_TAKEN', 'conflict', `An account with e-mail ${email} already exists`),
  organizationExists: (uscc: string) =>
    new DomainError(
      'IDENTITY.ORGANIZATION_EXISTS',
      'conflict',
      `An organization with credit code ${uscc} is already registered; ask its members to add you`,
    ),
  badCredentials: () => new DomainError('IDENTITY.BAD_CREDENTIALS', 'unauthenticated', 'E-mail or password is wrong'),
  roleNotSelfService: (role: string) =>
    new DomainError(
      'IDENTITY.ROLE_NOT_SELF_SERVICE',
      'forbidden',
      `Role ${role} is granted by an admin, not taken at registration`,
    ),
  alreadyVerified: (id: string) =>
    new DomainError('IDENTITY.ALREADY_VERIFIED', 'conflict', `Organization ${id} is already verified`),
  unauthenticated: () => new DomainError('AUTH.UNAUTHENTICATED', 'unauthenticated', 'A valid bearer token is required'),
  adminOnly: (what: string) => new DomainError('AUTH.ADMIN_ONLY', 'forbidden', `${what} is for admins`),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new DomainError(
      'RATE_LIMIT.EXCEEDED',
      'rate_limited',
      `Too many attempts from this address; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    ),
  missingRole: (roles: string[]) =>
    new DomainError('IDENTITY.MISSING_ROLE', 'forbidden', `This action needs one of the roles: ${roles.join(', ')}`),
};
