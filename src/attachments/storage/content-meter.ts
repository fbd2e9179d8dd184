import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PayloadTooLargeError } from '@helpdesk/common';

/** `10485760` → `10 MiB`, `1500` → `1500 bytes`: limits in messages people read. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export function fileTooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Each file may be at most ${describeBytes(maxBytes)}.`);
}

/**
 * Passes bytes through while counting and hashing them; fails with PayloadTooLargeError as soon
 * as more than `maxBytes` went by, so an oversized upload is cut off mid-stream rather than
 * written in full first. Every storage backend puts one between the caller and its writer.
 */
export class ContentMeter extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private digest?: string;

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super();
  }

  get size(): number {
    return this.bytes;
  }

  /** The sha256 (hex) of everything that went through; only once the stream has finished. */
  get sha256(): string {
    if (this.digest === undefined)
      throw new Error('ContentMeter: read sha256 after the stream ends');
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(fileTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }
}
