import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { Actor } from './actor';

export const CTX_ACTOR = 'ctx.actor';
export const CTX_IP = 'ctx.ip';
export const CTX_USER_AGENT = 'ctx.userAgent';

/**
 * The per-request (or per-job) context carried by nestjs-cls: request id, actor, client address.
 * Services read it instead of taking HTTP objects, so the same code runs from a worker.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  get active(): boolean {
    return this.cls.isActive();
  }

  get requestId(): string | null {
    return this.cls.isActive() ? (this.cls.getId() ?? null) : null;
  }

  get actor(): Actor | null {
    return this.cls.isActive() ? (this.cls.get<Actor | undefined>(CTX_ACTOR) ?? null) : null;
  }

  set actor(actor: Actor | null) {
    this.cls.set(CTX_ACTOR, actor ?? undefined);
  }

  get ip(): string | null {
    return this.cls.isActive() ? (this.cls.get<string | undefined>(CTX_IP) ?? null) : null;
  }

  get userAgent(): string | null {
    return this.cls.isActive() ? (this.cls.get<string | undefined>(CTX_USER_AGENT) ?? null) : null;
  }

  setClient(ip: string | null, userAgent: string | null): void {
    this.cls.set(CTX_IP, ip ?? undefined);
    this.cls.set(CTX_USER_AGENT, userAgent ?? undefined);
  }
}
