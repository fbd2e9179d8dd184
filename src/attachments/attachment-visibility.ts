export const ATTACHMENT_VISIBILITIES = ['public', 'internal'] as const;

/** `public`: the customer sees it; `internal`: staff only (API.md section 7). */
export type AttachmentVisibility = (typeof ATTACHMENT_VISIBILITIES)[number];
