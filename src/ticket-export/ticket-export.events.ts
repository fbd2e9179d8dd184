import { DomainEvent } from '@helpdesk/common';

/** An admin exported tickets as CSV: which filters, how many rows (audited as `ticket.export`). */
export class TicketsExported extends DomainEvent {
  readonly type = 'ticket.exported';
  readonly resourceType = 'ticket_export';

  constructor(
    /** The export's own id (also sent as `X-Export-Id`), so its audit entry can be found. */
    readonly resourceId: string,
    filters: Record<string, unknown>,
    rowCount: number,
  ) {
    super();
    Object.assign(this.details, { filters, row_count: rowCount });
  }
}
