export * from './credit.module';
export * from './credit.service';
export * from './domain/rating';
export * from './dto/credit.dto';
export * from './entities/credit-event.entity';
export * from './http/credit.controller';
export * from './market-credit-events.service';
export * from './milestone-credit-events.service';
