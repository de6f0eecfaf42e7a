import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { Api, http } from './market';

/** The part of a Stripe PaymentIntent the market reads, as the fake keeps it. */
export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  capture_method: string;
  status: string;
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  allowed_payment_method_types: string[];
  last_payment_error: { message: string; type: string } | null;
  created: number;
  livemode: false;
}

interface Recorded {
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface StripeFake {
  /** `http://127.0.0.1:<port>`, for STRIPE_API_URL. */
  url: string;
  /** Every request received, in order. */
  requests: { method: string; path: string; idempotencyKey?: string }[];
  intent(id: string): FakeIntent;
  /**
   * What the payer's browser does with the client secret: the card is authorised — the money held
   * for an intent with manual capture, charged at once (`succeeded`) for one with automatic capture.
   */
  authorise(id: string): FakeIntent;
  /** The card was declined. */
  decline(id: string, message?: string): FakeIntent;
  /** How many times a capture, a cancel or a charge at confirmation actually took effect on the intent. */
  effects(id: string, kind: 'capture' | 'cancel' | 'charge'): number;
  /**
   * Holds the next request to `path` before Stripe acts on it: `reached` resolves when it arrives,
   * `release()` lets Stripe apply it and answer (to a caller that may be gone by then).
   */
  stall(path: string): { reached: Promise<void>; release(): void };
  /** A Stripe event object about an intent, ready to be signed and delivered as a webhook. */
  event(type: string, intent: FakeIntent): { id: string; object: 'event'; type: string; [key: string]: unknown };
  close(): Promise<void>;
}

const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'];

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }
}

/** `metadata[a]=1&allowed_payment_method_types[0]=card` as the SDK sends it, back into an object. */
export function parseForm(body: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const [head, ...rest] = key.split('[').map((part) => part.replace(/]$/, ''));
    let target = result;
    let name = head;
    for (const part of rest) {
      const container = (target[name] ??= /^\d+$/.test(part) ? [] : {}) as Record<string, unknown>;
      target = container;
      name = part;
    }
    target[name] = value;
  }
  return result;
}

/**
 * A Stripe-compatible HTTP server on loopback, enough for the official SDK to create, retrieve,
 * capture and cancel PaymentIntents. It honours `Idempotency-Key` as Stripe does: a repeated key
 * replays the first response and has no further effect; the same key with other parameters is refused.
 */
