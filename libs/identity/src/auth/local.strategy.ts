import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { IdentityErrors } from '../identity.errors';
import { AccountsService } from '../accounts.service';
import type { Actor } from './actor';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly accounts: AccountsService) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  async validate(email: string, password: string): Promise<Actor> {
    const actor = await this.accounts.checkCredentials(email, password);
    if (!actor) throw IdentityErrors.badCredentials();
    return actor;
  }
}
