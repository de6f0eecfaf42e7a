import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { ListingModule } from '@market/listing';
import { NegotiationMessage } from './entities/negotiation-message.entity';
import { NegotiationOffer } from './entities/negotiation-offer.entity';
import { Negotiation } from './entities/negotiation.entity';
import { PriceObjection } from './entities/price-objection.entity';
import { NegotiationsService } from './negotiations.service';
import { PriceAnnouncementsService } from './price-announcements.service';

/** Negotiated pricing (协议定价): offers, brokers, exclusivity, price announcements, the agreed deal. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Negotiation, NegotiationOffer, NegotiationMessage, PriceObjection]),
    IdentityModule,
    ListingModule,
  ],
  providers: [NegotiationsService, PriceAnnouncementsService],
  exports: [NegotiationsService, PriceAnnouncementsService],
})
export class NegotiationModule {}
