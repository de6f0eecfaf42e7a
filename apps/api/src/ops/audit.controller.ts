import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@market/identity';
import { AuditLog, AuditVerificationView } from '@market/audit';

@ApiTags('audit')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Roles(Role.Admin)
  @Get('verify')
  @ApiOperation({ summary: 'Check every audit chain; reports the first broken link (admin)' })
  @ApiOkResponse({ type: AuditVerificationView })
  verify(): Promise<AuditVerificationView> {
    return this.audit.verify();
  }
}
