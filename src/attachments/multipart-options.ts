import type { FastifyMultipartBaseOptions } from '@fastify/multipart';
import type { AppConfig } from 'src/config/app-config';

/** API.md section 7: 1–10 files per upload request. */
export const MAX_FILES_PER_UPLOAD = 10;

/**
 * `@fastify/multipart` settings for the whole app (the FastifyAdapter's `multipart` option).
 * The attachment intake passes the same limits per request; these are the ceiling for any other
 * multipart route.
 */
export function multipartOptions(config: AppConfig) {
  return {
    limits: {
      fileSize: config.maxAttachmentBytes,
      files: MAX_FILES_PER_UPLOAD,
      // Uploads carry a few short text fields (visibility, message_id); anything beyond is abuse.
      fields: 20,
      fieldSize: 64 * 1024,
      parts: MAX_FILES_PER_UPLOAD + 20,
    },
  } satisfies FastifyMultipartBaseOptions;
}
