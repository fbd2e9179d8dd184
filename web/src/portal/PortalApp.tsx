import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Link, Navigate, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { ApiError, authorizedFetch, must, onThisOrigin } from '../api/client';
import type { CustomerTicket } from '../api/types';
import { formatDate, t } from '../strings';
import { ErrorNote, Field, StatusBadge } from '../ui/components';
import { useAction, useLoad } from '../ui/hooks';
import { api, rememberTicketToken, session, takeLinkToken, ticketHeaders } from './context';

const subscribe = (listener: () => void) => session.subscribe(listener);
const snapshot = () => sessionStorage.getItem('helpdesk.portal');

/** The customer portal: customer endpoints only, so nothing staff-only can reach it. */
export function PortalApp() {
  useSyncExternalStore(subscribe, snapshot);
  const user = session.user;
  return (
    <>
      <a className="skip" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <strong className="brand">{t.portalName}</strong>
        {user && (
          <>
            <nav aria-label={t.nav.label}>
              <ul>
                <li>
                  <Link to="/">{t.portal.myTickets}</Link>
                </li>
              </ul>
            </nav>
            <span className="who">{user.name}</span>
            <button
              onClick={() =>
                void api
                  .POST('/api/v1/auth/logout')
                  .catch(() => undefined)
                  .then(() => session.clear())
              }
            >
              {t.signOut}
            </button>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1} className="portal">
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/tickets/:id" element={<ThreadPage />} />
          <Route path="/" element={user ? <MyTicketsPage /> : <Navigate to="/sign-in" replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </>
  );
}

function SignInPage() {
  const navigate = useNavigate();
  const action = useAction();
  const [sent, setSent] = useState(false);
  const [linkToken] = useState(takeLinkToken);
  const verifying = useRef(false);
  useEffect(() => {
    if (!linkToken || verifying.current) return;
    verifying.current = true;
    void action
      .run(async () => {
        const result = await api.POST('/api/v1/auth/magic-link/verify', {
          body: { token: linkToken },
        });
        if (!result.response.ok) throw new Error(t.portal.linkInvalid);
        session.store(must(result));
      })
      .then((ok) => ok && navigate('/', { replace: true }));
  }, [linkToken, action, navigate]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email'));
    void action.run(async () => {
      const result = await api.POST('/api/v1/auth/magic-link', { body: { email } });
      if (!result.response.ok) throw new ApiError(result.response.status, result.error ?? {});
      setSent(true);
    });
  };
  if (session.user) return <Navigate to="/" replace />;
  return (
    <section className="narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">{t.portal.signInTitle}</h1>
      {linkToken && action.busy && <p role="status">{t.portal.verifying}</p>}
      <ErrorNote message={action.error} />
      {sent ? (
        <p role="status">{t.portal.linkSent}</p>
      ) : (
        <form className="stack" onSubmit={submit}>
          <Field label={t.email}>
            <input name="email" type="email" autoComplete="email" required />
          </Field>
          <button type="submit" className="primary" disabled={action.busy}>
            {t.portal.sendLink}
          </button>
        </form>
      )}
    </section>
  );
}

function MyTicketsPage() {
  const navigate = useNavigate();
  const action = useAction();
  const list = useLoad(
    async () => must(await api.GET('/api/v1/portal/tickets', { params: { query: { limit: 50 } } })),
    [],
  );
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const user = session.user!;
    void action.run(async () => {
      const created = must(
        await api.POST('/api/v1/tickets', {
          body: {
            name: user.name,
            email: user.email,
            subject: String(form.get('subject')),
            message: String(form.get('message')),
            priority: 'normal',
          },
        }),
      );
      navigate(`/tickets/${created.ticket.id}`);
    });
  };
  return (
    <>
      <section aria-labelledby="mine-title">
        <h1 id="mine-title">{t.portal.myTickets}</h1>
        <ErrorNote message={list.error} />
        {list.data?.items.length === 0 && <p>{t.portal.noTickets}</p>}
        <ul className="cards">
          {list.data?.items.map((ticket) => (
            <li key={ticket.id} className="card">
              <Link to={`/tickets/${ticket.id}`}>
                #{ticket.number} {ticket.subject}
              </Link>{' '}
              <StatusBadge status={ticket.status} />
              <p className="muted">{t.portal.openedOn(formatDate(ticket.created_at))}</p>
            </li>
          ))}
        </ul>
      </section>
      <form className="stack card" onSubmit={create} aria-labelledby="new-title">
        <h2 id="new-title">{t.portal.newTicket}</h2>
        <Field label={t.portal.subject}>
          <input name="subject" required maxLength={200} />
        </Field>
        <Field label={t.portal.message}>
          <textarea name="message" required rows={5} maxLength={10000} />
        </Field>
        <ErrorNote message={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {t.portal.submit}
        </button>
      </form>
    </>
  );
}

const POLL_MS = 3000;

function ThreadPage() {
  const { id = '' } = useParams();
  const [ready] = useState(() => {
    const token = takeLinkToken();
    if (token) rememberTicketToken(id, token);
    return true;
  });
  const ticket = useLoad(
    async () =>
      must(
        await api.GET('/api/v1/portal/tickets/{id}', {
          params: { path: { id } },
          headers: ticketHeaders(id),
        }),
      ),
    [id, ready],
  );
  // The API has no customer event stream: a visible thread asks again every few seconds.
  const { reload } = ticket;
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === 'visible' && reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const data = ticket.data;
  if (!data) return ticket.error ? <ErrorNote message={ticket.error} /> : <p>{t.loading}</p>;
  return (
    <article aria-labelledby="thread-title">
      {session.user && (
        <p>
          <Link to="/">← {t.portal.back}</Link>
        </p>
      )}
      <h1 id="thread-title">
        #{data.number} {data.subject}
      </h1>
      <p>
        <StatusBadge status={data.status} />{' '}
        <span className="muted">{t.portal.openedOn(formatDate(data.created_at))}</span>
      </p>
      <ol className="thread" aria-live="polite">
        {data.messages?.map((m) => (
          <li key={m.id} className={`msg msg-${m.sender_type}`}>
            <p className="meta">
              <strong>
                {m.sender_type === 'customer' ? t.portal.you : (m.sender?.name ?? t.portal.support)}
              </strong>{' '}
              · {formatDate(m.created_at)}
            </p>
            <p className="body">{m.body}</p>
          </li>
        ))}
      </ol>
      <PublicAttachments ticket={data} />
      {data.resolution_notes && <p className="card">{data.resolution_notes}</p>}
      {data.status !== 'closed' && <ReplyForm ticketId={id} onDone={reload} />}
      {(data.status === 'resolved' || data.status === 'closed') && (
        <RatingForm ticket={data} onDone={reload} />
      )}
    </article>
  );
}

function PublicAttachments({ ticket }: { ticket: CustomerTicket }) {
  const action = useAction();
  const list = ticket.attachments ?? [];
  if (!list.length) return null;
  const download = (url: string, name: string) =>
    void action.run(async () => {
      const response = await authorizedFetch(session, onThisOrigin(url), {
        headers: ticketHeaders(ticket.id),
      });
      if (!response.ok) throw new Error(String(response.status));
      const href = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = href;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    });
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">{t.ticket.attachments}</h2>
      <ul className="attachments">
        {list.map((a) => (
          <li key={a.id}>
            {a.file_name}{' '}
            <button onClick={() => download(a.download_url, a.file_name)}>
              {t.ticket.download} <span className="sr-only">{a.file_name}</span>
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote message={action.error} />
    </section>
  );
}

function ReplyForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
    void action.run(async () => {
      const message = must(
        await api.POST('/api/v1/portal/tickets/{id}/messages', {
          params: { path: { id: ticketId } },
          headers: ticketHeaders(ticketId),
          body: { body: String(form.get('body')) },
        }),
      );
      if (files.length) {
        const upload = new FormData();
        upload.append('message_id', message.id);
        for (const file of files) upload.append('files', file);
        const response = await authorizedFetch(
          session,
          `/api/v1/portal/tickets/${ticketId}/attachments`,
          {
            method: 'POST',
            body: upload,
            headers: ticketHeaders(ticketId),
          },
        );
        if (!response.ok) throw new ApiError(response.status, await response.json());
      }
      el.reset();
      onDone();
    });
  };
  return (
    <form className="stack card" onSubmit={submit} aria-labelledby="reply-title">
      <h2 id="reply-title">{t.portal.reply}</h2>
      <Field label={t.portal.reply}>
        <textarea name="body" required rows={4} />
      </Field>
      <Field label={t.portal.attach}>
        <input type="file" name="files" multiple />
      </Field>
      <ErrorNote message={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t.portal.send}
      </button>
    </form>
  );
}

function RatingForm({ ticket, onDone }: { ticket: CustomerTicket; onDone: () => void }) {
  const action = useAction();
  const [done, setDone] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run(async () => {
      must(
        await api.POST('/api/v1/portal/tickets/{id}/rating', {
          params: { path: { id: ticket.id } },
          headers: ticketHeaders(ticket.id),
          body: {
            score: Number(form.get('score')),
            comment: String(form.get('comment') ?? '') || undefined,
          },
        }),
      );
      setDone(true);
      onDone();
    });
  };
  if (done) return <p role="status">{t.portal.thanks}</p>;
  return (
    <form className="stack card" onSubmit={submit} aria-labelledby="rate-title">
      <h2 id="rate-title">{t.portal.rateTitle}</h2>
      <Field label={t.portal.score}>
        <select name="score" defaultValue={String(ticket.rating?.score ?? 5)}>
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </Field>
      <Field label={t.portal.comment}>
        <textarea name="comment" rows={2} />
      </Field>
      <ErrorNote message={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t.portal.rate}
      </button>
    </form>
  );
}
