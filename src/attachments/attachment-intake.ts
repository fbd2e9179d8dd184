import { pipeline } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  AppError,
  MalformedRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
} from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { ContentInspector } from './content-inspector';
import { sanitizeFileName } from './file-name';
import { FileTypePolicy } from './file-type-policy';
import { MAX_FILES_PER_UPLOAD, multipartOptions } from './multipart-options';
import { AttachmentStorage, newStorageKey, type StoredObject } from './storage/attachment-storage';
import { describeBytes, fileTooLarge } from './storage/content-meter';

/** One uploaded file, stored: what the attachment row needs. */
/**
 * What an upload is read from: the multipart parts of a request and nothing else of HTTP (a
 * Fastify request is one). Services take this, never the request itself.
 */
export type MultipartSource = Pick<FastifyRequest, 'isMultipart' | 'parts'>;

export interface ReceivedFile {
  storageKey: string;
  /** Sanitised, with an extension that agrees with `contentType`. */
  fileName: string;
  /** Decided by the bytes, never by the client. */
  contentType: string;
  size: number;
  sha256: string;
}

export interface ReceivedUpload {
  files: ReceivedFile[];
  /** The text fields, unvalidated beyond being expected, sent once and not truncated. */
  fields: Record<string, string>;
}

export interface IntakeOptions {
  /** The form field that carries files (default `files`). */
  fileField?: string;
  /** Text fields the caller accepts; any other field is a 422 (default visibility, message_id). */
  fields?: readonly string[];
  /** At most this many files (default 10, the most the plugin is registered for). */
  maxFiles?: number;
}

