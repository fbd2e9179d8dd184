import { useState, type FormEvent } from 'react';
import { must } from '../../api/client';
import type { Role } from '../../api/types';
import { t } from '../../strings';
import { ErrorNote, Field, Pager } from '../../ui/components';
import { useAction, useLoad } from '../../ui/hooks';
import { api } from '../context';

const STAFF_ROLES: Role[] = ['support', 'support_manager', 'admin'];

export default function UsersPage() {
  const [page, setPage] = useState(1);
  const action = useAction();
  const users = useLoad(
    async () =>
      must(await api.GET('/api/v1/admin/users', { params: { query: { page, limit: 50 } } })),
    [page],
  );
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    void action.run(async () => {
      must(
        await api.POST('/api/v1/admin/users', {
          body: {
            email: String(form.get('email')),
            name: String(form.get('name')),
            role: String(form.get('role')) as 'support',
            password: String(form.get('password')),
          },
        }),
      );
      el.reset();
      users.reload();
    });
  };
  const update = (id: string, body: { role?: Role; is_active?: boolean }) =>
    void action.run(async () => {
      must(
        await api.PATCH('/api/v1/admin/users/{id}', {
          params: { path: { id } },
          body: body as never,
        }),
      );
      users.reload();
    });
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t.users.title}</h1>
      <ErrorNote message={users.error ?? action.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.users.name}</th>
              <th scope="col">{t.email}</th>
              <th scope="col">{t.users.role}</th>
              <th scope="col">{t.users.active}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  {u.role === 'customer' ? (
                    u.role
                  ) : (
                    <select
                      aria-label={`${t.users.role} ${u.email}`}
                      value={u.role}
                      onChange={(e) => update(u.id, { role: e.target.value as Role })}
                    >
                      {STAFF_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>
                  <button onClick={() => update(u.id, { is_active: !u.is_active })}>
                    {u.is_active ? t.users.deactivate : t.users.activate}{' '}
                    <span className="sr-only">{u.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {users.data && <Pager page={page} pages={users.data.total_pages} onPage={setPage} />}
      <form className="stack card" onSubmit={create}>
        <h2>{t.users.create}</h2>
        <Field label={t.users.name}>
          <input name="name" required />
        </Field>
        <Field label={t.email}>
          <input name="email" type="email" required />
        </Field>
        <Field label={t.users.role}>
          <select name="role">
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.password}>
          <input
            name="password"
            type="password"
            minLength={12}
            required
            autoComplete="new-password"
          />
        </Field>
        <button type="submit" className="primary" disabled={action.busy}>
          {t.create}
        </button>
      </form>
    </section>
  );
}
