/** The settings forms in Chromium against `npm start`: holiday import, reminder rules, delivery routes, write-only credentials. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

let browser: Browser;
let page: Page;
let outside: string[];
let saved: { reminders: unknown; review_requests: unknown; non_shipping_days: string[] };

beforeAll(async () => {
  const { reminders, review_requests, non_shipping_days } = (await apiCall<typeof saved>('/v1/shop')).body;
  saved = { reminders, review_requests, non_shipping_days };
  browser = await launch();
  ({ page, outside } = await newPage(browser, { width: 390, height: 844 }));
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Reminder rules' }).waitFor();
});
afterAll(async () => {
  // The demo shop is shared by every browser test file: put back what these tests changed.
  await apiCall('/v1/shop', { method: 'PATCH', json: saved });
  await apiCall('/v1/delivery/settings', { method: 'PUT', json: {} });
  await apiCall('/v1/delivery/providers/twilio', { method: 'DELETE' });
  await browser?.close();
});

/** A public-holiday calendar as calendar apps export it: all-day events, DTEND exclusive, a folded line. */
const calendar = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20301001',
  'DTEND;VALUE=DATE:20301004',
  'SUMMARY:National Day hol',
  ' iday',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20300230',
  'SUMMARY:not a day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20301225',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('holiday import', () => {
  it('shows the dates read and the line refused before saving, then imports them', async () => {
    await page.getByLabel('Holiday list (iCalendar or one date per line)').fill(calendar);
    const preview = page.getByTestId('holiday-preview');
    await expect
      .poll(() => preview.locator('li').allTextContents())
      .toEqual(expect.arrayContaining(['2030-10-01', '2030-10-02', '2030-10-03', '2030-12-25']));
    expect(await preview.locator('.chips li').count()).toBe(4);
    expect(await page.getByTestId('holiday-rejected').textContent()).toContain('DTSTART;VALUE=DATE:20300230');
    // Nothing is stored until the import is confirmed.
    expect((await apiCall<{ non_shipping_days: string[] }>('/v1/shop')).body.non_shipping_days).not.toContain(
      '2030-10-01',
    );
    await screenshot(page, 'settings-holiday-preview');
    await page.getByRole('button', { name: 'Import 4 date(s)' }).click();
    await page.getByRole('status').getByText('Imported 4 date(s)').waitFor();
    const days = (await apiCall<{ non_shipping_days: string[] }>('/v1/shop')).body.non_shipping_days;
    expect(days).toEqual(expect.arrayContaining(['2030-10-01', '2030-10-02', '2030-10-03', '2030-12-25']));
    expect(days).not.toContain('2030-10-04');
    // The general form shows the imported days without a reload.
    expect(await page.getByLabel(/^Non-shipping days/).inputValue()).toContain('2030-12-25');
  });
});

describe('keyboard and language', () => {
  it('imports a pasted CSV with the keyboard only', async () => {
    await page.getByLabel('Holiday list (iCalendar or one date per line)').focus();
    await page.keyboard.insertText('date,name\n2031/01/01,New Year\n20310128,Spring Festival\n');
    const focused = () => page.evaluate('document.activeElement.textContent');
    for (let i = 0; i < 6 && !String(await focused()).startsWith('Import'); i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Import 2 date(s)');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Imported 2 date(s)').waitFor();
    const days = (await apiCall<{ non_shipping_days: string[] }>('/v1/shop')).body.non_shipping_days;
    expect(days).toEqual(expect.arrayContaining(['2031-01-01', '2031-01-28']));
  });

  it('shows every settings form in zh-CN with a label on every control', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    const headings = await page.locator('section.page h1, section.page h2').allTextContents();
    expect(headings).toEqual(
      expect.arrayContaining([
        '设置',
        '导入节假日（不发货日）',
        '催付规则',
        '邀评',
        '发送路线',
        '服务商与凭据',
        '平台连接',
      ]),
    );
    expect(headings.filter((h) => /[A-Za-z]{4,}/.test(h))).toEqual([]);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'settings-zh-CN');
    await page.getByLabel('语言').selectOption('en');
  });
});

