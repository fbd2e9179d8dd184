import { verdictProblems } from './contract-proxy';

const violation = (where: 'request' | 'response', severity = 'Error') => ({
  location: [where, 'body'],
  severity,
  message: `${where} is off`,
});

describe('what a Prism verdict means for the contract run', () => {
  it.each([
    ['a clean exchange', 200, [], 200, 0],
    ['a response violation, even on a refused request', 422, [violation('response')], 422, 1],
    ['a request violation the server refused too', 422, [violation('request')], 422, 0],
    ['a request violation the server accepted', 201, [violation('request')], 201, 1],
    ['a request violation the server failed on', 503, [violation('request')], 503, 1],
    ['a warning', 200, [violation('response', 'Warning')], 200, 0],
  ])('%s → %d problem(s)', (_, status, violations, prismStatus, expected) => {
    const verdict = { status: prismStatus, violations, body: '' };
    expect(verdictProblems({ status }, verdict)).toHaveLength(expected);
  });

  it('accepts an undocumented path only when the server answered 404 or 405', () => {
    const unrouted = {
      status: 404,
      body: '',
      violations: [
        { location: ['request'], severity: 'Warning', message: 'Selected route not found' },
      ],
    };
    expect(verdictProblems({ status: 404 }, unrouted)).toEqual([]);
    expect(verdictProblems({ status: 405 }, unrouted)).toEqual([]);
    expect(verdictProblems({ status: 200 }, unrouted)).toHaveLength(1);
  });

  it('reads one file of a multipart array field as the array it is', () => {
    const verdict = {
      status: 201,
      body: '',
      violations: [
        {
          location: ['request', 'body', 'files'],
          severity: 'Error',
          message: 'Request body property files must be array',
        },
      ],
    };
    expect(verdictProblems({ status: 201 }, verdict, { multipart: true })).toEqual([]);
    expect(verdictProblems({ status: 201 }, verdict)).toHaveLength(1);
  });
});
