import { lazy, Suspense, useSyncExternalStore, type FormEvent } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { must } from '../api/client';
import type { User } from '../api/types';
import { t } from '../strings';
import { ErrorNote, Field } from '../ui/components';
import { useAction } from '../ui/hooks';
import { api, atLeast, session, UserContext } from './context';
import { InboxPage } from './InboxPage';
import { TicketPage } from './TicketPage';

// Manager and admin pages load on demand: the inbox paints without their code (or the charts').
const AnalyticsPage = lazy(() => import('./AnalyticsPage'));
const SlaPage = lazy(() => import('./admin/SlaPage'));
const UsersPage = lazy(() => import('./admin/UsersPage'));
const ApiKeysPage = lazy(() => import('./admin/ApiKeysPage'));
const WebhooksPage = lazy(() => import('./admin/WebhooksPage'));
const NotificationsPage = lazy(() => import('./admin/NotificationsPage'));
const AuditPage = lazy(() => import('./admin/AuditPage'));

const subscribe = (listener: () => void) => session.subscribe(listener);
const currentUser = () => sessionStorage.getItem('helpdesk.console');

export function ConsoleApp() {
  useSyncExternalStore(subscribe, currentUser);
  const user = session.user;
  if (!user) return <LoginPage />;
  return (
    <UserContext.Provider value={user}>
      <Layout user={user}>
        <Suspense fallback={<p>{t.loading}</p>}>
          <Routes>
            <Route path="/" element={<InboxPage />} />
            <Route path="/tickets/:id" element={<TicketPage />} />
            {atLeast(user, 'support_manager') && (
              <>
                <Route path="/analytics" element={<AnalyticsPage />} />
                <Route path="/audit" element={<AuditPage />} />
              </>
            )}
            <Route path="/sla" element={<SlaPage />} />
            {atLeast(user, 'admin') && (
              <>
                <Route path="/users" element={<UsersPage />} />
                <Route path="/api-keys" element={<ApiKeysPage />} />
                <Route path="/webhooks" element={<WebhooksPage />} />
                <Route path="/notifications" element={<NotificationsPage />} />
              </>
            )}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </Layout>
    </UserContext.Provider>
  );
}

function Layout({ user, children }: { user: User; children: React.ReactNode }) {
  const links: [string, string, boolean][] = [
    ['/', t.nav.inbox, true],
    ['/analytics', t.nav.analytics, atLeast(user, 'support_manager')],
    ['/sla', t.nav.sla, true],
    ['/users', t.nav.users, atLeast(user, 'admin')],
    ['/api-keys', t.nav.apiKeys, atLeast(user, 'admin')],
    ['/webhooks', t.nav.webhooks, atLeast(user, 'admin')],
    ['/notifications', t.nav.notifications, atLeast(user, 'admin')],
    ['/audit', t.nav.audit, atLeast(user, 'support_manager')],
  ];
  const signOut = async () => {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    session.clear();
  };
  return (
    <>
      <a className="skip" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <strong className="brand">{t.appName}</strong>
        <nav aria-label={t.nav.label}>
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end={to === '/'}>
                    {label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <span className="who">
          {user.name} ({user.role})
        </span>
        <button onClick={() => void signOut()}>{t.signOut}</button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function LoginPage() {
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run(async () => {
      const login = must(
        await api.POST('/api/v1/auth/login', {
          body: { email: String(form.get('email')), password: String(form.get('password')) },
        }),
      );
      session.store(login);
    });
  };
  return (
    <main id="main" className="narrow">
      <h1>
        {t.appName} — {t.signIn}
      </h1>
      <form onSubmit={submit} className="stack">
        <Field label={t.email}>
          <input name="email" type="email" autoComplete="username" required />
        </Field>
        <Field label={t.password}>
          <input name="password" type="password" autoComplete="current-password" required />
        </Field>
        <ErrorNote message={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
