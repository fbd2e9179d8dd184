import { toProblem } from './to-problem';

/** What pg's pool rejects with when the server refuses a connection (no QueryFailedError wrap). */
function pgServerError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
}

describe('toProblem for database failures', () => {
  it.each([
    ['57P03', 'the database system is shutting down'],
    ['57P03', 'the database system is starting up'],
    ['57P01', 'terminating connection due to administrator command'],
    ['08006', 'connection failure'],
  ])('answers a bare server error %s (%s) with 503, not 500', (code, message) => {
    const { problem, headers, unexpected } = toProblem(pgServerError(code, message), 'req-1');
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(headers['Retry-After']).toBe('5');
    expect(unexpected).toBe(false);
  });

  it('answers a query on a connection cut mid-transaction with 503, and still logs it', () => {
    for (const name of [
      'QueryRunnerAlreadyReleasedError',
      'QueryRunnerProviderAlreadyReleasedError',
    ]) {
      const { problem, unexpected } = toProblem(Object.assign(new Error('released'), { name }));
      expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(unexpected).toBe(true);
    }
  });

  it('still maps wrapped query errors by SQLSTATE', () => {
    const wrapped = Object.assign(new Error('x'), {
      name: 'QueryFailedError',
      driverError: { code: '23505' },
    });
    expect(toProblem(wrapped).problem.status).toBe(409);
  });

  it('keeps an unknown error a 500 without internals', () => {
    const { problem, unexpected } = toProblem(new TypeError('boom'));
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(problem.detail).not.toMatch(/boom/);
    expect(unexpected).toBe(true);
  });
});
