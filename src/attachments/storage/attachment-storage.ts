import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { NotFoundError } from '@helpdesk/common';

/** What a completed `put` wrote: the byte count and the sha256 of exactly those bytes. */
export interface StoredObject {
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface PutOptions {
  /** More bytes than this aborts the write (PayloadTooLargeError) and leaves nothing behind. */
  maxBytes?: number;
}

/**
 * Where attachment bytes live. Callers inject this class as the token and never learn which
 * backend answers (local disk now; an S3-compatible one can be bound without touching them).
 *
 * Contract for every implementation:
 * - keys come from `newStorageKey()` and are checked (`isStorageKey`), so no key can name a
 *   location outside the store;
 * - `put` streams, hashes while writing and makes the object visible only once it is complete;
 *   on any failure (including the size limit) nothing is left under the key;
 * - `delete` is idempotent.
 */
export abstract class AttachmentStorage {
  abstract put(key: string, content: Readable, options?: PutOptions): Promise<StoredObject>;
  /** The object's bytes; StoredObjectNotFoundError when there is none. */
  abstract get(key: string): Promise<Readable>;
  abstract delete(key: string): Promise<void>;
  abstract exists(key: string): Promise<boolean>;
}

// 128 random bits, sharded by its first two bytes so no directory grows past ~65k/256² entries
// per million files. Random rather than the attachment's uuidv7: its leading bits are a clock
// and would put every recent file into the same shard.
const STORAGE_KEY = /^([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{32})$/;

/** A fresh key like `3f/a2/3fa2…` (32 hex digits), unguessable and safe as a relative path. */
export function newStorageKey(): string {
  const id = randomBytes(16).toString('hex');
  return `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
}

export function isStorageKey(key: unknown): key is string {
  if (typeof key !== 'string') return false;
  const match = STORAGE_KEY.exec(key);
  return match !== null && match[3].startsWith(match[1] + match[2]);
}

/** A key that `newStorageKey()` could not have made: a bug or tampered data, never user input. */
export class InvalidStorageKeyError extends Error {
  constructor(key: unknown) {
    super(`not a storage key: ${JSON.stringify(String(key)).slice(0, 80)}`);
    this.name = 'InvalidStorageKeyError';
  }
}

export function assertStorageKey(key: unknown): asserts key is string {
  if (!isStorageKey(key)) throw new InvalidStorageKeyError(key);
}

/**
 * The row exists but its bytes do not. Answers 404 like any missing resource; callers should log
 * it, since it means the store and the database disagree.
 */
export class StoredObjectNotFoundError extends NotFoundError {
  constructor(readonly key: string) {
    super('The attachment content is not available.');
  }
}
