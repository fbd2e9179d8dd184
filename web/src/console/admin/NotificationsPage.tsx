import { useState } from 'react';
import { must } from '../../api/client';
import { formatDate, t } from '../../strings';
import { ErrorNote, Field, Pager } from '../../ui/components';
import { useAction, useLoad } from '../../ui/hooks';
import { api } from '../context';

export default function NotificationsPage() {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [queued, setQueued] = useState<string>();
  const action = useAction();
  const list = useLoad(
    async () =>
      must(
        await api.GET('/api/v1/admin/notifications', {
          params: {
            query: { status: (status || undefined) as 'failed' | undefined, page, limit: 50 },
          },
        }),
      ),
    [status, page],
  );
  const retry = (id: string) =>
    void action.run(async () => {
      must(await api.POST('/api/v1/admin/notifications/{id}/retry', { params: { path: { id } } }));
      setQueued(id);
      list.reload();
    });
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t.notifications.title}</h1>
      <Field label={t.notifications.status}>
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t.inbox.any}</option>
          <option value="pending">pending</option>
          <option value="sent">sent</option>
          <option value="failed">failed</option>
        </select>
      </Field>
      <ErrorNote message={list.error ?? action.error} />
      {queued && <p role="status">{t.notifications.queued}</p>}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.notifications.event}</th>
              <th scope="col">{t.notifications.recipient}</th>
              <th scope="col">{t.notifications.subject}</th>
              <th scope="col">{t.notifications.status}</th>
              <th scope="col">{t.notifications.attempts}</th>
              <th scope="col">{t.audit.when}</th>
              <th scope="col">{t.retry}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((n) => (
              <tr key={n.id}>
                <td>{n.event}</td>
                <td>{n.recipient}</td>
                <td>{n.subject}</td>
                <td>
                  {n.status}
                  {n.last_error ? ` — ${n.last_error}` : ''}
                </td>
                <td>{n.attempts}</td>
                <td>{formatDate(n.created_at)}</td>
                <td>
                  {n.status === 'failed' && <button onClick={() => retry(n.id)}>{t.retry}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && <Pager page={page} pages={list.data.total_pages} onPage={setPage} />}
    </section>
  );
}
