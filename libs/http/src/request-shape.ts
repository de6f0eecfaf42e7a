import type { FastifyInstance } from 'fastify';
import { DomainError, FieldError, ValidationFailedError } from './domain-error';

/** Deeper JSON than any request of the API needs; class-transformer recurses per level. */
export const MAX_JSON_DEPTH = 32;

export const RequestShapeErrors = {
  tooDeep: () =>
    new DomainError('REQUEST.TOO_DEEP', 'invalid', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`),
};

// With the u flag a surrogate pair reads as one code point; only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored as text, or null when it can. */
function textProblem(value: string): string | null {
  // PostgreSQL text cannot hold NUL; a lone surrogate is no character at all (and makes URI and
  // e-mail checks throw instead of answering).
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  return null;
}

/**
 * Walks a parsed JSON value without recursion (so its own depth cannot overflow the stack):
 * throws when it nests deeper than `MAX_JSON_DEPTH`, and names every string — key or value —
 * that text columns cannot hold.
 */
export function checkRequestShape(value: unknown, root = ''): FieldError[] {
  const problems: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) problems.push({ field: path || '(body)', message: `${path || 'the body'} ${problem}` });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw RequestShapeErrors.tooDeep();
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current as Record<string, unknown>);
    for (const [key, item] of entries) {
      const itemPath = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) problems.push({ field: itemPath, message: `a field name ${keyProblem}` });
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return problems.reverse();
}

/**
 * Before anything of Nest runs (guards, interceptors, pipes): a body nested too deep is a 400, and
 * so is a string in the body, query or path that text cannot hold — whatever DTO, or none, would
 * read it. Every route of the server is covered, the ones no DTO describes included.
 */
export function guardRequestShape(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    const problems = [
      ...checkRequestShape(request.query ?? {}),
      ...checkRequestShape(request.params ?? {}),
      ...checkRequestShape(request.body ?? null),
    ];
    if (problems.length > 0) throw new ValidationFailedError(problems);
  });
}
