// Types of the public API, taken from the generated OpenAPI paths (never hand-written): a
// contract change that breaks a page breaks `npm run build`. Path-based on purpose: component
// schema names and operation ids may change, paths are the promise.
import type { paths } from '../../generated/api';

export type { paths };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body of a path's successful response (200 or 201). */
export type Ok<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : never
  : never;

/** The JSON request body of a path. */
export type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type StaffTicketPage = Ok<'/api/v1/admin/tickets'>;
export type StaffTicket = StaffTicketPage['items'][number];
export type StaffTicketDetail = Ok<'/api/v1/admin/tickets/{id}'>;
export type Message = StaffTicketDetail['messages'][number];
/** The document types a ticket's `internal_notes` as bare objects; the notes list has the shape. */
export type Note = Ok<'/api/v1/admin/tickets/{id}/notes'>['items'][number];
export type Attachment = StaffTicketDetail['attachments'][number];
export type Timeline = Ok<'/api/v1/admin/tickets/{id}/timeline'>;
/** A signed-in person (`/auth/me` also describes API-key principals, which have no email). */
export type User = Ok<'/api/v1/auth/login', 'post'>['user'];
export type Login = Ok<'/api/v1/auth/login', 'post'>;
export type CustomerTicket = Ok<'/api/v1/portal/tickets/{id}'>;
export type CustomerTicketPage = Ok<'/api/v1/portal/tickets'>;
export type Summary = Ok<'/api/v1/admin/analytics/summary'>;
export type Trend = Ok<'/api/v1/admin/analytics/trend'>;
export type TicketPatch = Body<'/api/v1/admin/tickets/{id}', 'patch'>;
export type Status = StaffTicket['status'];
export type Priority = StaffTicket['priority'];
export type Role = User['role'];

/** An RFC 9457 problem document as the API sends it. */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}
