import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, authorizedFetch, must, onThisOrigin } from '../api/client';
import { followEvents } from '../api/event-stream';
import type { Attachment, Note, Status, StaffTicketDetail, TicketPatch } from '../api/types';
import { formatDate, t } from '../strings';
import { ErrorNote, Field, PriorityBadge, SlaBadge, StatusBadge } from '../ui/components';
import { useAction, useLoad, useShortcuts } from '../ui/hooks';
import { api, atLeast, session, useUser } from './context';
import { movesFrom, PRIORITIES } from './workflow';

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

/**
 * One ticket. Everything on the page comes from requests made in parallel as it opens (the
 * ticket with its conversation, notes, attachments and SLA; the timeline; for admins the staff
 * list), so the view is one round trip deep.
 */
export function TicketPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const navigate = useNavigate();
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [live, setLive] = useState(false);
  const detail = useLoad(async () => {
    const [ticket, timeline, staff] = await Promise.all([
      api.GET('/api/v1/admin/tickets/{id}', { params: { path: { id } } }).then(must),
      api.GET('/api/v1/admin/tickets/{id}/timeline', { params: { path: { id } } }).then(must),
      atLeast(user, 'admin')
        ? api
            .GET('/api/v1/admin/users', { params: { query: { is_active: true, limit: 200 } } })
            .then(must)
            .then((page) => page.items.filter((u) => u.role !== 'customer'))
        : Promise.resolve([]),
    ]);
    return { ticket, timeline, staff };
  }, [id]);
  const { reload } = detail;
  useEffect(
    () =>
      followEvents(session, (event) => {
        if (event.data.ticket?.id === id) {
          setLive(true);
          reload();
        }
      }),
    [id, reload],
  );
  const action = useAction();
  const ticket = detail.data?.ticket;
  const staff = detail.data?.staff ?? [];
  const timeline = detail.data?.timeline;
  const assignMe = () =>
    ticket &&
    void action.run(async () => {
      must(
        await api.PATCH('/api/v1/admin/tickets/{id}/assignee', {
          params: { path: { id } },
          body: { assignee_id: user.id },
        }),
      );
      reload();
    });
  useShortcuts({
    r: () => replyRef.current?.focus(),
    n: () => noteRef.current?.focus(),
    a: assignMe,
    Escape: () => navigate('/'),
  });

  if (!ticket) {
    return detail.error ? <ErrorNote message={detail.error} /> : <p>{t.loading}</p>;
  }
  const conversation = [
    ...ticket.messages.map((m) => ({ kind: 'message' as const, at: m.created_at, m })),
    ...(ticket.internal_notes as unknown as Note[]).map((n) => ({
      kind: 'note' as const,
      at: n.created_at,
      n,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  return (
    <article className="ticket" aria-labelledby="ticket-title">
      <p>
        <Link to="/">← {t.ticket.back}</Link>
      </p>
      <header className="ticket-head">
        <h1 id="ticket-title">
          #{ticket.number} {ticket.subject}
        </h1>
        <div className="badges">
          <StatusBadge status={ticket.status} />
          <PriorityBadge priority={ticket.priority} />
          <SlaBadge state={ticket.sla?.state} />
          {ticket.escalated && <span className="badge escalated">{t.ticket.escalated}</span>}
          <span className="muted">{t.ticket.version(ticket.version)}</span>
          {live && (
            <span className="muted" role="status">
              {t.ticket.liveUpdated}
            </span>
          )}
        </div>
        <p className="muted">
          {ticket.requester.name} &lt;{ticket.requester.email}&gt; · {formatDate(ticket.created_at)}{' '}
          · {t.ticket.shortcuts}
        </p>
      </header>
      <ErrorNote message={action.error} />
      <div className="ticket-grid">
        <div className="ticket-main">
          <section aria-labelledby="conversation-title">
            <h2 id="conversation-title">{t.ticket.conversation}</h2>
            <ol className="thread">
              {conversation.map((entry) =>
                entry.kind === 'message' ? (
                  <li key={entry.m.id} className={`msg msg-${entry.m.sender_type}`}>
                    <p className="meta">
                      <strong>{entry.m.sender?.name ?? t.ticket[entry.m.sender_type]}</strong> ·{' '}
                      {t.ticket[entry.m.sender_type]} · {formatDate(entry.m.created_at)}
                    </p>
                    <p className="body">{entry.m.body}</p>
                  </li>
                ) : (
                  <li key={entry.n.id} className="msg note">
                    <p className="meta">
                      <strong>{t.ticket.internalNote}</strong> · {entry.n.author.name} ·{' '}
                      {formatDate(entry.n.created_at)}
                    </p>
                    <p className="body">{entry.n.body}</p>
                  </li>
                ),
              )}
            </ol>
          </section>
          <ReplyForm ticket={ticket} textRef={replyRef} onDone={reload} />
          <NoteForm ticketId={id} textRef={noteRef} onDone={reload} />
          <Attachments ticket={ticket} onDone={reload} />
        </div>
        <aside className="ticket-side">
          <StatusMoves ticket={ticket} onDone={reload} />
          <section aria-labelledby="assignee-title">
            <h2 id="assignee-title">{t.ticket.assignee}</h2>
            <p>{ticket.assignee?.name ?? t.inbox.unassigned}</p>
            <div className="row">
              {ticket.assignee?.id !== user.id && (
                <button onClick={assignMe}>{t.ticket.assignMe}</button>
              )}
              {ticket.assignee &&
                (ticket.assignee.id === user.id || atLeast(user, 'support_manager')) && (
                  <button
                    onClick={() =>
                      void action.run(async () => {
                        must(
                          await api.PATCH('/api/v1/admin/tickets/{id}/assignee', {
                            params: { path: { id } },
                            body: { assignee_id: null },
                          }),
                        );
                        reload();
                      })
                    }
                  >
                    {t.ticket.unassign}
                  </button>
                )}
            </div>
            {staff.length > 0 && (
              <Field label={t.ticket.assignTo}>
                <select
                  value={ticket.assignee?.id ?? ''}
                  onChange={(e) =>
                    void action.run(async () => {
                      must(
                        await api.PATCH('/api/v1/admin/tickets/{id}/assignee', {
                          params: { path: { id } },
                          body: { assignee_id: e.target.value || null },
                        }),
                      );
                      reload();
                    })
                  }
                >
                  <option value="">{t.inbox.unassigned}</option>
                  {staff.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </section>
          <SlaPanel ticket={ticket} />
          <EditForm ticket={ticket} onDone={reload} />
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t.ticket.timeline}</h2>
            <p>{timeline?.summary}</p>
            <ol className="timeline">
              {(timeline?.events ?? []).map((e) => (
                <li key={e.id}>
                  <time dateTime={e.occurred_at}>{formatDate(e.occurred_at)}</time> {e.action}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </article>
  );
}

function SlaPanel({ ticket }: { ticket: StaffTicketDetail }) {
  const sla = ticket.sla;
  if (!sla) return null;
  return (
    <section aria-labelledby="sla-title">
      <h2 id="sla-title">{t.ticket.sla}</h2>
      <dl className="facts">
        <dt>{t.ticket.firstResponseDue}</dt>
        <dd className={sla.first_response_breached ? 'breached' : undefined}>
          {ticket.first_responded_at
            ? `✓ ${formatDate(ticket.first_responded_at)}`
            : formatDate(sla.first_response_due_at)}
        </dd>
        <dt>{t.ticket.resolutionDue}</dt>
        <dd className={sla.resolution_breached ? 'breached' : undefined}>
          {formatDate(sla.resolution_due_at)} {sla.paused ? `(${t.ticket.paused})` : ''}
        </dd>
      </dl>
    </section>
  );
}

function StatusMoves({ ticket, onDone }: { ticket: StaffTicketDetail; onDone: () => void }) {
  const user = useUser();
  const action = useAction();
  const [resolving, setResolving] = useState(false);
  const move = (status: Status, resolution_notes?: string) =>
    void action.run(async () => {
      must(
        await api.PATCH('/api/v1/admin/tickets/{id}/status', {
          params: { path: { id: ticket.id } },
          headers: ifMatch(ticket.version),
          body: { status, ...(resolution_notes ? { resolution_notes } : {}) },
        }),
      );
      setResolving(false);
      onDone();
    });
  return (
    <section aria-labelledby="status-title">
      <h2 id="status-title">{t.ticket.moveTo}</h2>
      <div className="row wrap">
        {movesFrom(ticket.status, user.role).map((to) => (
          <button
            key={to}
            onClick={() => (to === 'resolved' ? setResolving(true) : move(to))}
            disabled={action.busy}
          >
            {t.status[to]}
          </button>
        ))}
      </div>
      {resolving && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            move('resolved', String(new FormData(e.currentTarget).get('notes')));
          }}
        >
          <Field label={t.ticket.resolutionNotes}>
            <textarea name="notes" required rows={3} />
          </Field>
          <div className="row">
            <button type="submit" className="primary">
              {t.status.resolved}
            </button>
            <button type="button" onClick={() => setResolving(false)}>
              {t.cancel}
            </button>
          </div>
        </form>
      )}
      <ErrorNote message={action.error} />
    </section>
  );
}

function ReplyForm(props: {
  ticket: StaffTicketDetail;
  textRef: React.RefObject<HTMLTextAreaElement | null>;
  onDone: () => void;
}) {
  const user = useUser();
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const status = String(form.get('status') ?? '') as Status | '';
    void action.run(async () => {
      must(
        await api.POST('/api/v1/admin/tickets/{id}/replies', {
          params: { path: { id: props.ticket.id } },
          body: { body: String(form.get('body')), ...(status ? { status } : {}) },
        }),
      );
      formElement.reset();
      props.onDone();
    });
  };
  if (props.ticket.status === 'closed') return null;
  return (
    <form className="stack card" onSubmit={submit} aria-labelledby="reply-title">
      <h2 id="reply-title">{t.ticket.reply}</h2>
      <Field label={t.ticket.replyLabel}>
        <textarea ref={props.textRef} name="body" required rows={4} />
      </Field>
      <Field label={t.ticket.statusAfter}>
        <select name="status" defaultValue="">
          <option value="">{t.ticket.keep}</option>
          {movesFrom(props.ticket.status, user.role)
            .filter((s) => s !== 'resolved' && s !== 'closed')
            .map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
        </select>
      </Field>
      <ErrorNote message={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t.ticket.send}
      </button>
    </form>
  );
}

function NoteForm(props: {
  ticketId: string;
  textRef: React.RefObject<HTMLTextAreaElement | null>;
  onDone: () => void;
}) {
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const body = String(new FormData(formElement).get('body'));
    void action.run(async () => {
      must(
        await api.POST('/api/v1/admin/tickets/{id}/notes', {
          params: { path: { id: props.ticketId } },
          body: { body },
        }),
      );
      formElement.reset();
      props.onDone();
    });
  };
  return (
    <form className="stack card note-form" onSubmit={submit} aria-labelledby="note-title">
      <h2 id="note-title">{t.ticket.note}</h2>
      <Field label={t.ticket.noteLabel}>
        <textarea ref={props.textRef} name="body" required rows={3} />
      </Field>
      <ErrorNote message={action.error} />
      <button type="submit" disabled={action.busy}>
        {t.ticket.addNote}
      </button>
    </form>
  );
}

/** Downloads an attachment's bytes with the session's credentials into an object URL. */
async function blobUrl(attachment: Attachment): Promise<string> {
  const response = await authorizedFetch(session, onThisOrigin(attachment.download_url));
  if (!response.ok) throw new Error(`${response.status}`);
  return URL.createObjectURL(await response.blob());
}

function Attachments({ ticket, onDone }: { ticket: StaffTicketDetail; onDone: () => void }) {
  const action = useAction();
  const [preview, setPreview] = useState<{ url: string; attachment: Attachment }>();
  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const input = new FormData(formElement);
    const form = new FormData();
    form.append('visibility', String(input.get('visibility')));
    for (const file of input.getAll('files')) form.append('files', file);
    void action.run(async () => {
      const response = await authorizedFetch(
        session,
        `/api/v1/admin/tickets/${ticket.id}/attachments`,
        { method: 'POST', body: form },
      );
      if (!response.ok) throw new ApiError(response.status, await response.json());
      formElement.reset();
      onDone();
    });
  };
  const download = (attachment: Attachment) =>
    void action.run(async () => {
      const url = await blobUrl(attachment);
      const a = document.createElement('a');
      a.href = url;
      a.download = attachment.file_name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  const show = (attachment: Attachment) =>
    void action.run(async () => setPreview({ url: await blobUrl(attachment), attachment }));
  return (
    <section className="card" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t.ticket.attachments}</h2>
      <ul className="attachments">
        {ticket.attachments.map((a) => (
          <li key={a.id}>
            <span>
              {a.file_name} ({Math.ceil(a.size / 1024)} kB, {a.content_type},{' '}
              {a.visibility === 'internal' ? t.ticket.internal : t.ticket.public})
            </span>
            <button onClick={() => download(a)}>
              {t.ticket.download} <span className="sr-only">{a.file_name}</span>
            </button>
            {(a.content_type.startsWith('image/') || a.content_type === 'application/pdf') && (
              <button onClick={() => show(a)}>
                {t.ticket.preview} <span className="sr-only">{a.file_name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {preview && (
        <figure className="preview">
          {preview.attachment.content_type === 'application/pdf' ? (
            <iframe src={preview.url} title={preview.attachment.file_name} />
          ) : (
            <img src={preview.url} alt={preview.attachment.file_name} />
          )}
          <figcaption>
            {preview.attachment.file_name}{' '}
            <button onClick={() => setPreview(undefined)}>{t.ticket.closePreview}</button>
          </figcaption>
        </figure>
      )}
      <form className="row wrap" onSubmit={upload}>
        <Field label={t.ticket.files}>
          <input type="file" name="files" multiple required />
        </Field>
        <Field label={t.ticket.visibility}>
          <select name="visibility" defaultValue="public">
            <option value="public">{t.ticket.public}</option>
            <option value="internal">{t.ticket.internal}</option>
          </select>
        </Field>
        <button type="submit" disabled={action.busy}>
          {t.ticket.upload}
        </button>
      </form>
      <ErrorNote message={action.error} />
    </section>
  );
}

type Editable = Pick<StaffTicketDetail, 'priority' | 'category' | 'tags' | 'custom_fields'>;

function parseFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return fields;
}
const showFields = (fields: unknown) =>
  Object.entries((fields ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n');
const show = (key: keyof Editable, value: unknown): string =>
  key === 'tags'
    ? ((value as string[]) ?? []).join(', ')
    : key === 'custom_fields'
      ? showFields(value)
      : String(value ?? '');

/**
 * Priority, category, tags and custom fields, saved with `If-Match` on the version the agent
 * started from. A 412 shows what changed meanwhile, field by field, and lets the agent apply
 * their edit to the new version or drop it.
 */
function EditForm({ ticket, onDone }: { ticket: StaffTicketDetail; onDone: () => void }) {
  const user = useUser();
  const action = useAction();
  const [base, setBase] = useState(ticket);
  const [generation, setGeneration] = useState(0);
  const [conflict, setConflict] = useState<{ latest: StaffTicketDetail; patch: TicketPatch }>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (ticket.id !== base.id) setBase(ticket);
  }, [ticket, base.id]);

  const save = (patch: TicketPatch, version: number) =>
    action.run(async () => {
      const result = await api.PATCH('/api/v1/admin/tickets/{id}', {
        params: { path: { id: ticket.id } },
        headers: ifMatch(version),
        body: patch,
      });
      if (result.response.status === 412) {
        const latest = must(
          await api.GET('/api/v1/admin/tickets/{id}', { params: { path: { id: ticket.id } } }),
        );
        setConflict({ latest, patch });
        return;
      }
      const updated = must(result);
      setConflict(undefined);
      setBase({ ...ticket, ...updated, requester: ticket.requester });
      setGeneration((g) => g + 1);
      setSaved(true);
      onDone();
    });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const next: Editable = {
      priority: String(form.get('priority') ?? base.priority) as Editable['priority'],
      category: String(form.get('category') ?? '') || null,
      tags: String(form.get('tags') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      custom_fields: parseFields(String(form.get('custom_fields') ?? '')),
    };
    const patch: Record<string, unknown> = {};
    for (const key of Object.keys(next) as (keyof Editable)[]) {
      if (show(key, next[key]) !== show(key, base[key])) patch[key] = next[key];
    }
    if (!atLeast(user, 'support_manager')) delete patch.priority;
    if (Object.keys(patch).length) void save(patch as TicketPatch, base.version);
  };

  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">{t.ticket.details}</h2>
      {conflict && (
        <div role="alert" className="conflict">
          <h3>{t.ticket.conflictTitle}</h3>
          <p>{t.ticket.conflictBody}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.ticket.field}</th>
                <th scope="col">{t.ticket.theirs}</th>
                <th scope="col">{t.ticket.mine}</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(conflict.patch) as (keyof Editable)[]).map((key) => (
                <tr
                  key={key}
                  className={
                    show(key, conflict.latest[key]) !== show(key, base[key]) ? 'changed' : undefined
                  }
                >
                  <th scope="row">{key}</th>
                  <td>{show(key, conflict.latest[key])}</td>
                  <td>{show(key, conflict.patch[key as keyof TicketPatch])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button
              className="primary"
              onClick={() => void save(conflict.patch, conflict.latest.version)}
            >
              {t.ticket.retryMine}
            </button>
            <button
              onClick={() => {
                setBase(conflict.latest);
                setConflict(undefined);
                setGeneration((g) => g + 1);
                onDone();
              }}
            >
              {t.ticket.discardMine}
            </button>
          </div>
        </div>
      )}
      <form className="stack" onSubmit={submit} key={`${base.id}-${generation}`}>
        <Field label={t.ticket.priority}>
          <select
            name="priority"
            defaultValue={base.priority}
            disabled={!atLeast(user, 'support_manager')}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t.priority[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.ticket.category}>
          <input name="category" defaultValue={base.category ?? ''} />
        </Field>
        <Field label={t.ticket.tags}>
          <input name="tags" defaultValue={base.tags.join(', ')} />
        </Field>
        <Field label={t.ticket.customFields}>
          <textarea name="custom_fields" rows={3} defaultValue={showFields(base.custom_fields)} />
        </Field>
        <ErrorNote message={action.error} />
        {saved && <p role="status">{t.ticket.saved}</p>}
        <button type="submit" className="primary" disabled={action.busy}>
          {t.save}
        </button>
      </form>
    </section>
  );
}
