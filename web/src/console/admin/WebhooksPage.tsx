import { useState, type FormEvent } from 'react';
import { must } from '../../api/client';
import { formatDate, t } from '../../strings';
import { ErrorNote, Field } from '../../ui/components';
import { useAction, useLoad } from '../../ui/hooks';
import { api } from '../context';

export default function WebhooksPage() {
  const action = useAction();
  const [secret, setSecret] = useState<string>();
  const [open, setOpen] = useState<string>();
  const hooks = useLoad(async () => must(await api.GET('/api/v1/admin/webhooks')), []);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    const events = String(form.get('events'))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    void action.run(async () => {
      const hook = must(
        await api.POST('/api/v1/admin/webhooks', {
          body: {
            url: String(form.get('url')),
            events: events as never,
            description: String(form.get('description') ?? '') || undefined,
          },
        }),
      );
      setSecret(hook.secret);
      el.reset();
      hooks.reload();
    });
  };
  return (
    <section aria-labelledby="hooks-title">
      <h1 id="hooks-title">{t.webhooks.title}</h1>
      <ErrorNote message={hooks.error ?? action.error} />
      {secret && (
        <div role="status" className="secret">
          <p>{t.webhooks.secretOnce}</p>
          <code>{secret}</code>
        </div>
      )}
      <ul className="cards">
        {hooks.data?.items.map((h) => (
          <li key={h.id} className="card">
            <p>
              <strong>{h.url}</strong> — {h.events.join(', ')} {h.active ? '' : '(inactive)'}
            </p>
            <button
              aria-expanded={open === h.id}
              onClick={() => setOpen(open === h.id ? undefined : h.id)}
            >
              {t.webhooks.deliveries} <span className="sr-only">{h.url}</span>
            </button>
            {open === h.id && <Deliveries webhookId={h.id} />}
          </li>
        ))}
      </ul>
      <form className="stack card" onSubmit={create}>
        <Field label={t.webhooks.url}>
          <input name="url" type="url" required />
        </Field>
        <Field label={t.webhooks.events}>
          <input name="events" defaultValue="*" required />
        </Field>
        <Field label={t.webhooks.description}>
          <input name="description" />
        </Field>
        <button type="submit" className="primary" disabled={action.busy}>
          {t.create}
        </button>
      </form>
    </section>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const action = useAction();
  const list = useLoad(
    async () =>
      must(
        await api.GET('/api/v1/admin/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId } },
        }),
      ),
    [webhookId],
  );
  const redeliver = (deliveryId: string) =>
    void action.run(async () => {
      must(
        await api.POST('/api/v1/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: webhookId, deliveryId } },
        }),
      );
      list.reload();
    });
  return (
    <div className="table-wrap">
      <ErrorNote message={list.error ?? action.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t.webhooks.status}</th>
            <th scope="col">{t.webhooks.attempts}</th>
            <th scope="col">{t.webhooks.response}</th>
            <th scope="col">{t.audit.when}</th>
            <th scope="col">{t.webhooks.redeliver}</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((d) => (
            <tr key={d.id}>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>{d.response_status ?? d.last_error ?? '—'}</td>
              <td>{formatDate(d.delivered_at ?? d.next_attempt_at)}</td>
              <td>
                <button onClick={() => redeliver(d.id)}>{t.webhooks.redeliver}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