describe('reminder rules and routes', () => {
  it('shows a rejected rule next to its field, stores nothing, then saves a valid one', async () => {
    const lead = page.getByLabel('Pre-close reminder: minutes before auto-close');
    const pay = page.getByLabel(/^Pay link for orders without one/);
    await lead.fill('2');
    await pay.fill('ftp://pay.example/{order_id}');
    await page.getByRole('button', { name: 'Save reminder rules' }).click();
    await page.getByTestId('error-reminders.preclose_lead_minutes').waitFor();
    expect(await lead.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('error-reminders.pay_url_template').textContent()).not.toBe('');
    await screenshot(page, 'settings-reminder-error');
    const before = (await apiCall<{ reminders: { preclose_lead_minutes: number } }>('/v1/shop')).body.reminders;
    expect(before.preclose_lead_minutes).not.toBe(2);

    await lead.fill('45');
    await pay.fill('https://pay.example/{order_id}');
    await page.getByRole('button', { name: 'Save reminder rules' }).click();
    await page.getByRole('form', { name: 'Reminder rules' }).getByRole('status').getByText('Saved.').waitFor();
    const after = (await apiCall<{ reminders: Record<string, unknown> }>('/v1/shop')).body.reminders;
    expect(after).toMatchObject({ preclose_lead_minutes: 45, pay_url_template: 'https://pay.example/{order_id}' });
  });

  it('refuses a reminder gap as long as the review window next to the gap, then saves', async () => {
    const gap = page.getByLabel('Days between the request and its reminder');
    await gap.fill('30');
    await page.getByLabel('Days after delivery or completion after which nothing is sent').fill('30');
    await page.getByRole('button', { name: 'Save review request rules' }).click();
    await expect
      .poll(() => page.getByTestId('error-review_requests.reminder_gap_days').textContent())
      .toContain('shorter than the window');
    expect(await gap.getAttribute('aria-invalid')).toBe('true');
    await gap.fill('5');
    await page.getByRole('button', { name: 'Save review request rules' }).click();
    await page.getByRole('form', { name: 'Review requests' }).getByRole('status').getByText('Saved.').waitFor();
    const { body } = await apiCall<{ review_requests: Record<string, unknown> }>('/v1/shop');
    expect(body.review_requests).toMatchObject({ reminder_gap_days: 5, window_days: 30 });
  });

  it('names a provider that cannot carry the channel, then saves the route order', async () => {
    const sms = page.getByLabel('Provider order for sms');
    await sms.fill('resend');
    await page.getByRole('button', { name: 'Save delivery routes' }).click();
    expect(await page.getByTestId('error-providers.sms').textContent()).toContain('resend cannot send sms');
    await sms.fill('');
    await page.getByLabel('Buyer messages: channel order').fill('email, sms');
    await page.getByRole('button', { name: 'Save delivery routes' }).click();
    await page.getByRole('form', { name: 'Delivery routes' }).getByRole('status').getByText('Saved.').waitFor();
    const { body } = await apiCall<{ default_route: string[] }>('/v1/delivery/settings');
    expect(body.default_route).toEqual(['email', 'sms']);
  });
});

describe('provider credentials', () => {
  const token = 'tok_browser_secret_5f3a9c';
  it('are write-only: a bad SID is refused at its field; once saved nothing typed is shown again', async () => {
    const form = page.getByRole('region', { name: 'Providers and credentials' });
    await form.getByLabel('Provider').selectOption('twilio');
    await form.getByLabel('accountSid').fill('AC123');
    await form.getByLabel('authToken').fill(token);
    await form.getByLabel(/^from/).fill('+15005550006');
    await form.getByRole('button', { name: 'Save twilio credentials' }).click();
    expect(await page.getByTestId('error-accountSid').textContent()).toContain('Account SID');
    expect((await apiCall<{ data: unknown[] }>('/v1/delivery/providers')).body.data).toEqual([]);

    await form.getByLabel('accountSid').fill(`AC${'0a'.repeat(16)}`);
    await form.getByRole('button', { name: 'Save twilio credentials' }).click();
    await form.getByRole('status').getByText('twilio credentials stored').waitFor();
    expect(await form.getByLabel('authToken').inputValue()).toBe('');
    expect(await form.getByLabel('accountSid').inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('providers').textContent()).toMatch(/twilio \(sms\):\s*credentials set/);
    expect(await page.getByTestId('callback-urls').textContent()).toContain('/twilio');
    expect(await page.content()).not.toContain(token);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'settings-provider-set');

    await page.reload();
    await page.getByTestId('providers').getByText('credentials set').waitFor();
    expect(await page.content()).not.toContain(token);
    expect(outside).toEqual([]);
  });
});
