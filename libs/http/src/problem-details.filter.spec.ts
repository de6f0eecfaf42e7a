import { BadRequestException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError, NotFoundError, ValidationFailedError } from './domain-error';
import { toProblem } from './problem-details.filter';

describe('problem details', () => {
  it('maps a domain error by its kind and keeps its stable code', () => {
    expect(toProblem(new DomainError('AUCTION.BID_TOO_LOW', 'unprocessable', 'too low'))).toMatchObject({
      status: 422,
      code: 'AUCTION.BID_TOO_LOW',
      type: '/problems/auction-bid-too-low',
      detail: 'too low',
    });
    expect(toProblem(new NotFoundError('listing', 'x')).status).toBe(404);
    expect(toProblem(new DomainError('PAYMENTS.STRIPE_UNAVAILABLE', 'unavailable', 'down')).status).toBe(503);
    expect(toProblem(new DomainError('RATE_LIMIT.EXCEEDED', 'rate_limited', 'slow down')).status).toBe(429);
  });

  it('lists field errors for validation', () => {
    const problem = toProblem(new ValidationFailedError([{ field: 'a.b', message: 'bad' }]));
    expect(problem).toMatchObject({ status: 400, errors: [{ field: 'a.b', message: 'bad' }] });
  });

  it('turns a unique violation into a 409', () => {
    const error = new QueryFailedError('INSERT', [], Object.assign(new Error('dup'), { code: '23505' }));
    expect(toProblem(error).status).toBe(409);
  });

  it('keeps the status of HTTP exceptions', () => {
    expect(toProblem(new BadRequestException('nope'))).toMatchObject({ status: 400, detail: 'nope' });
  });

  it('hides the details of an unexpected error', () => {
    const problem = toProblem(new Error('connection string postgres://secret'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('answers 503, not 500, when the database connection was lost under the request', () => {
    const terminated = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    expect(toProblem(terminated)).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
    expect(toProblem(new Error('Connection terminated unexpectedly')).status).toBe(503);
    expect(
      toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
    expect(
      toProblem(new QueryFailedError('SELECT', [], Object.assign(new Error('syntax'), { code: '42601' }))).status,
    ).toBe(500);
  });
});
