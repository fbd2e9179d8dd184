import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from 'src/config/app-config';
import type { NotificationEvent, NotificationTemplateData } from './notification-events';
import { NOTIFICATION_EVENTS } from './notification-events';
import { NotificationTemplates, type TemplateContext } from './notification-templates';

const HOSTILE = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;

const ticket = { id: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11', number: 42, subject: HOSTILE };
const context: TemplateContext = {
  helpdesk: { name: 'Helpdesk', url: 'https://help.example.com' },
  ticket,
};

/** Sample data for every event, each user-written field hostile. */
const samples: { [E in NotificationEvent]: NotificationTemplateData[E] } = {
  ticket_created: { customer_name: HOSTILE, portal_url: 'https://help.example.com/p?token=a&b' },
  agent_reply: {
    customer_name: HOSTILE,
    agent_name: HOSTILE,
    reply_text: `${HOSTILE}\nsecond line`,
    portal_url: 'https://help.example.com/p',
  },
  ticket_resolved: {
    customer_name: HOSTILE,
    resolution_notes: HOSTILE,
    rating_url: 'https://help.example.com/r',
    portal_url: 'https://help.example.com/p',
  },
  ticket_assigned: {
    assignee_name: HOSTILE,
    assigned_by_name: HOSTILE,
    priority: 'high',
    ticket_url: 'https://help.example.com/admin/tickets/1',
  },
  sla_at_risk: {
    recipient_name: HOSTILE,
    target: 'first_response',
    due_at: new Date('2026-11-21T09:30:00Z'),
    priority: 'urgent',
    ticket_url: 'https://help.example.com/admin/tickets/1',
  },
  sla_breached: {
    recipient_name: HOSTILE,
    target: 'resolution',
    due_at: '2026-11-21T09:30:00.000Z',
    priority: 'urgent',
    ticket_url: 'https://help.example.com/admin/tickets/1',
  },
  escalation: {
    recipient_name: null,
    escalated_by_name: HOSTILE,
    reason: HOSTILE,
    priority: 'high',
    ticket_url: 'https://help.example.com/admin/tickets/1',
  },
  magic_link: {
    name: HOSTILE,
    sign_in_url: 'https://help.example.com/portal/sign-in?token=abc',
    expires_in_minutes: 15,
  },
};

function templates(env: Record<string, string> = {}): NotificationTemplates {
  const loaded = new NotificationTemplates(loadConfig(env));
  loaded.onModuleInit();
  return loaded;
}

describe('NotificationTemplates', () => {
  const shipped = templates();

  it.each(NOTIFICATION_EVENTS)('renders %s with user content escaped in HTML', (event) => {
    const email = shipped.render(event, samples[event], context);
    expect(email.html).toContain('<!DOCTYPE html>');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).not.toMatch(
      /&(?!amp;|lt;|gt;|quot;|#x27;|#x3D;|#x60;|middot;|ldquo;|rdquo;)/,
    );
  });

  it.each(NOTIFICATION_EVENTS)(
    'keeps %s text and subject as written (they are not HTML)',
    (event) => {
      const email = shipped.render(event, samples[event], context);
      expect(email.text).not.toContain('&lt;');
      expect(email.text).not.toContain('&amp;');
      expect(email.subject).not.toMatch(/[\r\n]/);
      expect(email.subject.length).toBeGreaterThan(0);
      expect(email.subject.length).toBeLessThanOrEqual(250);
    },
  );

  it('names the ticket and carries the links and the reply text', () => {
    const reply = shipped.render('agent_reply', samples.agent_reply, {
      ...context,
      ticket: { ...ticket, subject: 'Printer on fire' },
    });
    expect(reply.subject).toBe('[#42] Printer on fire');
    expect(reply.text).toContain(`${HOSTILE}\nsecond line`);
    expect(reply.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(reply.html).toContain('<br>\nsecond line');

    const receipt = shipped.render('ticket_created', samples.ticket_created, context);
    expect(receipt.text).toContain('#42');
    expect(receipt.text).toContain('https://help.example.com/p?token=a&b');
    expect(receipt.html).toContain('href="https://help.example.com/p?token&#x3D;a&amp;b"');

    const resolved = shipped.render('ticket_resolved', samples.ticket_resolved, context);
    expect(resolved.text).toContain('https://help.example.com/r');

    const atRisk = shipped.render('sla_at_risk', samples.sla_at_risk, context);
    expect(atRisk.text).toContain('first response target');
    expect(atRisk.text).toContain('2026-11-21 09:30 UTC');
  });

  it('keeps line breaks out of a subject', () => {
    const email = shipped.render('agent_reply', samples.agent_reply, {
      ...context,
      ticket: { ...ticket, subject: 'one\r\nBcc: victim@example.com' },
    });
    expect(email.subject).toBe('[#42] one Bcc: victim@example.com');
  });

  describe('TEMPLATES_DIR', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'helpdesk-templates-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('replaces the shipped file of the same name and falls back for the others', () => {
      writeFileSync(join(dir, 'magic_link.subject.hbs'), 'Sign in to {{helpdesk.name}}, {{name}}');
      writeFileSync(join(dir, 'layout.html.hbs'), '<main>{{> @partial-block }}</main>');
      const overridden = templates({ TEMPLATES_DIR: dir });
      const email = overridden.render('magic_link', samples.magic_link, {
        helpdesk: context.helpdesk,
      });
      expect(email.subject).toBe(`Sign in to Helpdesk, ${HOSTILE}`);
      expect(email.html.startsWith('<main>')).toBe(true);
      expect(email.html).toContain('&lt;script&gt;');
      expect(email.text).toContain('https://help.example.com/portal/sign-in?token=abc');
    });

    it('stops the start when the directory does not exist or a template does not compile', () => {
      expect(() => templates({ TEMPLATES_DIR: join(dir, 'missing') })).toThrow(/not a directory/);
      writeFileSync(join(dir, 'agent_reply.text.hbs'), '{{#if}}');
      expect(() => templates({ TEMPLATES_DIR: dir })).toThrow(
        /agent_reply.text.hbs does not parse/,
      );
    });
  });
});
