import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@market/config';
import { Public } from '@market/identity';

export class CardPaymentView {
  @ApiProperty({ example: 'pk_test_51Hx', description: 'For Stripe.js in the browser (public by design)' })
  publishableKey: string;
}

export class PaymentMethodsView {
  @ApiProperty({
    type: CardPaymentView,
    nullable: true,
    description: 'Card deposits (Stripe), when the market takes them; null otherwise',
  })
  card: CardPaymentView | null;
  @ApiProperty({ description: 'Deposits by bank transfer, recorded by the operator’s finance clerks: always' })
  bankTransfer: boolean;
}

/** How a deposit can be paid here, for the pages to offer: a card only with both Stripe keys. */
@ApiTags('payments')
@Controller('payments/methods')
export class PaymentMethodsController {
  constructor(private readonly config: AppConfig) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'How deposits can be paid: by card (with the Stripe.js key) and/or by bank transfer' })
  @ApiOkResponse({ type: PaymentMethodsView })
  methods(): PaymentMethodsView {
    const { secretKey, publishableKey } = this.config.stripe;
    return { card: secretKey && publishableKey ? { publishableKey } : null, bankTransfer: true };
  }
}
