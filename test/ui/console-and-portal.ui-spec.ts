import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  createStaff,
  createTestApp,
  TEST_PASSWORD,
  uniqueEmail,
  waitForMails,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { tinyPng } from '@helpdesk/testing/sample-files';
import { launchChromium, screenshotDir, seriousViolations } from './browser';

// The console and the portal in a real browser against the real app: a customer opens a ticket
// in the portal, an agent answers it, the customer sees the answer without reloading, a manager
// sees it in analytics; the 412 flow, an upload, and axe-core on every page.
describe('web app (Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  const contexts: BrowserContext[] = [];
  const cspErrors: string[] = [];
  const pageErrors: string[] = [];
  const shots = screenshotDir();
  const customerEmail = uniqueEmail('portal');
  let ticketId = '';

  async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, baseURL: base });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    if (process.env.UI_DEBUG) {
      page.on('console', (message) => console.log(`console: ${message.text()}`));
      page.on('response', (r) => console.log(`response: ${r.status()} ${r.url()}`));
      page.on('pageerror', (error) => console.log(`pageerror: ${error.message}`));
    }
    return page;
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    const violations = await seriousViolations(page);
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  }

  async function snap(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  async function signInStaff(page: Page, email: string): Promise<void> {
    await page.goto('/app/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  }

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [agent, manager, admin] = [
      await createStaff(t, 'support', { name: 'Alex Agent' }),
      await createStaff(t, 'support_manager', { name: 'Morgan Manager' }),
      await createStaff(t, 'admin', { name: 'Ada Admin' }),
    ];
    // A portal account exists once the customer has written in (magic links never create one).
    await t.http
      .post('/api/v1/tickets')
      .send({
        name: 'Casey Customer',
        email: customerEmail,
        subject: 'Earlier question',
        message: 'Hi',
        priority: 'normal',
      })
      .expect(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('serves the apps with their security and cache headers', async () => {
    const index = await fetch(`${base}/portal/tickets/anything`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await index.text();
    const script = /src="(\/portal\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('a customer signs in by magic link and opens a ticket in the portal', async () => {
    const page = await newPage();
    await page.goto('/portal/');
    await page.getByRole('heading', { name: 'Sign in to the help centre' }).waitFor();
    await expectAccessible(page, 'portal sign-in');
    await snap(page, 'portal-sign-in');
    await page.getByLabel('Email').fill(customerEmail);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('a sign-in link is on its way').waitFor();
    const mails = await waitForMails(t.config.mailDir, customerEmail, 2);
    const link = /https?:\/\/\S+\/portal\/sign-in\S*token(?:=|%3D)[^\s"<]+/.exec(
      mails.join('\n'),
    )?.[0];
    expect(link).toBeDefined();
    await page.goto(link!.replace(/^https?:\/\/[^/]+/, base));
    await page.getByRole('heading', { name: 'My requests' }).waitFor();
    await page.getByLabel('Subject').fill('Printer on fire');
    await page.getByLabel('How can we help?').fill('It smells of toner.');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: /Printer on fire/ }).waitFor();
    ticketId = page.url().split('/tickets/')[1];
    await expectAccessible(page, 'portal thread');
    await snap(page, 'portal-thread');
    portalPage = page;
  });
  let portalPage: Page;

  it('an agent answers it and the customer sees the reply without reloading', async () => {
    const page = await newPage();
    await signInStaff(page, agent.user.email);
    await page.getByRole('link', { name: 'Printer on fire' }).waitFor();
    // First meaningful paint of the inbox: a signed-in agent opens /app/ until the rows show.
    await page.reload();
    await page.getByRole('link', { name: 'Printer on fire' }).waitFor();
    inboxPaintMs = Math.round(await page.evaluate<number>('performance.now()'));
    await expectAccessible(page, 'inbox');
    await snap(page, 'console-inbox');
    await page.getByRole('link', { name: 'Printer on fire' }).click();
    await page.getByRole('heading', { name: /Printer on fire/ }).waitFor();
    await page.getByLabel('Reply', { exact: true }).fill('Unplug it and step away.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('.msg-agent', { hasText: 'Unplug it and step away.' }).waitFor();
    await page
      .getByLabel('Internal note (never shown to the customer)')
      .fill('Fire brigade called');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.msg.note', { hasText: 'Fire brigade called' }).waitFor();

    await portalPage.locator('.msg-agent', { hasText: 'Unplug it and step away.' }).waitFor();
    expect(await portalPage.getByText('Fire brigade called').count()).toBe(0);

    // And the other way: the customer's answer reaches the agent's open ticket over the stream.
    await portalPage.getByRole('textbox', { name: 'Your reply' }).fill('Done, thanks!');
    await portalPage
      .getByLabel('Attach files')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: tinyPng() });
    await portalPage.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.msg-customer', { hasText: 'Done, thanks!' }).waitFor();
    await page.getByRole('button', { name: 'Download photo.png' }).waitFor();
    await expectAccessible(page, 'ticket');
    await snap(page, 'console-ticket');
    agentPage = page;
  });
  let agentPage: Page;
  let inboxPaintMs = 0;

  it('an agent uploads a file and previews it', async () => {
    const page = agentPage;
    await page
      .getByLabel('Files')
      .setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: tinyPng() });
    await page.getByLabel('Visibility').selectOption('internal');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('button', { name: 'Download screen.png' }).waitFor();
    await page.getByText(/screen\.png \(.*Internal\)/).waitFor();
    await page.getByRole('button', { name: 'Preview screen.png' }).click();
    await page.getByRole('img', { name: 'screen.png' }).waitFor();
    const stored = await t.http
      .get(`/api/v1/admin/tickets/${ticketId}/attachments`)
      .set(agent.auth)
      .expect(200);
    expect((stored.body as { items: { file_name: string; visibility: string }[] }).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file_name: 'screen.png', visibility: 'internal' }),
      ]),
    );
    await portalPage.reload();
    await portalPage.getByRole('button', { name: 'Download photo.png' }).waitFor();
    expect(await portalPage.getByRole('button', { name: 'Download screen.png' }).count()).toBe(0);
  });

  it('a stale edit gets 412, shows what changed, and the agent re-applies it', async () => {
    const page = agentPage;
    await page.getByLabel('Tags (comma separated)').fill('hardware');
    // Someone else changes the ticket meanwhile (the form keeps the version it started from).
    const current = await t.http
      .get(`/api/v1/admin/tickets/${ticketId}`)
      .set(manager.auth)
      .expect(200);
    await t.http
      .patch(`/api/v1/admin/tickets/${ticketId}`)
      .set(manager.auth)
      .set('If-Match', `"${(current.body as { version: number }).version}"`)
      .send({ tags: ['fire'] })
      .expect(200);
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page
      .getByRole('alert')
      .filter({ hasText: 'Someone else changed this ticket' });
    await conflict.waitFor();
    await expect(conflict.getByRole('row', { name: /tags fire hardware/ }).count()).resolves.toBe(
      1,
    );
    await snap(page, 'console-conflict');
    await conflict.getByRole('button', { name: 'Apply my changes to the new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const after = await t.http
      .get(`/api/v1/admin/tickets/${ticketId}`)
      .set(manager.auth)
      .expect(200);
    expect((after.body as { tags: string[] }).tags).toEqual(['hardware']);
  });

  it('a manager sees the ticket and its first response in analytics', async () => {
    const page = await newPage();
    await signInStaff(page, manager.user.email);
    // A bulk action on a selection answers per ticket.
    await page.getByRole('link', { name: 'Printer on fire' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    await page.getByLabel('Bulk action').selectOption('add_tags');
    await page.getByLabel('Value').fill('triaged');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('status').filter({ hasText: '2 succeeded, 0 failed' }).waitFor();
    await expectAccessible(page, 'inbox with bulk results');
    await snap(page, 'console-bulk');
    await page.getByRole('link', { name: 'Analytics' }).click();
    const created = page.locator('.figure', { hasText: 'Tickets created' });
    await created.locator('dd', { hasText: '2' }).waitFor();
    await page.getByRole('img', { name: /Tickets created per day: .* 2/ }).waitFor();
    await expectAccessible(page, 'analytics');
    await snap(page, 'console-analytics');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'ticket.reply' }).first().waitFor();
    await expectAccessible(page, 'audit');
    await snap(page, 'console-audit');
  });

  it('admin pages render and pass the accessibility scan', async () => {
    const page = await newPage();
    await signInStaff(page, admin.user.email);
    // An expiring access token is refreshed before the next call; the refresh token rotates.
    const stored = () =>
      page.evaluate<{ refresh_token: string; expires_at: number }>(
        "JSON.parse(sessionStorage.getItem('helpdesk.console'))",
      );
    const before = await stored();
    await page.evaluate(
      "sessionStorage.setItem('helpdesk.console', JSON.stringify({ ...JSON.parse(sessionStorage.getItem('helpdesk.console')), expires_at: 0 }))",
    );
    for (const [link, heading, shot] of [
      ['SLA', 'SLA policies and business hours', 'console-sla'],
      ['Users', 'Users and roles', 'console-users'],
      ['API keys', 'API keys', 'console-api-keys'],
      ['Webhooks', 'Webhooks', 'console-webhooks'],
      ['Notifications', 'Notifications', 'console-notifications'],
    ] as const) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: link, exact: true })
        .click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await expectAccessible(page, link);
      await snap(page, shot);
    }
    const after = await stored();
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.expires_at).toBeGreaterThan(Date.now());
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByLabel('Name').fill('CI');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('it is shown only once').waitFor();
  });

  it('the ticket link from an email opens that ticket without signing in (#token=)', async () => {
    const created = await t.http
      .post('/api/v1/tickets')
      .send({
        name: 'Dana',
        email: uniqueEmail('link'),
        subject: 'Link only',
        message: 'Hello',
        priority: 'normal',
      })
      .expect(201);
    const { ticket, access_token } = created.body as {
      ticket: { id: string };
      access_token: string;
    };
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`/portal/tickets/${ticket.id}#token=${encodeURIComponent(access_token)}`);
    await page.getByRole('heading', { name: /Link only/ }).waitFor();
    expect(page.url()).not.toContain(access_token);
    await expectAccessible(page, 'portal thread (phone)');
    await snap(page, 'portal-phone');
    const phone = await newPage({ width: 390, height: 844 });
    await signInStaff(phone, agent.user.email);
    await snap(phone, 'console-inbox-phone');
    const overflow = await phone.evaluate(
      'document.documentElement.scrollWidth > window.innerWidth',
    );
    expect(overflow).toBe(false);
  });

  it('the pages ran under the CSP without a violation', () => {
    expect(cspErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    console.log(`ui: inbox rows painted ${inboxPaintMs} ms after navigation`);
  });
});
