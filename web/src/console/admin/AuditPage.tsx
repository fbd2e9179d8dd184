import { useState, type FormEvent } from 'react';
import { must } from '../../api/client';
import { formatDate, t } from '../../strings';
import { ErrorNote, Field, Pager } from '../../ui/components';
import { useAction, useLoad } from '../../ui/hooks';
import { api, atLeast, useUser } from '../context';

export default function AuditPage() {
  const user = useUser();
  const [filters, setFilters] = useState({ action: '', resource_id: '' });
  const [page, setPage] = useState(1);
  const [verdict, setVerdict] = useState<string>();
  const action = useAction();
  const list = useLoad(
    async () =>
      must(
        await api.GET('/api/v1/admin/audit-logs', {
          params: {
            query: {
              action: (filters.action || undefined) as never,
              resource_id: filters.resource_id || undefined,
              page,
              limit: 50,
            },
          },
        }),
      ),
    [filters, page],
  );
  const verify = () =>
    void action.run(async () => {
      const result = must(await api.GET('/api/v1/admin/audit-logs/verify')) as {
        valid: boolean;
        checked?: number;
        first_invalid_id?: string;
      };
      setVerdict(
        result.valid
          ? t.audit.valid(result.checked ?? 0)
          : t.audit.invalid(result.first_invalid_id ?? '?'),
      );
    });
  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPage(1);
    setFilters({
      action: String(form.get('action')),
      resource_id: String(form.get('resource_id')),
    });
  };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t.audit.title}</h1>
      <form className="filters" onSubmit={filter}>
        <Field label={t.audit.action}>
          <input name="action" placeholder="ticket.reply" />
        </Field>
        <Field label={t.audit.resource}>
          <input name="resource_id" />
        </Field>
        <button type="submit">{t.apply}</button>
        {atLeast(user, 'admin') && (
          <button type="button" onClick={verify} disabled={action.busy}>
            {t.audit.verify}
          </button>
        )}
      </form>
      {verdict && <p role="status">{verdict}</p>}
      <ErrorNote message={list.error ?? action.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.audit.when}</th>
              <th scope="col">{t.audit.actor}</th>
              <th scope="col">{t.audit.action}</th>
              <th scope="col">{t.audit.resource}</th>
              <th scope="col">{t.audit.changes}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{formatDate(e.occurred_at)}</td>
                <td>
                  {e.actor.type} {e.actor.role ?? ''}
                </td>
                <td>{e.action}</td>
                <td>
                  {e.resource_type} {e.resource_id?.slice(0, 8)}
                </td>
                <td>
                  <code>{JSON.stringify(e.changes ?? {})}</code>
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
