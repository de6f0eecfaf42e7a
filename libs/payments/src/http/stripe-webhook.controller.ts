import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { HandlesOwnIdempotency } from '@market/http';
import { Public } from '@market/identity';
import { StripeWebhooksService } from '../stripe-webhooks.service';

/** Called by Stripe, not by users: no bearer token, the signature is the proof. */
@ApiExcludeController()
// Stripe sends no Idempotency-Key; each event is processed once by its id.
@HandlesOwnIdempotency()
@Controller('payments/stripe/webhook')
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhooksService) {}

  @Public()
  @Post()
  @HttpCode(200)
  receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
