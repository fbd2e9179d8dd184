const SECOND = 1000;
const DAY = 86_400_000;

/** Instants the SLA clock accepts: wide enough for any ticket, narrow enough for Intl and Date. */
export const EARLIEST_SUPPORTED = Date.UTC(1900, 0, 1);
export const LATEST_SUPPORTED = Date.UTC(9000, 0, 1);

/** UTC instants `[start, end)` (ms) during which a zone's offset from UTC is `offset` (ms). */
export interface OffsetSegment {
  start: number;
  end: number;
  /** Local wall-clock time = UTC + offset. */
  offset: number;
}

// IANA names start with a letter (`Europe/Berlin`, `UTC`, `Etc/GMT+5`). Intl also accepts bare
// offsets such as `+01:00`, which are not time zones and have no DST rules: refused here.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/** True when `name` is an IANA time zone this runtime knows. */
export function isValidTimeZone(name: string): boolean {
  if (!ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone's UTC offsets as a table of constant-offset segments, read from Intl (the runtime's
 * tzdata) once per zone and UTC year and kept for the life of the process. Lookups are then a
 * binary search, so the clock can ask for offsets freely.
 *
 * Transitions are found by sampling each UTC midnight and bisecting to the second where the
 * offset changes: two transitions less than a day apart that cancel out would be missed (tzdata
 * has none in the years a ticket can live in).
 */
export class TimeZoneOffsets {
  private static readonly zones = new Map<string, TimeZoneOffsets>();

  /** The shared table of `timeZone`; throws a RangeError for a zone Intl does not know. */
  static of(timeZone: string): TimeZoneOffsets {
    let zone = TimeZoneOffsets.zones.get(timeZone);
    if (!zone) {
      if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone ${timeZone}`);
      zone = new TimeZoneOffsets(timeZone);
      TimeZoneOffsets.zones.set(timeZone, zone);
    }
    return zone;
  }

  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, OffsetSegment[]>();

  private constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The constant-offset segment holding the UTC instant `utc` (ms). */
  segmentAt(utc: number): OffsetSegment {
    const segments = this.yearSegments(new Date(utc).getUTCFullYear());
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid].start <= utc) low = mid;
      else high = mid - 1;
    }
    return segments[low];
  }

  offsetAt(utc: number): number {
    return this.segmentAt(utc).offset;
  }

  /** The offset straight from Intl, for the whole second holding `utc`. */
  private intlOffset(utc: number): number {
    const second = Math.floor(utc / SECOND) * SECOND;
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(second)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const wall = new Date(0);
    wall.setUTCFullYear(fields.year, fields.month - 1, fields.day);
    wall.setUTCHours(fields.hour, fields.minute, fields.second, 0);
    return wall.getTime() - second;
  }

  private yearSegments(year: number): OffsetSegment[] {
    const cached = this.years.get(year);
    if (cached) return cached;
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const segments: OffsetSegment[] = [];
    let segmentStart = start;
    let previous = start;
    let previousOffset = this.intlOffset(start);
    for (let sample = start + DAY; previous < end - SECOND; sample += DAY) {
      const at = Math.min(sample, end - SECOND);
      const offset = this.intlOffset(at);
      // Usually zero or one transition per day; the loop also copes with several.
      while (offset !== previousOffset) {
        const change = this.firstChange(previous, at, previousOffset);
        segments.push({ start: segmentStart, end: change, offset: previousOffset });
        segmentStart = change;
        previous = change;
        previousOffset = this.intlOffset(change);
      }
      previous = at;
    }
    segments.push({ start: segmentStart, end, offset: previousOffset });
    this.years.set(year, segments);
    return segments;
  }

  /** The first whole second in `(low, high]` whose offset is not `lowOffset`. */
  private firstChange(low: number, high: number, lowOffset: number): number {
    while (high - low > SECOND) {
      const mid = low + Math.floor((high - low) / (2 * SECOND)) * SECOND;
      if (this.intlOffset(mid) === lowOffset) low = mid;
      else high = mid;
    }
    return high;
  }
}