export async function startStripeFake(): Promise<StripeFake> {
  const intents = new Map<string, FakeIntent>();
  const recorded = new Map<string, Recorded>();
  const counts = new Map<string, number>();
  const requests: StripeFake['requests'] = [];
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  const find = (id: string): FakeIntent => {
    const intent = intents.get(id);
    if (!intent) throw new StripeHttpError(404, 'resource_missing', `No such payment_intent: '${id}'`);
    return intent;
  };

  const handle = (method: string, path: string, form: Record<string, unknown>): unknown => {
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.amount);
      if (!Number.isInteger(amount) || amount < 1) {
        throw new StripeHttpError(400, 'parameter_invalid_integer', 'Invalid integer: amount');
      }
      const id = `pi_${randomBytes(12).toString('hex')}`;
      const intent: FakeIntent = {
        id,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: 0,
        currency: String(form.currency),
        capture_method: String(form.capture_method ?? 'automatic'),
        status: 'requires_payment_method',
        client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
        description: (form.description as string | undefined) ?? null,
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
        allowed_payment_method_types: (form.allowed_payment_method_types as string[] | undefined) ?? ['card'],
        last_payment_error: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      intents.set(id, intent);
      return intent;
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (!match) throw new StripeHttpError(404, 'resource_missing', `Unrecognized request URL (${method}: ${path})`);
    const intent = find(decodeURIComponent(match[1]));
    if (method === 'GET' && !match[2]) return intent;
    if (method === 'POST' && match[2] === 'capture') {
      if (intent.status !== 'requires_capture') {
        throw new StripeHttpError(
          400,
          'payment_intent_unexpected_state',
          `This PaymentIntent could not be captured because it has a status of ${intent.status}.`,
        );
      }
      Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, amount_capturable: 0 });
      bump(`${intent.id}/capture`);
      return intent;
    }
    if (method === 'POST' && match[2] === 'cancel') {
      if (!CANCELABLE.includes(intent.status)) {
        throw new StripeHttpError(
          400,
          'payment_intent_unexpected_state',
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
        );
      }
      Object.assign(intent, { status: 'canceled', amount_capturable: 0 });
      bump(`${intent.id}/cancel`);
      return intent;
    }
    throw new StripeHttpError(404, 'resource_missing', `Unrecognized request URL (${method}: ${path})`);
  };

  const respond = (response: ServerResponse, status: number, body: unknown, replayed = false) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(8).toString('hex')}`,
      ...(replayed && { 'idempotent-replayed': 'true' }),
    });
    response.end(JSON.stringify(body));
  };

  const stalls = new Map<string, { arrived: () => void; gate: Promise<void> }>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const method = request.method ?? 'GET';
      const [path, query = ''] = (request.url ?? '/').split('?');
      const stall = stalls.get(path);
      if (stall) {
        stalls.delete(path);
        stall.arrived();
        await stall.gate;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header[0] : header;
      requests.push({ method, path, idempotencyKey });

      if (!/^Bearer sk_test_\w+$/.test(request.headers.authorization ?? '')) {
        return respond(response, 401, {
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
        });
      }
      const fingerprint = `${method} ${path}?${query}\n${body}`;
      if (method === 'POST' && idempotencyKey) {
        const first = recorded.get(idempotencyKey);
        if (first && first.fingerprint !== fingerprint) {
          return respond(response, 400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
            },
          });
        }
        if (first) return respond(response, first.status, first.body, true);
      }
      let status = 200;
      let result: unknown;
      try {
        // A deep copy: a replay returns the object as it was then, not as it is now.
        result = JSON.parse(JSON.stringify(handle(method, path, parseForm(body))));
      } catch (error) {
        const known =
          error instanceof StripeHttpError ? error : new StripeHttpError(500, 'fake_error', String(error), 'api_error');
        status = known.status;
        result = { error: { type: known.type, code: known.code, message: known.message } };
      }
      // Stripe does not keep a key whose request failed validation, so it can be retried.
      if (method === 'POST' && idempotencyKey && status < 400) {
        recorded.set(idempotencyKey, { fingerprint, status, body: result });
      }
      respond(response, status, result);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    intent: (id) => find(id),
    stall: (path) => {
      let arrived!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      stalls.set(path, { arrived, gate });
      return { reached, release };
    },
    authorise: (id) => {
      const intent = find(id);
      if (intent.capture_method === 'manual') {
        Object.assign(intent, { status: 'requires_capture', amount_capturable: intent.amount });
      } else if (intent.status !== 'succeeded') {
        Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, amount_capturable: 0 });
        bump(`${intent.id}/charge`);
      }
      return JSON.parse(JSON.stringify(intent)) as FakeIntent;
    },
    decline: (id, message = 'Your card was declined.') => {
      const intent = find(id);
      Object.assign(intent, {
        status: 'requires_payment_method',
        last_payment_error: { type: 'card_error', message },
      });
      return JSON.parse(JSON.stringify(intent)) as FakeIntent;
    },
    effects: (id, kind) => counts.get(`${id}/${kind}`) ?? 0,
    event: (type, intent) => ({
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      type,
      api_version: '2025-01-01',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: JSON.parse(JSON.stringify(intent)) as FakeIntent },
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Posts a Stripe event to the api's webhook, signed with `secret` as Stripe signs it. */
export function deliverStripeEvent(api: Api, event: { id: string }, secret: string) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return http(api)
    .post('/api/v1/payments/stripe/webhook')
    .set('content-type', 'application/json')
    .set('stripe-signature', signature)
    .send(payload);
}
