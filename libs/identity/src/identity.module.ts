import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@market/audit';
import { AppConfig } from '@market/config';
import { AccountsService } from './accounts.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { LocalStrategy } from './auth/local.strategy';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { OrganizationsService } from './organizations.service';

/** Organizations, accounts, roles and tokens. Controllers are registered by the api app. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Organization, User]),
    PassportModule,
    AuditModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [AccountsService, OrganizationsService, JwtStrategy, LocalStrategy],
  exports: [AccountsService, OrganizationsService],
})
export class IdentityModule {}