/** One request's files together may be at most the per-file limit (MAX_ATTACHMENT_BYTES). */
export function requestTooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The files of one request may total at most ${describeBytes(maxBytes)}.`,
  );
}

const DEFAULT_FIELDS = ['visibility', 'message_id'] as const;

/**
 * Takes a multipart/form-data upload off a Fastify request and into storage, one part at a time
 * and one chunk at a time: each file is classified by its first bytes, refused (415) or streamed
 * on into storage with its sha256, and cut off at MAX_ATTACHMENT_BYTES (413). A file is never held
 * in memory whole. If anything fails, every file this request already stored is deleted again.
 *
 * The caller writes the rows afterwards; if that fails, it hands the files to `discard`. Receive
 * outside the transaction (`@NoUnitOfWork()` on the upload route, then `UnitOfWork.run` for the
 * rows): a slow upload must not hold a database connection open.
 */
@Injectable()
export class AttachmentIntake {
  private readonly logger = new Logger(AttachmentIntake.name);

  constructor(
    private readonly storage: AttachmentStorage,
    private readonly policy: FileTypePolicy,
    private readonly config: AppConfig,
  ) {}

  async receive(request: MultipartSource, options: IntakeOptions = {}): Promise<ReceivedUpload> {
    const fileField = options.fileField ?? 'files';
    const accepted = new Set<string>(options.fields ?? DEFAULT_FIELDS);
    const maxFiles = Math.min(options.maxFiles ?? MAX_FILES_PER_UPLOAD, MAX_FILES_PER_UPLOAD);
    if (typeof request.isMultipart !== 'function' || !request.isMultipart()) {
      throw new UnsupportedMediaTypeError('Send the files as multipart/form-data.');
    }

    const defaults = multipartOptions(this.config);
    const parts = request.parts({
      ...defaults,
      limits: { ...defaults.limits, files: maxFiles },
    });
    const files: ReceivedFile[] = [];
    const fields: Record<string, string> = {};
    try {
      for (;;) {
        const next = await nextPart(parts);
        if (next.done) break;
        const part: Multipart = next.value;
        if (part.type === 'file') {
          if (part.fieldname !== fileField) {
            part.file.resume(); // let the parser move on; the request fails anyway
            throw ValidationFailedError.forField(part.fieldname, `send files in "${fileField}"`);
          }
          const used = files.reduce((sum, file) => sum + file.size, 0);
          files.push(await this.store(part, this.config.maxAttachmentBytes - used));
        } else {
          readField(part, accepted, fields);
        }
      }
      if (!files.length) {
        throw ValidationFailedError.forField(fileField, 'at least one file is required');
      }
      return { files, fields };
    } catch (error) {
      await this.discard(files);
      throw asUploadError(error, this.config.maxAttachmentBytes, maxFiles);
    }
  }

  /** Deletes stored files whose rows will not be written. Never throws: leftovers are logged. */
  async discard(files: readonly Pick<ReceivedFile, 'storageKey'>[]): Promise<void> {
    await Promise.all(
      files.map(({ storageKey }) =>
        this.storage.delete(storageKey).catch((error: unknown) => {
          this.logger.error({ err: error, storageKey }, 'could not delete a discarded upload');
        }),
      ),
    );
  }

  /** Stores one file; `budget` is what the request may still upload (the request-level cap). */
  private async store(part: MultipartFile, budget: number): Promise<ReceivedFile> {
    const max = this.config.maxAttachmentBytes;
    if (budget <= 0) {
      part.file.resume();
      throw requestTooLarge(max);
    }
    const source = part.file;
    // busboy stops at fileSize and marks the stream truncated; fail right there instead of
    // storing a cut-off file.
    source.once('limit', () => source.destroy(fileTooLarge(max)));

    const inspector = new ContentInspector(this.policy);
    // Whichever end fails first passes its error along the chain: remember which end that was,
    // so a broken upload is the client's 400 while a failing disk stays our 500.
    let uploadError: unknown;
    let failed = false;
    source.once('error', (error) => {
      if (!failed) uploadError = error;
      failed = true;
    });
    inspector.once('error', () => (failed = true));
    const storageKey = newStorageKey();
    let stored: StoredObject;
    try {
      // One chain: an error in any stage (client gone, refused type, size) tears all of it down
      // and reaches `put`, which then leaves nothing behind.
      stored = await this.storage.put(storageKey, pipeline(source, inspector, noop), {
        maxBytes: max,
      });
    } catch (error) {
      throw error === uploadError ? fromUpload(error) : error;
    }
    if (source.truncated) {
      await this.storage.delete(storageKey);
      throw fileTooLarge(max);
    }
    // Within its own limit but past what the request may still carry (one file's worth at most
    // was read beyond the budget, so a file over its own limit still gets that message).
    if (stored.size > budget) {
      await this.storage.delete(storageKey);
      throw requestTooLarge(max);
    }
    const { contentType } = inspector.classification;
    if (stored.size === 0) {
      await this.storage.delete(storageKey);
      throw ValidationFailedError.forField(part.fieldname, 'a file must not be empty');
    }
    return {
      storageKey,
      fileName: sanitizeFileName(decodeFormDataName(part.filename), contentType),
      contentType,
      size: stored.size,
      sha256: stored.sha256,
    };
  }
}

const noop = (): void => undefined;

async function nextPart(
  parts: AsyncIterableIterator<Multipart>,
): Promise<IteratorResult<Multipart>> {
  try {
    return await parts.next();
  } catch (error) {
    // Everything the iterator throws is about the request body, never about our side.
    throw fromUpload(error);
  }
}

/** An error raised while reading the request body: the client's fault unless it is already ours. */
function fromUpload(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (hasCode(error) && error.code.startsWith('FST_')) return error; // asUploadError maps these
  return malformed(error);
}

function readField(
  part: Extract<Multipart, { type: 'field' }>,
  accepted: ReadonlySet<string>,
  fields: Record<string, string>,
): void {
  const name = part.fieldname;
  if (!accepted.has(name)) throw ValidationFailedError.forField(name, 'is not an accepted field');
  if (Object.hasOwn(fields, name)) throw ValidationFailedError.forField(name, 'must be sent once');
  if (part.valueTruncated || part.fieldnameTruncated) {
    throw ValidationFailedError.forField(name, 'is too long');
  }
  if (typeof part.value !== 'string') {
    throw ValidationFailedError.forField(name, 'must be a plain text field');
  }
  fields[name] = part.value;
}

/**
 * The HTML form encoding escapes only `"`, CR and LF in file names (as %22, %0D, %0A); undo that
 * so the sanitiser sees what the user's file is called.
 */
function decodeFormDataName(name: string | undefined): string {
  return (name ?? '').replace(/%(22|0d|0a)/gi, (match) =>
    String.fromCharCode(parseInt(match.slice(1), 16)),
  );
}

function hasCode(error: unknown): error is { code: string } {
  return typeof (error as { code?: unknown } | null)?.code === 'string';
}

function malformed(error: unknown): MalformedRequestError {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  return new MalformedRequestError(`The multipart body could not be read: ${reason}.`);
}

/** The plugin's limit errors as the problem documents API.md promises. */
function asUploadError(error: unknown, maxBytes: number, maxFiles: number): unknown {
  if (error instanceof AppError || !hasCode(error)) return error;
  switch (error.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return fileTooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
      return new PayloadTooLargeError(`At most ${maxFiles} files per request.`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new PayloadTooLargeError('The form has too many fields.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new UnsupportedMediaTypeError('Send the files as multipart/form-data.');
    case 'FST_MP_PREMATURE_CLOSE':
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return malformed(error);
    default:
      return error;
  }
}
