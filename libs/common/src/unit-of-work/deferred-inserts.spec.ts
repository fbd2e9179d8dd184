import { combined } from './deferred-inserts';

describe('combined (the deferred inserts of a unit of work as one statement)', () => {
  it('leaves a single insert as it is', () => {
    const insert = { text: 'INSERT INTO a (x) VALUES ($1)', values: [1] };
    expect(combined([insert])).toBe(insert);
  });

  it('makes every insert but the last a CTE and renumbers the placeholders after the earlier ones', () => {
    const { text, values } = combined([
      { text: 'INSERT INTO a (x, y) VALUES ($1, $2), ($3, $4)', values: [1, 2, 3, 4] },
      { text: 'INSERT INTO b (x) VALUES ($1) RETURNING "recorded_at"', values: ['b'] },
      { text: 'INSERT INTO c (x, y) VALUES ($1, DEFAULT), ($2, $10)', values: ['c', ...Array(9)] },
    ]);
    expect(text).toBe(
      'WITH w1 AS (INSERT INTO a (x, y) VALUES ($1, $2), ($3, $4)), ' +
        'w2 AS (INSERT INTO b (x) VALUES ($5) RETURNING "recorded_at") ' +
        'INSERT INTO c (x, y) VALUES ($6, DEFAULT), ($7, $15)',
    );
    expect(values).toHaveLength(15);
    expect(values.slice(0, 6)).toEqual([1, 2, 3, 4, 'b', 'c']);
  });
});
