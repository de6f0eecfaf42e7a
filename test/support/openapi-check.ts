import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

interface ResponseEntry {
  content?: Record<string, { schema?: Schema }>;
}

interface Operation {
  method: string;
  path: string;
  pattern: RegExp;
  literalSegments: number;
  responses: Record<string, ResponseEntry>;
}

/** A response as the checker sees it (supertest's, or any other client's). */
export interface ObservedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
  text?: string;
}

const DOCUMENT_ID = 'openapi';
/** Answered by Node or Fastify before a route is chosen: any path may get them, as a problem. */
const BEFORE_ROUTING = new Set([408, 414, 431]);
const JSON_TYPES = /^application\/(?:[\w.-]+\+)?json$/;

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a null alternative, references
 * point into the document, and an object that lists its properties admits no others — a field
 * the api sends but the document does not name is a drift the generated client would miss.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key === 'discriminator') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = `${DOCUMENT_ID}${value}`;
    else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toJsonSchema(s)]));
    } else out[key] = toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined && !source.allOf) out.additionalProperties = false;
  if (source.nullable === true) {
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Checks every response an e2e test receives against the api's OpenAPI document. */
export class OpenApiResponseChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema({ components: { schemas: toJsonSchema(document.components?.schemas ?? {}) } }, DOCUMENT_ID);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, { responses?: object }>)) {
        if (!operation || typeof operation !== 'object' || !operation.responses) continue;
        const segments = path.split('/');
        const pattern = segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
        this.operations.push({
          method: method.toUpperCase(),
          path,
          pattern: new RegExp(`^${pattern.join('/')}$`),
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
          responses: operation.responses as Record<string, ResponseEntry>,
        });
      }
    }
    // `/listings/mine` before `/listings/{id}`.
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** What is wrong with the response, or null when the document describes it. */
  problemWith(response: ObservedResponse): string | null {
    const path = new URL(response.url, 'http://localhost').pathname;
    const where = `${response.method.toUpperCase()} ${path} → ${response.status}`;
    const mediaType = response.contentType?.split(';')[0].trim().toLowerCase();
    const operation = this.operations.find((o) => o.method === response.method.toUpperCase() && o.pattern.test(path));
    if (!operation || BEFORE_ROUTING.has(response.status)) {
      // Routes outside the document (metrics, the queue dashboard, the Stripe webhook, unknown
      // paths) and refusals made before routing: only their problems must still be problems.
      if (mediaType !== 'application/problem+json') return null;
      return this.validate('#/components/schemas/Problem', response.body, where);
    }
    const status = String(response.status);
    const declared =
      operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
    if (!declared) {
      return `${where}: the document declares no ${status} response for ${operation.method} ${operation.path} (declared: ${Object.keys(operation.responses).join(', ')})`;
    }
    const content = declared.content ?? {};
    const hasBody = response.text !== undefined ? response.text.length > 0 : response.body !== undefined;
    if (!mediaType) {
      if (hasBody) return `${where}: a body without a content type`;
      return Object.keys(content).length === 0 ? null : `${where}: no body, but the document promises one`;
    }
    const media = content[mediaType];
    if (!media) {
      return `${where}: answered ${mediaType}, the document declares ${Object.keys(content).join(', ') || 'no content'} for ${status}`;
    }
    if (!JSON_TYPES.test(mediaType)) return null;
    if (!media.schema) return `${where}: the document gives no schema for ${mediaType}`;
    const pointer = `#/paths/${escape(operation.path)}/${operation.method.toLowerCase()}/responses/${status in operation.responses ? status : `${status[0]}XX`}`;
    return this.validate(`${pointer}/${mediaType}`, response.body, where, media.schema);
  }

  private validate(key: string, body: unknown, where: string, schema?: Schema): string | null {
    let validator = this.validators.get(key);
    if (!validator) {
      const target = schema ? toJsonSchema(schema) : { $ref: `${DOCUMENT_ID}${key}` };
      validator = this.ajv.compile(target as object);
      this.validators.set(key, validator);
    }
    if (validator(body)) return null;
    const errors = (validator.errors ?? [])
      .slice(0, 8)
      .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return `${where}: the body does not match the document:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 600)}`;
  }
}

function escape(path: string): string {
  return path.replace(/~/g, '~0').replace(/\//g, '~1');
}
