import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorView {
  @ApiProperty({ example: 'organization.uscc', description: 'Path of the offending field' })
  field: string;

  @ApiProperty({ example: 'uscc must be a valid unified social credit code' })
  message: string;
}

/**
 * RFC 9457 problem details, the one error body of the API (see `toProblem`). A refusal may carry
 * more members than these (a refused bid's `minimumFen`): clients keep what they do not know.
 */
@ApiSchema({ name: 'Problem' })
export class ProblemView {
  @ApiProperty({ example: '/problems/auction-too-low' })
  type: string;

  @ApiProperty({ example: 'Unprocessable Content' })
  title: string;

  @ApiProperty({ example: 422 })
  status: number;

  @ApiProperty({ example: 'the bid must be at least 1050000 fen' })
  detail: string;

  @ApiProperty({ example: 'AUCTION.TOO_LOW', description: 'Stable error code' })
  code: string;

  @ApiPropertyOptional({ example: '/api/v1/auctions/5f0c…/bids', description: 'The request path' })
  instance?: string;

  @ApiPropertyOptional({ type: FieldErrorView, isArray: true, description: 'Validation failures, one per field' })
  errors?: FieldErrorView[];
}

/** What each error status means in this API; an operation may say more. */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `errors` names each offending field (`VALIDATION_FAILED`)',
  401: 'No valid bearer token (`AUTH.UNAUTHENTICATED`)',
  403: 'The caller lacks the role or the right for this action',
  404: 'No such resource, or not visible to the caller',
  409: 'The resource’s current state forbids this, or a unique value is taken',
  422: 'Refused by a rule of the market, or an `Idempotency-Key` reused with another body',
  413: 'The body is over 1 MB',
  415: 'The body is not JSON',
  429: 'Too many requests; retry after `Retry-After` seconds',
  503: 'The database or a service the market relies on cannot answer now; retry after `Retry-After` seconds',
};

/** A problem+json response with the shared `Problem` schema. */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemView) } } } };
}

/**
 * The error statuses an operation answers besides the ones every operation shares (400, 401, 403,
 * 422 for idempotency keys, 429), which the document builder adds from the route's own metadata.
 * A description of the operation's own replaces the generic one.
 */
export function ApiProblems(...statuses: (number | [number, string])[]) {
  return applyDecorators(
    ApiExtraModels(ProblemView),
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, PROBLEM_DESCRIPTIONS[entry]];
      return ApiResponse({ status, ...problemResponse(description ?? 'Error') });
    }),
  );
}
