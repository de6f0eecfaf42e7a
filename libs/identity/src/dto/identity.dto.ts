import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@market/http';
import { OrganizationKind, Role, SELF_SERVICE_KINDS, SELF_SERVICE_ROLES } from '../domain/role';
import { IsRegionCode, IsUscc } from '../domain/validators';

export class OrganizationInput {
  @ApiProperty({ example: '中南大学' })
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ example: '12430000444884011B', description: 'Unified social credit code (GB 32100-2015)' })
  @IsUscc()
  uscc: string;

  @ApiProperty({ example: '430100', description: '6-digit administrative division code' })
  @IsRegionCode()
  regionCode: string;

  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' })
  @IsEnum(OrganizationKind)
  kind: OrganizationKind;

  @ApiPropertyOptional({ example: '张伟', description: '法定代表人, as on the business licence' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  legalRepresentative?: string;

  @ApiPropertyOptional({
    example: '湖南省长沙市岳麓区麓山南路932号',
    description: '注册地址, as on the business licence',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  registeredAddress?: string;
}

/** What an admin corrects from the business licence; a field left out stays as it was. */
export class OrganizationRegistryInput {
  @ApiPropertyOptional({ example: '张伟' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  legalRepresentative?: string;

  @ApiPropertyOptional({ example: '湖南省长沙市岳麓区麓山南路932号' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  registeredAddress?: string;
}

export class SelfServiceOrganizationInput extends OrganizationInput {
  @ApiProperty({ enum: SELF_SERVICE_KINDS, enumName: 'SelfServiceOrganizationKind' })
  @IsIn(SELF_SERVICE_KINDS, { message: `kind must be one of: ${SELF_SERVICE_KINDS.join(', ')}` })
  declare kind: OrganizationKind;
}

export class RegisterInput {
  @ApiProperty({ example: 'li.ming@example.cn' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: '李明' })
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiProperty({ enum: SELF_SERVICE_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SELF_SERVICE_ROLES, { each: true, message: `each role must be one of: ${SELF_SERVICE_ROLES.join(', ')}` })
  roles: Role[];

  @ApiProperty({ type: SelfServiceOrganizationInput })
  // IsObject refuses a missing organization, null and an array, which ValidateNested lets through.
  @IsObject()
  @ValidateNested()
  @Type(() => SelfServiceOrganizationInput)
  organization: SelfServiceOrganizationInput;
}

export class LoginInput {
  @ApiProperty()
  @IsEmail()
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  password: string;
}

export class AddMemberInput {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  roles: Role[];
}

export class OrganizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '12430000444884011B' }) uscc: string;
  @ApiProperty({ example: '430100' }) regionCode: string;
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' }) kind: OrganizationKind;
  @ApiProperty({ type: String, nullable: true, description: '法定代表人' }) legalRepresentative: string | null;
  @ApiProperty({ type: String, nullable: true, description: '注册地址' }) registeredAddress: string | null;
  @ApiProperty() verified: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: string | null;
}

/** `GET /orgs` (admins): organizations, all or by whether they are verified. */
export class OrganizationQuery extends PageQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: '`false`: those awaiting verification, the longest waiting first; `true`: the verified, newest first',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'verified must be true or false' })
  verified?: boolean;
}

export class OrganizationContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() displayName: string;
}

/** What an admin reads to verify an organization: its profile, when it registered, who to contact. */
export class OrganizationAdminView extends OrganizationView {
  @ApiProperty({ format: 'date-time', description: 'When the organization registered' }) createdAt: string;
  @ApiProperty({ type: 'integer', description: 'Its accounts' }) memberCount: number;
  @ApiProperty({
    type: OrganizationContactView,
    nullable: true,
    description: 'Its first account (who registered it); none for an organization an admin created without one',
  })
  contact: OrganizationContactView | null;
}

export class OrganizationPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: OrganizationAdminView, isArray: true }) items: OrganizationAdminView[];
}

export class MemberView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true }) roles: Role[];
}

export class MeView extends MemberView {
  @ApiProperty({ type: OrganizationView }) organization: OrganizationView;
}

export class TokenView {
  @ApiProperty() accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires' }) expiresIn: number;
}
