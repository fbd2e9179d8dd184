import fc from 'fast-check';
import {
  advanceCursor,
  MAX_UUID,
  pendingInRecordingOrder,
  type SequencerCursor,
  type SequencingWindow,
  type WindowRow,
} from './sequencer-cursor';

/** A toy PostgreSQL: transactions with increasing ids whose rows become visible at commit. */
class Model {
  private nextXid = 100n;
  private readonly running = new Map<bigint, string[]>();
  private readonly committed = new Map<string, bigint>();
  readonly aborted = new Set<string>();
  readonly numbered = new Map<string, number>();
  private cursor: SequencerCursor = { afterTxid: -1n, afterId: MAX_UUID, inFlight: [] };
  private sequence = 0;
  private rowCounter = 0;

  start(): void {
    this.running.set(this.nextXid, []);
    this.nextXid += 1n;
  }

  /** Records a row in the `pick`-th running transaction, with an id in no particular order. */
  record(pick: number, idBits: number): void {
    const xids = [...this.running.keys()];
    if (xids.length === 0) return;
    this.rowCounter += 1;
    const hex =
      idBits.toString(16).padStart(8, '0') + this.rowCounter.toString(16).padStart(4, '0');
    this.running.get(xids[pick % xids.length])!.push(`00000000-0000-7000-8000-${hex}`);
  }

  finish(pick: number, commit: boolean): void {
    const xids = [...this.running.keys()];
    if (xids.length === 0) return;
    const xid = xids[pick % xids.length];
    for (const id of this.running.get(xid)!) {
      if (commit) this.committed.set(id, xid);
      else this.aborted.add(id);
    }
    this.running.delete(xid);
  }

  /** One sequencer pass, reading its window the way EventsRepository.sequencingWindow does. */
  pass(limit: number): boolean {
    const { afterTxid, afterId, inFlight } = this.cursor;
    const visible: WindowRow[] = [...this.committed].map(([id, txid]) => ({
      id,
      txid,
      pending: !this.numbered.has(id),
    }));
    const byKey = (a: WindowRow, b: WindowRow) =>
      a.txid !== b.txid ? (a.txid < b.txid ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    const rows = visible
      .filter(
        (row) =>
          inFlight.includes(row.txid) ||
          row.txid > afterTxid ||
          (row.txid === afterTxid && row.id > afterId),
      )
      .sort(byKey)
      .slice(0, limit);
    const window: SequencingWindow = { rows, xmax: this.nextXid, xip: [...this.running.keys()] };
    for (const id of pendingInRecordingOrder(window)) {
      expect(this.numbered.has(id)).toBe(false);
      this.sequence += 1;
      this.numbered.set(id, this.sequence);
    }
    const next = advanceCursor(window, limit);
    this.cursor = next.cursor;
    return next.more;
  }

  /** Commits what still runs, one transaction after each pass, then passes until idle. */
  drain(limit: number): void {
    while (this.running.size > 0) {
      this.pass(limit);
      this.finish(0, true);
    }
    let guard = 0;
    while (this.pass(limit)) if ((guard += 1) > 10_000) throw new Error('no progress');
    this.pass(limit);
  }

  get committedIds(): string[] {
    return [...this.committed.keys()];
  }
}

type Step =
  | { kind: 'start' }
  | { kind: 'record'; pick: number; idBits: number }
  | { kind: 'finish'; pick: number; commit: boolean }
  | { kind: 'pass'; limit: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'start' }),
  fc.record({ kind: fc.constant('record' as const), pick: fc.nat(), idBits: fc.nat() }),
  fc.record({ kind: fc.constant('record' as const), pick: fc.nat(), idBits: fc.nat() }),
  fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), commit: fc.boolean() }),
  fc.record({ kind: fc.constant('pass' as const), limit: fc.integer({ min: 1, max: 4 }) }),
);

describe('the sequencer cursor', () => {
  it('numbers every committed row exactly once and no rolled-back row, however commits interleave', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        (steps, limit) => {
          const model = new Model();
          for (const s of steps) {
            if (s.kind === 'start') model.start();
            else if (s.kind === 'record') model.record(s.pick, s.idBits);
            else if (s.kind === 'finish') model.finish(s.pick, s.commit);
            else model.pass(s.limit);
          }
          model.drain(limit);
          expect(model.committedIds.filter((id) => !model.numbered.has(id))).toEqual([]);
          expect([...model.aborted].filter((id) => model.numbered.has(id))).toEqual([]);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('finds the rows of a transaction that was running below where a full pass stopped', () => {
    const model = new Model();
    model.start(); // xid 100: records, commits last
    model.start(); // xid 101
    model.record(1, 1);
    model.finish(1, true);
    expect(model.pass(1)).toBe(true); // stops at 101's row, 100 still running
    model.record(0, 2);
    model.finish(0, true);
    model.drain(1);
    expect(model.committedIds.filter((id) => !model.numbered.has(id))).toEqual([]);
  });

  it('after a pass that took everything, looks only at running transactions and later ones', () => {
    const window: SequencingWindow = {
      rows: [{ id: '00000000-0000-7000-8000-000000000001', txid: 10n, pending: true }],
      xmax: 20n,
      xip: [15n, 12n, 15n],
    };
    expect(advanceCursor(window, 500)).toEqual({
      cursor: { afterTxid: 19n, afterId: MAX_UUID, inFlight: [12n, 15n] },
      more: false,
    });
  });

  it('after a pass that stopped at its limit, resumes after the last row it saw', () => {
    const last = { id: '00000000-0000-7000-8000-000000000002', txid: 14n, pending: false };
    const window: SequencingWindow = {
      rows: [{ id: '00000000-0000-7000-8000-000000000001', txid: 11n, pending: true }, last],
      xmax: 20n,
      xip: [12n, 16n],
    };
    expect(advanceCursor(window, 2)).toEqual({
      cursor: { afterTxid: 14n, afterId: last.id, inFlight: [12n] },
      more: true,
    });
  });

  it('numbers a pass’s rows in recording (id) order, not transaction order', () => {
    const window: SequencingWindow = {
      rows: [
        { id: '00000000-0000-7000-8000-00000000000b', txid: 11n, pending: true },
        { id: '00000000-0000-7000-8000-00000000000c', txid: 11n, pending: false },
        { id: '00000000-0000-7000-8000-00000000000a', txid: 12n, pending: true },
      ],
      xmax: 20n,
      xip: [],
    };
    expect(pendingInRecordingOrder(window)).toEqual([
      '00000000-0000-7000-8000-00000000000a',
      '00000000-0000-7000-8000-00000000000b',
    ]);
  });
});
