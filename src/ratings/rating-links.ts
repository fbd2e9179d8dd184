import { Injectable } from '@nestjs/common';
import { TokenExpiredError, UnauthenticatedError } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { deriveRatingKey, signRatingToken, verifyRatingToken } from './rating-token';

/** How long the link in a resolution email stays usable. */
export const RATING_LINK_TTL_DAYS = 30;

/**
 * Signed rating links for the resolution email (API.md section 9): `…/api/v1/ratings/{token}`
 * opens the rating of one ticket without signing in. The key is derived from JWT_SECRET, so links
 * stop working when that secret changes (and, in development, on every restart without one).
 */
@Injectable()
export class RatingLinks {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = deriveRatingKey(config.jwtSecret);
  }

  /** The link to put in the resolution email of `ticketId`. */
  linkFor(ticketId: string, now: Date = new Date()): string {
    return `${this.config.publicUrl}/api/v1/ratings/${this.tokenFor(ticketId, now)}`;
  }

  tokenFor(ticketId: string, now: Date = new Date()): string {
    const expiresAt = new Date(now.getTime() + RATING_LINK_TTL_DAYS * 86_400_000);
    return signRatingToken(this.key, ticketId, expiresAt);
  }

  /** The ticket a token opens; 401 when it is not one we signed, or has expired. */
  verify(token: string, now: Date = new Date()): { ticketId: string; expiresAt: Date } {
    const check = verifyRatingToken(this.key, token, now);
    if (check.valid) return { ticketId: check.ticketId, expiresAt: check.expiresAt };
    if (check.reason === 'expired') throw new TokenExpiredError('This rating link has expired.');
    throw new UnauthenticatedError('This rating link is not valid.');
  }
}
