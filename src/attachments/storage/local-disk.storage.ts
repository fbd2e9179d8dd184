import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import {
  AttachmentStorage,
  assertStorageKey,
  InvalidStorageKeyError,
  StoredObjectNotFoundError,
  type PutOptions,
  type StoredObject,
} from './attachment-storage';
import { ContentMeter } from './content-meter';

// Writes in progress live here, inside the root so the final rename stays on one filesystem
// (atomic) and never under a key's name; the leading dot keeps it apart from the hex shards.
const TEMP_DIR = '.incoming';
// A temp file older than this belongs to a write that died with its process.
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/**
 * Attachment bytes as files under `STORAGE_DIR` (outside any web root: nothing serves that
 * directory, bytes leave only through the download endpoint). A key `ab/cd/abcd…` is the file's
 * relative path.
 */
@Injectable()
export class LocalDiskStorage extends AttachmentStorage implements OnModuleInit {
  private readonly logger = new Logger(LocalDiskStorage.name);
  readonly root: string;
  private readonly tempDir: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.storageDir);
    this.tempDir = join(this.root, TEMP_DIR);
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true, mode: 0o700 });
    await this.removeStaleTemporaryFiles();
  }

  async put(key: string, content: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(this.tempDir, { recursive: true, mode: 0o700 });
    const temp = join(this.tempDir, `${randomBytes(12).toString('hex')}.part`);
    const meter = new ContentMeter(options.maxBytes);
    try {
      // flush: fsync before close, so a crash after the rename cannot leave a short file.
      await pipeline(
        content,
        meter,
        createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true }),
      );
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      // The object appears under its key complete or not at all.
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size: meter.size, sha256: meter.sha256 };
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      // Open first so a missing file is an error here, not a later 'error' event mid-response.
      const handle = await open(path, 'r');
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) throw new StoredObjectNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Deletes temp files left by writes that were cut off by a crash. */
  async removeStaleTemporaryFiles(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tempDir).catch(() => [] as string[])) {
      const path = join(this.tempDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() && now - info.mtimeMs > STALE_TEMP_MS) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    if (removed) this.logger.warn(`removed ${removed} unfinished attachment upload(s)`);
    return removed;
  }

  /** The absolute path of a key; the key pattern already rules out `..`, the check is a backstop. */
  private pathOf(key: string): string {
    assertStorageKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key);
    return path;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
