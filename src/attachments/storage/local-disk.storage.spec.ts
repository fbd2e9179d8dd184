import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { PayloadTooLargeError } from '@helpdesk/common';
import { loadConfig } from 'src/config/app-config';
import {
  InvalidStorageKeyError,
  isStorageKey,
  newStorageKey,
  StoredObjectNotFoundError,
} from './attachment-storage';
import { LocalDiskStorage } from './local-disk.storage';

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** `total` bytes in chunks of `chunk`, generated as they are read. */
function generated(total: number, chunk = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(chunk, total - sent);
      sent += size;
      this.push(Buffer.alloc(size, 0x61));
    },
  });
}

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'helpdesk-storage-'));
    storage = new LocalDiskStorage(loadConfig({ STORAGE_DIR: root }));
    await storage.onModuleInit();
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores, reads back and deletes bytes, reporting their size and sha256', async () => {
    const bytes = randomBytes(300_000);
    const key = newStorageKey();

    const stored = await storage.put(
      key,
      Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
    );

    expect(stored).toEqual({
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(await storage.exists(key)).toBe(true);
    const read: Buffer[] = [];
    for await (const chunk of await storage.get(key)) read.push(chunk as Buffer);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);

    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.get(key)).rejects.toBeInstanceOf(StoredObjectNotFoundError);
    await expect(storage.delete(key)).resolves.toBeUndefined(); // idempotent
  });

  it('files a key under its two shard directories inside STORAGE_DIR', async () => {
    const key = newStorageKey();
    await storage.put(key, Readable.from(['hello']));
    expect(await filesUnder(root)).toEqual([key]);
    expect(key).toMatch(/^([0-9a-f]{2})\/([0-9a-f]{2})\/\1\2[0-9a-f]{28}$/);
  });

  it('hashes an empty object like node:crypto does', async () => {
    const stored = await storage.put(newStorageKey(), Readable.from([]));
    expect(stored).toEqual({ size: 0, sha256: createHash('sha256').digest('hex') });
  });

  it('aborts a write past maxBytes with 413 and leaves no file behind', async () => {
    const key = newStorageKey();
    const write = storage.put(key, generated(5 * 1024 * 1024), { maxBytes: 1024 * 1024 });

    await expect(write).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(write).rejects.toThrow('Each file may be at most 1 MiB.');
    expect(await storage.exists(key)).toBe(false);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('accepts exactly maxBytes', async () => {
    const stored = await storage.put(newStorageKey(), generated(4096, 1000), { maxBytes: 4096 });
    expect(stored.size).toBe(4096);
  });

  it('leaves nothing behind when the source fails midway', async () => {
    const key = newStorageKey();
    let reads = 0;
    const failing = new Readable({
      read() {
        reads += 1;
        if (reads > 3) this.destroy(new Error('client went away'));
        else this.push(Buffer.alloc(1000, 0x62));
      },
    });

    await expect(storage.put(key, failing)).rejects.toThrow('client went away');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('never shows a half-written object under its key', async () => {
    const key = newStorageKey();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Readable.from(
      (async function* () {
        yield Buffer.from('first half ');
        await gate;
        yield Buffer.from('second half');
      })(),
    );

    const write = storage.put(key, slow);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await storage.exists(key)).toBe(false);
    release();
    await write;
    expect(await text(await storage.get(key))).toBe('first half second half');
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'ab/cd/../../../x',
    'ab/cd/abcd0000000000000000000000000000/..',
    'ab/cd/ef000000000000000000000000000000', // shards that do not match the id
    'AB/CD/ABCD0000000000000000000000000000',
    'ab\\cd\\abcd0000000000000000000000000000',
    '.incoming/x.part',
    '',
  ])('refuses the key %j for every operation', async (key) => {
    expect(isStorageKey(key)).toBe(false);
    await expect(storage.put(key, Readable.from(['x']))).rejects.toBeInstanceOf(
      InvalidStorageKeyError,
    );
    await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it('makes keys that are valid and distinct', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newStorageKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(isStorageKey(key)).toBe(true);
  });

  it('clears temp files left by crashed writes, but not fresh ones', async () => {
    const incoming = join(root, '.incoming');
    await writeFile(join(incoming, 'old.part'), 'x');
    await writeFile(join(incoming, 'fresh.part'), 'y');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(join(incoming, 'old.part'), twoDaysAgo, twoDaysAgo);

    expect(await storage.removeStaleTemporaryFiles()).toBe(1);
    expect(await readdir(incoming)).toEqual(['fresh.part']);
  });
});
