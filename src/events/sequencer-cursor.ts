/**
 * Where the event sequencer looks for rows still waiting for their number (docs/event-feed.md).
 *
 * Every `event` row carries `txid`, the id of the transaction that recorded it. The cursor says
 * which rows may still need a number: those with `(txid, id)` above `(afterTxid, afterId)`, and
 * those of the transactions in `inFlight` (running when the last pass looked, so their rows were
 * not visible yet). Every other row is numbered, or belongs to a transaction that rolled back.
 *
 * A pass reads that window in `(txid, id)` order, up to a limit, in one statement, together with
 * the statement's own snapshot (`xmax`: the first transaction id not yet started; `xip`: the ids
 * still running). Rows it saw are numbered in that pass, so afterwards only these can be missing:
 * rows after the last one it saw (when it hit the limit), or rows of transactions still running
 * (`xip`), or of transactions that had not started (`xmax` and up). That is the next cursor. Its
 * cost is the rows recorded since the last pass plus the probes of running transactions, however
 * many dead row versions the table holds.
 */
export interface SequencerCursor {
  afterTxid: bigint;
  afterId: string;
  inFlight: bigint[];
}

/** One row of the window: `pending` = still without a number. */
export interface WindowRow {
  id: string;
  txid: bigint;
  pending: boolean;
}

/** What one pass saw: rows in `(txid, id)` order, and the snapshot they were read with. */
export interface SequencingWindow {
  rows: WindowRow[];
  /** pg_snapshot_xmax: every transaction id below it had started when the window was read. */
  xmax: bigint;
  /** pg_snapshot_xip: the transactions still running then (their rows were invisible). */
  xip: bigint[];
}

/** The highest uuid: `(t, MAX_UUID)` as a lower bound means "every txid above t". */
export const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The cursor after a pass that numbered every pending row of `window` (read with `limit`), and
 * whether the pass stopped at the limit (so there may be more to take right away).
 */
export function advanceCursor(
  window: SequencingWindow,
  limit: number,
): { cursor: SequencerCursor; more: boolean } {
  const last = window.rows.length >= limit ? window.rows[window.rows.length - 1] : undefined;
  if (!last) {
    // Everything visible was taken; what a later pass can find is in running transactions or
    // in transactions that had not started.
    return {
      cursor: {
        afterTxid: window.xmax - 1n,
        afterId: MAX_UUID,
        inFlight: sortedUnique(window.xip),
      },
      more: false,
    };
  }
  // Stopped at `last`: rows after it are next. A transaction below it that was still running
  // has rows that are not after it, so it stays in flight; one above it is covered by the range.
  return {
    cursor: {
      afterTxid: last.txid,
      afterId: last.id,
      inFlight: sortedUnique(window.xip.filter((xid) => xid < last.txid)),
    },
    more: true,
  };
}

/** The ids to number, in recording order (uuid v7: the order the changes recorded them). */
export function pendingInRecordingOrder(window: SequencingWindow): string[] {
  return window.rows
    .filter((row) => row.pending)
    .map((row) => row.id)
    .sort();
}

export function sameCursor(a: SequencerCursor, b: SequencerCursor): boolean {
  return (
    a.afterTxid === b.afterTxid &&
    a.afterId === b.afterId &&
    a.inFlight.length === b.inFlight.length &&
    a.inFlight.every((xid, index) => xid === b.inFlight[index])
  );
}

function sortedUnique(xids: bigint[]): bigint[] {
  return [...new Set(xids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
