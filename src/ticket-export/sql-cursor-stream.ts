import { Readable } from 'node:stream';
import type { QueryRunner } from 'typeorm';

/**
 * The rows of a server-side cursor (`DECLARE … CURSOR`) as an object stream, fetched `batchSize`
 * at a time and only as fast as the consumer reads: memory holds one batch, whatever the total.
 * The stream owns its connection: it commits the cursor's transaction at the end, rolls it back
 * on error or early destroy (a client that goes away), and releases the connection either way.
 */
export class SqlCursorStream<Row> extends Readable {
  private fetching = false;

  constructor(
    private readonly runner: QueryRunner,
    private readonly cursor: string,
    private readonly batchSize: number,
  ) {
    super({ objectMode: true, highWaterMark: batchSize });
  }

  override _read(): void {
    if (this.fetching) return;
    this.fetching = true;
    this.runner.query(`FETCH FORWARD ${this.batchSize} FROM ${this.cursor}`).then(
      (rows: Row[]) => {
        this.fetching = false;
        if (this.destroyed) return;
        if (rows.length === 0) this.push(null);
        else for (const row of rows) this.push(row);
      },
      (error: Error) => {
        this.fetching = false;
        this.destroy(error);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // After a normal end, `_destroy` runs with no error (autoDestroy): commit the read-only
    // transaction; otherwise roll it back. Queued behind a FETCH still in flight, if any.
    const finish = error || !this.readableEnded ? 'ROLLBACK' : 'COMMIT';
    this.runner
      .query(finish)
      .catch(() => undefined) // a broken connection has no transaction left to end
      .finally(() => this.runner.release())
      .then(
        () => callback(error),
        (releaseError: Error) => callback(error ?? releaseError),
      );
  }
}
