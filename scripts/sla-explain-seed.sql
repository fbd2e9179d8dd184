-- A million tickets for checking the SLA sweep's and the sla= filter's plans (docs/sla.md).
-- Run against a scratch database migrated with `node dist/src/database/migrate.js`, never a
-- real one:  psql -d helpdesk_sla_explain -v ON_ERROR_STOP=1 -f scripts/sla-explain-seed.sql
--
-- Shape: two years of history, 95 % closed or (in the last 7 days) resolved, their targets met
-- or breached; 50,000 tickets of the last three days still open, with running SLA clocks, 20 %
-- of them waiting for the customer. Default calendar-time policies. 40 agents, 5 managers.
SELECT setseed(0.42);

INSERT INTO app_user (id, email, name, role)
SELECT gen_random_uuid(), 'agent' || g || '@example.test', 'Agent ' || g,
       CASE WHEN g <= 40 THEN 'support' ELSE 'support_manager' END
FROM generate_series(1, 45) g;

INSERT INTO app_user (id, email, name, role)
SELECT gen_random_uuid(), 'customer' || g || '@example.test', 'Customer ' || g, 'customer'
FROM generate_series(1, 20000) g;

CREATE TEMP TABLE agents AS
SELECT row_number() OVER (ORDER BY email) AS n, id FROM app_user WHERE role = 'support';
CREATE TEMP TABLE customers AS
SELECT row_number() OVER (ORDER BY email) AS n, id FROM app_user WHERE role = 'customer';

-- The search trigger reads app_user and ticket_message per row; search is not measured here.
ALTER TABLE ticket DISABLE TRIGGER ticket_search_refresh;

WITH base AS (
  SELECT g,
         g > 950000 AS running,
         random() AS r_priority, random() AS r_status, random() AS r_reply, random() AS r_done,
         random() AS r_assignee, (1 + floor(random() * 20000))::int AS customer_n,
         CASE WHEN g > 950000
              THEN now() - (1000000 - g) * interval '5.184 seconds'        -- last 3 days
              ELSE now() - interval '3 days' - (950000 - g) * interval '66 seconds' -- 2 years
         END AS created_at
  FROM generate_series(1, 1000000) g
), shaped AS (
  SELECT b.*,
         CASE WHEN r_priority < 0.1 THEN 'urgent' WHEN r_priority < 0.3 THEN 'high'
              WHEN r_priority < 0.8 THEN 'normal' ELSE 'low' END::ticket_priority AS priority,
         CASE WHEN NOT running AND created_at > now() - interval '7 days' THEN 'resolved'
              WHEN NOT running THEN 'closed'
              WHEN r_status < 0.4 THEN 'open' WHEN r_status < 0.65 THEN 'in_progress'
              WHEN r_status < 0.8 THEN 'pending' ELSE 'waiting_customer' END::ticket_status AS status,
         CASE WHEN r_assignee < 0.1 THEN NULL ELSE 1 + floor(r_assignee * 1000)::int % 40 END AS agent_n
  FROM base b
), timed AS (
  SELECT s.*,
         p.first_response_minutes AS fr, p.resolution_minutes AS res,
         s.created_at + p.first_response_minutes * interval '1 minute' AS fr_due,
         s.created_at + p.first_response_minutes * 0.75 * interval '1 minute' AS fr_risk,
         s.created_at + p.resolution_minutes * interval '1 minute' AS res_due,
         s.created_at + p.resolution_minutes * 0.75 * interval '1 minute' AS res_risk,
         -- 70 % of replies within the target; running tickets have one 60 % of the time.
         CASE WHEN s.running AND s.r_reply >= 0.6 THEN NULL
              ELSE s.created_at + (s.r_reply / 0.85) * p.first_response_minutes * interval '1 minute'
         END AS replied_at,
         CASE WHEN s.running THEN NULL
              ELSE s.created_at + (s.r_done / 0.9) * p.resolution_minutes * interval '1 minute'
         END AS resolved_at
  FROM shaped s JOIN sla_policy p ON p.priority = s.priority::text
), judged AS (
  SELECT t.*,
         -- A running clock is judged now; a waiting ticket paused an hour ago.
         CASE WHEN t.status = 'waiting_customer'
              THEN greatest(t.created_at, now() - interval '1 hour') END AS paused_at,
         CASE WHEN t.replied_at > t.fr_due THEN t.replied_at
              WHEN t.replied_at IS NULL AND t.fr_due < now() THEN t.fr_due + interval '1 minute'
         END AS fr_breached,
         CASE WHEN t.resolved_at > t.res_due THEN t.resolved_at
              WHEN t.resolved_at IS NULL AND t.res_due < (CASE WHEN t.status = 'waiting_customer'
                   THEN greatest(t.created_at, now() - interval '1 hour') ELSE now() END)
                THEN t.res_due + interval '1 minute'
         END AS res_breached
  FROM timed t
)
INSERT INTO ticket (
  id, subject, status, priority, channel, requester_id, assignee_id, resolved_at, closed_at,
  first_responded_at, first_response_due_at, first_response_at_risk_at, first_response_met_at,
  first_response_breached_at, first_response_at_risk_notified_at, resolution_due_at,
  resolution_at_risk_at, resolution_breached_at, resolution_at_risk_notified_at, sla_paused_at,
  sla_state, sla_next_check_at, created_at, updated_at)
SELECT gen_random_uuid(), 'Ticket ' || j.g, j.status, j.priority, 'web', c.id, a.id,
       j.resolved_at, CASE WHEN j.status = 'closed' THEN j.resolved_at + interval '7 days' END,
       j.replied_at, j.fr_due, j.fr_risk, coalesce(j.replied_at, j.resolved_at), j.fr_breached,
       CASE WHEN coalesce(j.replied_at, j.resolved_at, now()) >= j.fr_risk AND j.fr_breached IS NULL
            THEN j.fr_risk END,
       j.res_due, j.res_risk, j.res_breached,
       CASE WHEN coalesce(j.resolved_at, j.paused_at, now()) >= j.res_risk AND j.res_breached IS NULL
            THEN j.res_risk END,
       coalesce(j.resolved_at, j.paused_at),
       CASE WHEN j.fr_breached IS NOT NULL OR j.res_breached IS NOT NULL THEN 'breached'
            WHEN (j.replied_at IS NULL AND j.resolved_at IS NULL AND now() >= j.fr_risk)
              OR (j.resolved_at IS NULL AND coalesce(j.paused_at, now()) >= j.res_risk) THEN 'at_risk'
            ELSE 'ok' END::ticket_sla_state,
       -- The next instant something can change: an at-risk instant ahead, or a due time.
       CASE WHEN j.running THEN least(
              CASE WHEN j.replied_at IS NULL AND j.fr_breached IS NULL
                   THEN CASE WHEN now() < j.fr_risk THEN j.fr_risk ELSE j.fr_due + interval '1 millisecond' END
              END,
              CASE WHEN j.paused_at IS NULL AND j.res_breached IS NULL
                   THEN CASE WHEN now() < j.res_risk THEN j.res_risk ELSE j.res_due + interval '1 millisecond' END
              END)
       END,
       j.created_at, coalesce(j.resolved_at, j.created_at)
FROM judged j
JOIN customers c ON c.n = j.customer_n
LEFT JOIN agents a ON a.n = j.agent_n;

ALTER TABLE ticket ENABLE TRIGGER ticket_search_refresh;
VACUUM ANALYZE ticket;
VACUUM ANALYZE app_user;
