import { Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '@market/config';
import type { Role } from '../domain/role';
import type { Actor } from './actor';

export interface TokenClaims {
  sub: string;
  org: string;
  roles: Role[];
}

/** The token of an `Authorization: Bearer …` header, read as passport-jwt reads it. */
export const bearerTokenOf = ExtractJwt.fromAuthHeaderAsBearerToken();

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: bearerTokenOf,
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
      // public key on every verification, which costs more than the rest of a request together.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: TokenClaims): Actor {
    return { userId: claims.sub, organizationId: claims.org, roles: claims.roles };
  }
}
