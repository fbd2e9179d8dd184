import { isValidTimeZone, TimeZoneOffsets } from './time-zone-offsets';

const HOUR = 3_600_000;

describe('TimeZoneOffsets', () => {
  it.each([
    // zone, instant just before the change, offset before, instant of the change, offset after
    ['Europe/Berlin', '2026-03-29T01:00:00Z', 1, 2],
    ['Europe/Berlin', '2026-10-25T01:00:00Z', 2, 1],
    ['America/New_York', '2026-03-08T07:00:00Z', -5, -4],
    ['America/New_York', '2026-11-01T06:00:00Z', -4, -5],
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z', 11, 10.5],
  ])('finds the %s change at %s to the second', (zone, at, before, after) => {
    const offsets = TimeZoneOffsets.of(zone);
    const change = Date.parse(at);
    expect(offsets.offsetAt(change - 1)).toBe(before * HOUR);
    expect(offsets.offsetAt(change)).toBe(after * HOUR);
    expect(offsets.segmentAt(change).start).toBe(change);
    expect(offsets.segmentAt(change - 1).end).toBe(change);
  });

  it('has a single segment per year for a zone without DST', () => {
    const offsets = TimeZoneOffsets.of('Asia/Kathmandu');
    const segment = offsets.segmentAt(Date.parse('2026-06-01T00:00:00Z'));
    expect(segment).toEqual({
      start: Date.parse('2026-01-01T00:00:00Z'),
      end: Date.parse('2027-01-01T00:00:00Z'),
      offset: 5.75 * HOUR,
    });
  });

  it('shares one table per zone', () => {
    expect(TimeZoneOffsets.of('Europe/Berlin')).toBe(TimeZoneOffsets.of('Europe/Berlin'));
  });

  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Mars/Olympus_Mons', false],
    ['+01:00', false],
    ['', false],
    ['Europe/Berlin; DROP TABLE', false],
  ])('isValidTimeZone(%j) is %s', (name, valid) => {
    expect(isValidTimeZone(name)).toBe(valid);
  });

  it('refuses an unknown zone', () => {
    expect(() => TimeZoneOffsets.of('Nowhere/Land')).toThrow(RangeError);
  });
});
