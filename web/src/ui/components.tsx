import type { ReactNode } from 'react';
import { t } from '../strings';

export function ErrorNote({ message }: { message?: string }) {
  return message ? (
    <p role="alert" className="error">
      {message}
    </p>
  ) : null;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{t.status[status] ?? status}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  return <span className={`badge priority-${priority}`}>{t.priority[priority] ?? priority}</span>;
}

export function SlaBadge({ state }: { state?: string | null }) {
  return state ? <span className={`badge sla-${state}`}>{t.sla[state] ?? state}</span> : null;
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export function Pager(props: { page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <nav className="pager" aria-label="Pagination">
      <button disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        {t.previous}
      </button>
      <span>{t.pageOf(props.page, props.pages)}</span>
      <button disabled={props.page >= props.pages} onClick={() => props.onPage(props.page + 1)}>
        {t.next}
      </button>
    </nav>
  );
}
