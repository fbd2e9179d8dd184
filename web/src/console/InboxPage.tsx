import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { must } from '../api/client';
import { followEvents } from '../api/event-stream';
import type { Status } from '../api/types';
import { formatDate, t } from '../strings';
import { ErrorNote, Field, Pager, PriorityBadge, SlaBadge, StatusBadge } from '../ui/components';
import { useAction, useLoad, useShortcuts } from '../ui/hooks';
import { api, atLeast, session, useUser } from './context';
import { PRIORITIES, STATUSES } from './workflow';

const FILTERS = ['q', 'status', 'priority', 'assignee_id', 'sla', 'sort', 'page'] as const;

/** The ticket list: every filter lives in the URL, so a view can be bookmarked and shared. */
export function InboxPage() {
  const user = useUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const page = Number(params.get('page') ?? '1') || 1;
  const list = useLoad(async () => {
    const status = params.get('status');
    const priority = params.get('priority');
    return must(
      await api.GET('/api/v1/admin/tickets', {
        params: {
          query: {
            q: params.get('q') || undefined,
            status: status ? status.split(',') : undefined,
            priority: priority ? priority.split(',') : undefined,
            assignee_id: params.get('assignee_id') || undefined,
            sla: (params.get('sla') || undefined) as 'ok' | 'at_risk' | 'breached' | undefined,
            sort: params.get('sort') || undefined,
            page,
            limit: 25,
          },
        },
      }),
    );
  }, [params.toString()]);

  // Live: any event on the feed refreshes the current page (debounced).
  const { reload } = list;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = followEvents(session, () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 300);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [reload]);

  const items = list.data?.items ?? [];
  useShortcuts({
    '/': () => searchRef.current?.focus(),
    j: () => setCursor((c) => Math.min(c + 1, items.length - 1)),
    k: () => setCursor((c) => Math.max(c - 1, 0)),
    Enter: () => items[cursor] && navigate(`/tickets/${items[cursor].id}`),
    x: () => items[cursor] && toggle(items[cursor].id),
  });
  useEffect(() => {
    document.querySelector<HTMLElement>(`[data-row="${cursor}"] a`)?.focus();
  }, [cursor]);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of FILTERS) {
      const value = String(form.get(key) ?? '');
      if (value && key !== 'page') next.set(key, value);
    }
    setParams(next);
  };
  const goPage = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    setParams(next);
  };

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t.inbox.title}</h1>
      <form className="filters" onSubmit={applyFilters} key={params.toString()}>
        <Field label={t.inbox.search}>
          <input ref={searchRef} name="q" type="search" defaultValue={params.get('q') ?? ''} />
        </Field>
        <Field label={t.inbox.status}>
          <select name="status" defaultValue={params.get('status') ?? ''}>
            <option value="">{t.inbox.any}</option>
            <option value="open,in_progress,pending">
              {t.status.open} / {t.status.in_progress} / {t.status.pending}
            </option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.inbox.priority}>
          <select name="priority" defaultValue={params.get('priority') ?? ''}>
            <option value="">{t.inbox.any}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t.priority[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.inbox.assignee}>
          <select name="assignee_id" defaultValue={params.get('assignee_id') ?? ''}>
            <option value="">{t.inbox.any}</option>
            <option value="me">{t.inbox.me}</option>
            <option value="none">{t.inbox.unassigned}</option>
          </select>
        </Field>
        <Field label={t.inbox.slaFilter}>
          <select name="sla" defaultValue={params.get('sla') ?? ''}>
            <option value="">{t.inbox.any}</option>
            {['ok', 'at_risk', 'breached'].map((s) => (
              <option key={s} value={s}>
                {t.sla[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.inbox.sort}>
          <select name="sort" defaultValue={params.get('sort') ?? '-created_at'}>
            {Object.entries(t.inbox.sorts).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary">
          {t.apply}
        </button>
      </form>
      <p className="muted">
        {list.data && t.inbox.total(list.data.total, Boolean(list.data.total_is_estimate))} ·{' '}
        <span aria-live="polite">{t.inbox.live}</span> · {t.inbox.shortcuts}
      </p>
      <ErrorNote message={list.error} />
      {atLeast(user, 'support_manager') && selected.size > 0 && (
        <BulkBar ids={[...selected]} onDone={list.reload} />
      )}
      <div className="table-wrap">
        <table className="tickets">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t.inbox.selectAll}
                  checked={items.length > 0 && items.every((i) => selected.has(i.id))}
                  onChange={(e) =>
                    setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())
                  }
                />
              </th>
              <th scope="col">{t.inbox.number}</th>
              <th scope="col">{t.inbox.subject}</th>
              <th scope="col">{t.inbox.status}</th>
              <th scope="col">{t.inbox.priority}</th>
              <th scope="col">{t.inbox.slaFilter}</th>
              <th scope="col">{t.inbox.requester}</th>
              <th scope="col">{t.inbox.assignee}</th>
              <th scope="col">{t.inbox.updated}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((ticket, index) => (
              <tr
                key={ticket.id}
                data-row={index}
                className={index === cursor ? 'cursor' : undefined}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={t.inbox.select(ticket.number)}
                    checked={selected.has(ticket.id)}
                    onChange={() => toggle(ticket.id)}
                  />
                </td>
                <td>{ticket.number}</td>
                <td>
                  <Link to={`/tickets/${ticket.id}`} onFocus={() => setCursor(index)}>
                    {ticket.subject}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={ticket.status} />
                </td>
                <td>
                  <PriorityBadge priority={ticket.priority} />
                </td>
                <td>
                  <SlaBadge state={ticket.sla?.state} />
                </td>
                <td>{ticket.requester.name}</td>
                <td>{ticket.assignee?.name ?? '—'}</td>
                <td>{formatDate(ticket.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.loading && items.length === 0 && <p>{t.inbox.empty}</p>}
      {list.data && <Pager page={page} pages={list.data.total_pages} onPage={goPage} />}
    </section>
  );
}

function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const user = useUser();
  const action = useAction();
  const [kind, setKind] = useState('status');
  const [result, setResult] = useState<{
    succeeded: string[];
    failed: { id: string; code: string; message: string }[];
  }>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('value') ?? '');
    const request =
      kind === 'status'
        ? { action: 'status' as const, parameters: { status: value as Status } }
        : kind === 'priority'
          ? { action: 'priority' as const, parameters: { priority: value } }
          : kind === 'assign'
            ? { action: 'assign' as const, parameters: { assignee_id: user.id } }
            : {
                action: 'add_tags' as const,
                parameters: { tags: value.split(',').map((s) => s.trim()) },
              };
    void action.run(async () => {
      const body = { ticket_ids: ids, ...request } as never;
      setResult(must(await api.POST('/api/v1/admin/tickets/bulk', { body })));
      onDone();
    });
  };
  return (
    <form className="bulk" onSubmit={submit} aria-label={t.bulk.title(ids.length)}>
      <strong>{t.bulk.title(ids.length)}</strong>
      <Field label={t.bulk.action}>
        <select value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="status">{t.bulk.setStatus}</option>
          <option value="priority">{t.bulk.setPriority}</option>
          <option value="assign">{t.bulk.assignMe}</option>
          <option value="add_tags">{t.bulk.addTags}</option>
        </select>
      </Field>
      {kind === 'status' && (
        <Field label={t.bulk.value}>
          <select name="value">
            {STATUSES.filter((s) => s !== 'resolved').map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        </Field>
      )}
      {kind === 'priority' && (
        <Field label={t.bulk.value}>
          <select name="value">
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t.priority[p]}
              </option>
            ))}
          </select>
        </Field>
      )}
      {kind === 'add_tags' && (
        <Field label={t.bulk.value}>
          <input name="value" required />
        </Field>
      )}
      <button type="submit" className="primary" disabled={action.busy}>
        {t.bulk.run}
      </button>
      <ErrorNote message={action.error} />
      {result && (
        <div role="status" className="bulk-result">
          <p>{t.bulk.results(result.succeeded.length, result.failed.length)}</p>
          <ul>
            {result.failed.map((f) => (
              <li key={f.id}>
                {f.id}: {f.code} — {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
