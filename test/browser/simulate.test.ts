/** The simulate page in Chromium against `npm start`: a day replayed with a changed cutoff, side by side, nothing sent. */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, sendEvent, waitForMessage } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

let browser: Browser;
let page: Page;
let outside: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, outside } = await newPage(browser));
  await signIn(page);
});
afterAll(async () => {
  await browser?.close();
});

/** Today on the demo shop's clock (Asia/Shanghai), as YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('simulate page', () => {
  it('replays today with a cutoff of 12:00 beside the current settings, without sending', async () => {
    const orderId = `ord_sim_${randomBytes(4).toString('hex')}`;
    await sendEvent('order-created.json', orderId);
    await sendEvent('order-paid.json', orderId);
    await waitForMessage(orderId, (m) => m.kind === 'thank_you' && m.status === 'delivered');
    const before = await apiCall<{ data: unknown[] }>('/v1/messages?limit=100');

    await page.getByRole('link', { name: 'Simulate' }).click();
    await page.getByLabel('Day (shop time)').fill(today());
    await page.getByLabel('Shipping cutoff to try').fill('12:00');
    await page.getByRole('button', { name: 'Run the simulation' }).click();
    const report = page.getByTestId('simulation-report');
    await report.waitFor({ timeout: 60_000 });

    expect(await report.getByRole('heading', { name: 'What changes' }).count()).toBe(1);
    const header = await report.locator('table').first().locator('thead th').allTextContents();
    expect(header).toEqual(['Figure', 'Now', 'With the change']);
    const sent = await report.locator('table').first().locator('tbody tr').first().locator('td').allTextContents();
    for (const n of sent) expect(Number(n)).toBeGreaterThanOrEqual(1);
    expect(await report.getByText('thank_you').count()).toBeGreaterThanOrEqual(2);

    // The live outbox is as it was.
    expect((await apiCall<{ data: unknown[] }>('/v1/messages?limit=100')).body.data).toEqual(before.body.data);
    expect(await unlabelled(page)).toEqual([]);
    expect(outside).toEqual([]);
    await screenshot(page, 'simulate');
  });
});
