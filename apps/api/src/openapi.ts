import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import {
  IdempotencyInterceptor,
  OWN_IDEMPOTENCY,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_DESCRIPTIONS,
  problemResponse,
  ProblemView,
} from '@market/http';
import { IS_PUBLIC, REQUIRED_ROLES } from '@market/identity';

export const BEARER_SCHEME = 'bearer';

const TAGS: { name: string; description: string }[] = [
  { name: 'auth', description: 'Registration and login (bearer tokens)' },
  { name: 'me', description: 'The caller: account, organization, inbox' },
  { name: 'organizations', description: 'Organizations, their members and verification' },
  { name: 'listings', description: 'Technology achievements (科技成果): drafts, review, announcement (公示), search' },
  { name: 'packages', description: 'Achievement packages (科技成果包)' },
  { name: 'auctions', description: 'Auctions, deposits, bids and the live view' },
  { name: 'market', description: 'The market’s public figures' },
  { name: 'payments', description: 'Deposits (保证金)' },
  { name: 'operations', description: 'Health of the service' },
];

/** Everything the document says about the API as a whole. */
function describeApi() {
  const builder = new DocumentBuilder()
    .setTitle('Xiaoxiang Technology Market API')
    .setDescription(
      'Listings, trading, contracts and their registration. Errors are application/problem+json ' +
        '(schema `Problem`, with a stable `code`); mutating POSTs accept an Idempotency-Key header; ' +
        'money is integer fen (`...Fen`); times are UTC (ISO 8601).',
    )
    .setVersion('1')
    .setLicense('Proprietary', '')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME);
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  return builder.build();
}

/** `Listings_find`: what a generated client names the call. */
function operationId(controllerKey: string, methodKey: string): string {
  return `${controllerKey.replace(/Controller$/, '')}_${methodKey}`;
}

interface RouteFacts {
  isPublic: boolean;
  roles: string[];
  throttled: boolean;
  idempotent: boolean;
}

