import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { must } from '../api/client';
import { t } from '../strings';
import { ErrorNote, Field } from '../ui/components';
import { useLoad } from '../ui/hooks';
import { api } from './context';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The manager's dashboard: the summary figures, the daily trend and the status mix. */
export default function AnalyticsPage() {
  const [from, setFrom] = useState(day(-29));
  const [to, setTo] = useState(day(1));
  const data = useLoad(async () => {
    const query = { from: `${from}T00:00:00.000Z`, to: `${to}T00:00:00.000Z` };
    const [summary, trend] = await Promise.all([
      api.GET('/api/v1/admin/analytics/summary', { params: { query } }).then(must),
      api
        .GET('/api/v1/admin/analytics/trend', {
          params: { query: { ...query, interval: 'day', metric: 'created' } },
        })
        .then(must),
    ]);
    return { summary, trend };
  }, [from, to]);
  const s = data.data?.summary;
  const figures: [string, string][] = s
    ? [
        [t.analytics.total, String(s.total_tickets)],
        [t.analytics.open, String(s.open_tickets)],
        [t.analytics.resolved, String(s.resolved_tickets)],
        [t.analytics.firstResponse, String(s.median_first_response_minutes ?? '—')],
        [t.analytics.breachRate, `${Math.round((s.sla_breach_rate ?? 0) * 100)} %`],
        [
          t.analytics.csat,
          s.csat_average == null ? '—' : `${s.csat_average} (${s.csat_responses})`,
        ],
      ]
    : [];
  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">{t.analytics.title}</h1>
      <div className="row wrap">
        <Field label={t.analytics.from}>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label={t.analytics.to}>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
      </div>
      <ErrorNote message={data.error} />
      <dl className="figures" data-testid="figures">
        {figures.map(([label, value]) => (
          <div key={label} className="figure">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {data.data && (
        <div className="charts">
          <ChartBox
            title={t.analytics.trend}
            type="line"
            labels={data.data.trend.points.map((p) => p.period_start.slice(5, 10))}
            values={data.data.trend.points.map((p) => Number(p.value ?? 0))}
          />
          <ChartBox
            title={t.analytics.byStatus}
            type="bar"
            labels={Object.keys(data.data.summary.by_status ?? {}).map((k) => t.status[k] ?? k)}
            values={Object.values((data.data.summary.by_status ?? {}) as Record<string, number>)}
          />
        </div>
      )}
      {s && (
        <>
          <h2>{t.analytics.topAssignees}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.users.name}</th>
                <th scope="col">{t.analytics.handled}</th>
              </tr>
            </thead>
            <tbody>
              {s.top_assignees.map((a) => (
                <tr key={a.assignee_id}>
                  <td>{a.name}</td>
                  <td>{a.handled}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ChartBox(props: {
  title: string;
  type: 'line' | 'bar';
  labels: string[];
  values: number[];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: props.type,
      data: {
        labels: props.labels,
        datasets: [
          {
            label: props.title,
            data: props.values,
            borderColor: '#1d4ed8',
            backgroundColor: '#1d4ed8',
          },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false },
    });
    return () => chart.destroy();
  }, [props.type, props.title, props.labels.join(), props.values.join()]);
  // The numbers behind the chart, for screen readers and the tests.
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div className="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${props.title}: ${props.labels.map((l, i) => `${l} ${props.values[i]}`).join(', ')}`}
        />
      </div>
    </figure>
  );
}
