import { type FormEvent } from 'react';
import { must } from '../../api/client';
import { t } from '../../strings';
import { ErrorNote, Field } from '../../ui/components';
import { useAction, useLoad } from '../../ui/hooks';
import { api, atLeast, useUser } from '../context';

/** SLA targets per priority and the business calendar (read: staff; write: admins). */
export default function SlaPage() {
  const user = useUser();
  const admin = atLeast(user, 'admin');
  const action = useAction();
  const data = useLoad(async () => {
    const [policies, hours] = await Promise.all([
      api.GET('/api/v1/admin/sla-policies').then(must),
      api.GET('/api/v1/admin/business-hours').then(must),
    ]);
    return { policies, hours };
  }, []);
  const savePolicy = (event: FormEvent<HTMLFormElement>, priority: string) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run(async () => {
      must(
        await api.PUT('/api/v1/admin/sla-policies/{priority}', {
          params: { path: { priority: priority as 'low' } },
          body: {
            first_response_minutes: Number(form.get('first')),
            resolution_minutes: Number(form.get('resolution')),
            business_hours: form.get('business') === 'on',
          },
        }),
      );
      data.reload();
    });
  };
  const saveHours = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const weekly = String(form.get('weekly'))
      .split('\n')
      .map((line) => /^\s*(\d)\s+(\d\d:\d\d)-(\d\d:\d\d)\s*$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ day: Number(m[1]), start: m[2], end: m[3] }));
    const holidays = String(form.get('holidays'))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    void action.run(async () => {
      must(
        await api.PUT('/api/v1/admin/business-hours', {
          body: { timezone: String(form.get('timezone')), weekly, holidays },
        }),
      );
      data.reload();
    });
  };
  const hours = data.data?.hours;
  return (
    <section aria-labelledby="sla-page-title">
      <h1 id="sla-page-title">{t.slaPage.title}</h1>
      <ErrorNote message={data.error ?? action.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.ticket.priority}</th>
              <th scope="col">{t.slaPage.firstResponse}</th>
              <th scope="col">{t.slaPage.resolution}</th>
              <th scope="col">{t.slaPage.businessHours}</th>
              {admin && <th scope="col">{t.save}</th>}
            </tr>
          </thead>
          <tbody>
            {data.data?.policies.map((p) => {
              const formId = `sla-${p.priority}`;
              return (
                <tr key={p.priority}>
                  <th scope="row">{t.priority[p.priority]}</th>
                  <td>
                    <input
                      form={formId}
                      name="first"
                      type="number"
                      min={1}
                      defaultValue={p.first_response_minutes}
                      disabled={!admin}
                      aria-label={`${t.slaPage.firstResponse} ${t.priority[p.priority]}`}
                    />
                  </td>
                  <td>
                    <input
                      form={formId}
                      name="resolution"
                      type="number"
                      min={1}
                      defaultValue={p.resolution_minutes}
                      disabled={!admin}
                      aria-label={`${t.slaPage.resolution} ${t.priority[p.priority]}`}
                    />
                  </td>
                  <td>
                    <input
                      form={formId}
                      name="business"
                      type="checkbox"
                      defaultChecked={p.business_hours}
                      disabled={!admin}
                      aria-label={`${t.slaPage.businessHours} ${t.priority[p.priority]}`}
                    />
                  </td>
                  {admin && (
                    <td>
                      <form id={formId} onSubmit={(e) => savePolicy(e, p.priority)}>
                        <button type="submit">
                          {t.save} <span className="sr-only">{t.priority[p.priority]}</span>
                        </button>
                      </form>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {hours && (
        <form className="stack card" onSubmit={saveHours}>
          <h2>{t.slaPage.businessHours}</h2>
          <Field label={t.slaPage.timezone}>
            <input name="timezone" defaultValue={hours.timezone} disabled={!admin} />
          </Field>
          <Field label={t.slaPage.weekly}>
            <textarea
              name="weekly"
              rows={5}
              disabled={!admin}
              defaultValue={hours.weekly.map((w) => `${w.day} ${w.start}-${w.end}`).join('\n')}
            />
          </Field>
          <Field label={t.slaPage.holidays}>
            <input name="holidays" defaultValue={hours.holidays.join(', ')} disabled={!admin} />
          </Field>
          {admin && (
            <button type="submit" className="primary" disabled={action.busy}>
              {t.save}
            </button>
          )}
        </form>
      )}
    </section>
  );
}