/** What the guards and interceptors of each route will do, by operation id, read from the same metadata they read. */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (typeof controller !== 'function') continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const both = [handler, controller];
        const first = <T>(key: string) =>
          both.map((target) => Reflect.getMetadata(key, target) as T | undefined).find((v) => v !== undefined);
        const listed = (key: string) =>
          both.flatMap((target) => (Reflect.getMetadata(key, target) as unknown[] | undefined) ?? []);
        facts.set(operationId(controller.name, name), {
          isPublic: first<boolean>(IS_PUBLIC) === true,
          roles: first<string[]>(REQUIRED_ROLES) ?? [],
          throttled: listed(GUARDS_METADATA).some(
            (guard) => guard === ThrottlerGuard || (guard as Type).prototype instanceof ThrottlerGuard,
          ),
          // A route that keeps its own keys (bids) or none (login) is not the key store's.
          idempotent:
            Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST &&
            listed(INTERCEPTORS_METADATA).includes(IdempotencyInterceptor) &&
            first<boolean>(OWN_IDEMPOTENCY) !== true,
        });
      }
    }
  }
  return facts;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The OpenAPI document of the api, as `/docs-json` serves it. Controllers declare each operation's
 * success schema and its own errors (`ApiProblems`); what follows from a route's guards and
 * interceptors — its security, 401, 403, 429, 400 for a route that takes input, 413 and 415 for one
 * that takes a body, 404 for one that names a resource, 422 and the Idempotency-Key header, and the
 * 503 of a database that cannot answer — is added here from the very metadata the
 * guards read, so the document cannot claim a route is public when the guard says otherwise.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, describeApi(), {
    operationIdFactory: operationId,
    extraModels: [ProblemView],
  });
  const facts = routeFacts(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const route = facts.get(operation.operationId ?? '');
      if (!route) throw new Error(`OpenAPI: no route behind ${method.toUpperCase()} ${path}`);
      const parameters = operation.parameters ?? [];
      const has = (where: string, name?: string) =>
        parameters.some((p) => 'in' in p && p.in === where && (!name || p.name.toLowerCase() === name));
      const added: Record<number, string> = {};
      operation.security = route.isPublic ? [] : [{ [BEARER_SCHEME]: [] }];
      if (parameters.length > 0 || operation.requestBody) added[400] = PROBLEM_DESCRIPTIONS[400];
      if (!route.isPublic) added[401] = PROBLEM_DESCRIPTIONS[401];
      if (route.roles.length > 0) {
        added[403] = `The caller lacks the role (${route.roles.join(' or ')})`;
        operation.description = [operation.description, `Roles: ${route.roles.join(', ')}.`]
          .filter(Boolean)
          .join('\n\n');
      }
      if (has('path')) added[404] = PROBLEM_DESCRIPTIONS[404];
      if (route.idempotent) {
        added[422] = PROBLEM_DESCRIPTIONS[422];
        if (!has('header', 'idempotency-key')) {
          operation.parameters = [...parameters, IDEMPOTENCY_KEY_PARAMETER];
        }
      }
      if (route.throttled) added[429] = PROBLEM_DESCRIPTIONS[429];
      if (operation.requestBody) {
        added[413] = PROBLEM_DESCRIPTIONS[413];
        added[415] = PROBLEM_DESCRIPTIONS[415];
      }
      added[503] = PROBLEM_DESCRIPTIONS[503];
      const own422 = operation.responses[422] as { description?: string } | undefined;
      if (route.idempotent && own422?.description)
        own422.description += '; or an `Idempotency-Key` reused with another body';
      for (const [status, description] of Object.entries(added)) {
        operation.responses[status] ??= problemResponse(description);
      }
      describeHeaders(operation.responses, route.idempotent || has('header', 'idempotency-key'));
    }
  }
  collapseLoneAllOf(document.components?.schemas);
  // A problem may carry members of its own (a refused bid's `minimumFen`).
  const problem = document.components?.schemas?.Problem;
  if (problem && !('$ref' in problem)) problem.additionalProperties = true;
  return document;
}

interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}

/** Success descriptions where a controller gave none, replays marked, and when to retry a refusal. */
function describeHeaders(responses: Record<string, unknown>, replays: boolean): void {
  for (const [status, entry] of Object.entries(responses)) {
    const response = entry as Response;
    if (status.startsWith('2')) {
      response.description ||= status === '201' ? 'Created' : 'OK';
      if (replays) response.headers = { ...response.headers, 'Idempotent-Replayed': REPLAYED_HEADER };
    }
    if ((status === '429' || status === '503') && response.content?.[PROBLEM_CONTENT_TYPE]) {
      response.headers = { ...response.headers, 'Retry-After': RETRY_AFTER_HEADER };
    }
  }
}

const REPLAYED_HEADER = {
  description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
  schema: { type: 'string', enum: ['true'] },
};

const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before trying again',
  schema: { type: 'integer', minimum: 1 },
};

/**
 * A property typed by a named enum comes out as `allOf: [{ $ref }]` with nothing beside it: the
 * reference itself says the same, and clients generate a plainer type from it.
 */
function collapseLoneAllOf(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(collapseLoneAllOf);
  if (!node || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(object)) {
    const child = value as { allOf?: unknown[] } | null;
    if (child && typeof child === 'object' && Object.keys(child).length === 1 && child.allOf?.length === 1) {
      object[key] = child.allOf[0];
    }
    collapseLoneAllOf(object[key]);
  }
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description:
    '1–255 printable ASCII characters, scoped to the caller: the same key and body replay the first ' +
    'response (`Idempotent-Replayed: true`) and write nothing; the same key with another body is a 422.',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
};

/** `/docs` (Swagger UI) and `/docs-json`, built from the app once, on first request. */
export function serveOpenApiDocument(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { useGlobalPrefix: false });
}
