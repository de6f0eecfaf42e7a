import { createHash } from 'node:crypto';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';

/**
 * A file part of a multipart/form-data body. Its bytes are not enumerable: the request-shape check
 * and the idempotency hash walk the body's own fields, and see the file by its name, type, size and
 * SHA-256 (so a retry with another file under the same Idempotency-Key is told apart).
 */
export interface UploadedFile {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  readonly bytes: Buffer;
}

export const MultipartErrors = {
  malformed: () =>
    new DomainError('REQUEST.MALFORMED_MULTIPART', 'invalid', 'The multipart/form-data body cannot be read'),
  repeated: (field: string) =>
    new DomainError('REQUEST.MALFORMED_MULTIPART', 'invalid', `The form field ${field} is sent more than once`, {
      field,
    }),
};

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as { bytes?: unknown }).bytes);
}

/**
 * Reads a multipart/form-data body (already limited to the server's body limit) into its fields:
 * text parts as strings, file parts as `UploadedFile`. The parsing is the platform's own (the
 * Fetch API's `Response.formData()`), so no upload library and no temporary files.
 */
export async function parseMultipart(
  contentType: string,
  body: Buffer,
): Promise<Record<string, string | UploadedFile>> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw MultipartErrors.malformed();
  }
  const fields: Record<string, string | UploadedFile> = {};
  for (const [name, value] of form.entries()) {
    if (Object.hasOwn(fields, name)) throw MultipartErrors.repeated(name);
    if (typeof value === 'string') {
      fields[name] = value;
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    const file = {
      fileName: value.name,
      contentType: value.type,
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    Object.defineProperty(file, 'bytes', { value: bytes, enumerable: false });
    fields[name] = file as UploadedFile;
  }
  return fields;
}

/**
 * multipart/form-data bodies, read whole under the server's body limit (an evidence file is small),
 * on the listed routes only (Fastify's route patterns, e.g. `/api/v1/contracts/:id/milestones/:key/complete`):
 * every other route answers such a body with a 415, as it does any body that is not JSON.
 */
export function acceptMultipart(fastify: FastifyInstance, routes: readonly string[]): void {
  const accepted = new Set(routes);
  fastify.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer' },
    async (request: FastifyRequest, body: Buffer) => {
      if (!accepted.has(request.routeOptions.url ?? '')) {
        throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type']));
      }
      return parseMultipart(String(request.headers['content-type']), body);
    },
  );
}
