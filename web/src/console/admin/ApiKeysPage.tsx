import { useState, type FormEvent } from 'react';
import { must } from '../../api/client';
import { formatDate, t } from '../../strings';
import { ErrorNote, Field } from '../../ui/components';
import { useAction, useLoad } from '../../ui/hooks';
import { api } from '../context';

export default function ApiKeysPage() {
  const action = useAction();
  const [created, setCreated] = useState<string>();
  const keys = useLoad(async () => must(await api.GET('/api/v1/admin/api-keys')), []);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    void action.run(async () => {
      const key = must(
        await api.POST('/api/v1/admin/api-keys', {
          body: { name: String(form.get('name')), role: String(form.get('role')) as 'support' },
        }),
      );
      setCreated(key.key);
      el.reset();
      keys.reload();
    });
  };
  const revoke = (id: string) =>
    void action.run(async () => {
      must(await api.DELETE('/api/v1/admin/api-keys/{id}', { params: { path: { id } } }));
      keys.reload();
    });
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t.apiKeys.title}</h1>
      <ErrorNote message={keys.error ?? action.error} />
      {created && (
        <div role="status" className="secret">
          <p>{t.apiKeys.shownOnce}</p>
          <code>{created}</code>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.apiKeys.name}</th>
              <th scope="col">{t.apiKeys.role}</th>
              <th scope="col">{t.apiKeys.created}</th>
              <th scope="col">{t.apiKeys.revoke}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data?.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.role}</td>
                <td>{formatDate(k.created_at)}</td>
                <td>
                  <button onClick={() => revoke(k.id)}>
                    {t.apiKeys.revoke} <span className="sr-only">{k.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="row wrap card" onSubmit={create}>
        <Field label={t.apiKeys.name}>
          <input name="name" required />
        </Field>
        <Field label={t.apiKeys.role}>
          <select name="role">
            {['support', 'support_manager', 'admin'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary" disabled={action.busy}>
          {t.create}
        </button>
      </form>
    </section>
  );
}
