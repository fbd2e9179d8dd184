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

/** How the audit log and the event feed name an actor (API.md sections 8 and 11a). */
export type RecordedActorType = 'user' | 'api_key' | 'system';

export interface RecordedActor {
  type: RecordedActorType;
  id: string | null;
  role: string | null;
}

/**
 * The actor as records name it: an anonymous caller (a failed sign-in, the public contact form)
 * is a user with no id, and the holder of a ticket's access token is that ticket's customer,
 * whose account the token does not identify.
 */
export function recordedActorOf(actor: Actor | null): RecordedActor {
  if (!actor) return { type: 'user', id: null, role: null };
  switch (actor.type) {
    case 'user':
    case 'api_key':
    case 'system':
      return { type: actor.type, id: actor.id, role: actor.role };
    case 'ticket_token':
      return { type: 'user', id: null, role: 'customer' };
  }
}
