import { Alert, Button, Space } from 'antd';
import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n';

/** The few parts of Stripe.js the deposit uses (https://js.stripe.com/v3/, loaded only here). */
interface StripeCardElement {
  mount(element: HTMLElement): void;
  on(event: 'change', handler: (event: { error?: { message: string } }) => void): void;
  destroy(): void;
}
interface StripeJs {
  elements(options?: { locale?: string }): { create(type: 'card', options?: object): StripeCardElement };
  confirmCardPayment(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<{ error?: { message?: string; code?: string }; paymentIntent?: { status: string } }>;
}
type StripeFactory = (publishableKey: string, options?: { locale?: string }) => StripeJs;

export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';
let loading: Promise<StripeFactory> | null = null;

/** Stripe.js, from Stripe (it must be: card data never touches the market), once per page load. */
function loadStripe(): Promise<StripeFactory> {
  const existing = (window as unknown as { Stripe?: StripeFactory }).Stripe;
  if (existing) return Promise.resolve(existing);
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS_URL;
    script.async = true;
    script.onload = () => {
      const factory = (window as unknown as { Stripe?: StripeFactory }).Stripe;
      if (factory) resolve(factory);
      else reject(new Error('Stripe.js did not load'));
    };
    script.onerror = () => {
      loading = null;
      reject(new Error('Stripe.js did not load'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

/**
 * The card form of a deposit: Stripe's card field, and the button that asks Stripe to authorise
 * (hold, not take) the amount with the deposit's client secret. The market hears of the hold from
 * Stripe's webhook; `onAuthorised` lets the page look again.
 */
export function CardPayment({
  publishableKey,
  clientSecret,
  amount,
  onAuthorised,
  texts,
}: {
  publishableKey: string;
  clientSecret: string;
  amount: string;
  onAuthorised: () => void;
  /** Another payment's wording (a milestone paid at once rather than a deposit held): i18n keys. */
  texts?: { pay: string; note: string; authorised: string };
}) {
  const { t, lang } = useT();
  const box = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ js: StripeJs; card: StripeCardElement } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [authorised, setAuthorised] = useState(false);
  const labelId = useId();
  useEffect(() => {
    let card: StripeCardElement | null = null;
    let cancelled = false;
    loadStripe().then(
      (Stripe) => {
        if (cancelled || !box.current) return;
        const locale = lang === 'zh' ? 'zh' : 'en';
        const js = Stripe(publishableKey, { locale });
        card = js.elements({ locale }).create('card', { hidePostalCode: true });
        card.mount(box.current);
        card.on('change', (event) => setError(event.error?.message ?? null));
        setStripe({ js, card });
      },
      () => setError(t('card.unavailable')),
    );
    return () => {
      cancelled = true;
      card?.destroy();
    };
  }, [publishableKey, lang, t]);
  const pay = async () => {
    if (!stripe) return;
    setBusy(true);
    setError(null);
    const result = await stripe.js.confirmCardPayment(clientSecret, { payment_method: { card: stripe.card } });
    setBusy(false);
    if (result.error) {
      const text = result.error.message ?? t('card.failed');
      setError(
        result.error.code ? `${text}${lang === 'zh' ? `（${result.error.code}）` : ` (${result.error.code})`}` : text,
      );
      return;
    }
    setAuthorised(true);
    onAuthorised();
  };
  const keys = texts ?? { pay: 'card.pay', note: 'card.note', authorised: 'card.authorised' };
  if (authorised) return <Alert type="info" showIcon title={t(keys.authorised)} />;
  return (
    <div className="card-payment">
      <p id={labelId} className="card-label">
        {t('card.label')}
      </p>
      <div ref={box} className="card-field" role="group" aria-labelledby={labelId} />
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" onClick={() => void pay()} loading={busy} disabled={!stripe}>
          {t(keys.pay, { amount })}
        </Button>
      </Space>
      <p className="card-note">{t(keys.note)}</p>
    </div>
  );
}
