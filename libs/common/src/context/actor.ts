/** Who is acting: a signed-in user, an integration key, a one-ticket token, or the system itself. */
export type ActorType = 'user' | 'api_key' | 'ticket_token' | 'system';

export interface Actor {
  type: ActorType;
  /** user id, API key id, ticket id (for ticket tokens), or null for the system. */
  id: string | null;
  /** The role the actor acts with; null for a ticket token. */
  role: string | null;
  /** For `ticket_token` actors: the one ticket the token opens. */
  ticketId?: string;
  /** Display name, when known, for timelines and emails. */
  name?: string;
  email?: string;
  /** For bearer tokens: the refresh-token family (sign-in session) the token belongs to. */
  sessionId?: string;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({
  type: 'system',
  id: null,
  role: 'system',
  name: 'System',
});
