import type { Session } from './session';

export interface FeedEvent {
  sequence: number;
  type: string;
  data: { ticket?: { id: string; number: number; subject: string } };
}

/**
 * Follows `GET /admin/events/stream` with the bearer token (EventSource cannot send one), parsing
 * SSE frames; reconnects with `Last-Event-ID` so no event is missed across a drop or a token
 * refresh. Returns the function that stops it.
 */
export function followEvents(session: Session, onEvent: (event: FeedEvent) => void): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const token = await session.accessToken();
        if (!token) return;
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (lastId) headers['last-event-id'] = lastId;
        const response = await fetch('/api/v1/admin/events/stream', {
          headers,
          signal: controller.signal,
        });
        if (response.status === 401) {
          if (!(await session.refresh())) return;
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            const id = /^id:\s*(.*)$/m.exec(frame)?.[1];
            if (id) lastId = id;
            if (data) onEvent(JSON.parse(data) as FeedEvent);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => controller.abort();
}
