/** The template editor in Chromium against `npm start`: preview and parts, save errors, publish/rollback/revert, test send. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiCall } from './api.ts';
import { launch, newPage, screenshot, signIn, unlabelled } from './chromium.ts';

let browser: Browser;
let page: Page;
let outside: string[];
const key = 'unpaid_reminder/sms/zh-CN';

beforeAll(async () => {
  browser = await launch();
  ({ page, outside } = await newPage(browser));
  await signIn(page);
});
afterAll(async () => {
  await browser?.close();
});

/** Replaces the editor's whole text, as a user typing it would. */
async function typeSource(text: string) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

const stats = () => page.getByTestId('sms-stats').textContent();

describe('template editor', () => {
  it('lists the kinds by flow and opens the unpaid-reminder SMS with its preview and part count', async () => {
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Unpaid reminders' }).waitFor();
    await screenshot(page, 'templates');
    await page.getByTestId('template-unpaid_reminder-sms-zh-CN').click();
    await page.locator('.cm-content').waitFor();
    await expect.poll(stats).toMatch(/1 part\(s\)/);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'template-editor');
  });

  it('re-renders the preview and the part count while the text is edited', async () => {
    await typeSource('{{ buyer.name }}您好，订单 {{ order.id }} 还未付款。拒收请回复R');
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toContain('还未付款');
    await expect.poll(stats).toMatch(/1 part\(s\)/);
    await typeSource(`{{ buyer.name }}您好，${'请尽快付款，'.repeat(15)}拒收请回复R`);
    await expect.poll(stats).toMatch(/2 part\(s\)/);
    // Two parts exceed the default budget of one: the lint says so, at a line and column.
    await expect
      .poll(() => page.getByTestId('lint').textContent())
      .toMatch(/body, line 1, column \d+: The SMS needs 2 segments/);
    await page.locator('.cm-lint-marker-warning').first().waitFor();
    await screenshot(page, 'template-two-parts');
  });

  it('offers the catalogue variables as completions', async () => {
    await typeSource('{{ buyer.');
    await page.locator('.cm-tooltip-autocomplete').getByText('name', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('shows a save error at its line and column, in the list and in the editor', async () => {
    await typeSource('您好\n订单 {{ buyer.nmae }} 拒收请回复R');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByTestId('save-errors').textContent()).toMatch(/Line 2, column \d+: .*buyer\.nmae/);
    await page.locator('.cm-lintRange-error, .cm-lint-marker-error').first().waitFor();
    await screenshot(page, 'template-save-error');
  });

  it("shows lint and save errors at the server's line and column, in the list and in the editor", async () => {
    // A service kind: marketing wording on the third line is a lint warning, then refused at save.
    await typeSource('{{ buyer.name }}您好，\n订单已为您留好，\n付款再享优惠 拒收请回复R');
    const lint = page.getByTestId('lint').locator('li', { hasText: 'must not carry marketing' });
    await lint.waitFor();
    expect(await lint.getAttribute('data-line')).toBe('3');
    expect(await lint.getAttribute('data-column')).toBe('5');
    expect(await lint.textContent()).toMatch(/^body, line 3, column 5: /);
    const lines = page.locator('.cm-content .cm-line');
    await lines.nth(2).locator('.cm-lintRange-warning').waitFor();
    expect(await lines.nth(2).locator('.cm-lintRange-warning').textContent()).toBe('优');
    expect(await lines.nth(0).locator('.cm-lintRange-warning').count()).toBe(0);

    await page.getByRole('button', { name: 'Save draft' }).click();
    const saved = page.getByTestId('save-errors');
    await expect.poll(() => saved.textContent()).toMatch(/^Line 3, column 5: unpaid_reminder is a service message/);
    await lines.nth(2).locator('.cm-lintRange-error').waitFor();
    await screenshot(page, 'template-lint-server-position');
  });

  it('saves, publishes, and rolls back versions', async () => {
    await typeSource('{{ buyer.name }}您好，第一版。拒收请回复R');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('button', { name: 'Publish v1' }).click();
    await expect.poll(() => page.getByTestId('status-v1').textContent()).toBe('published');

    await typeSource('{{ buyer.name }}您好，第二版。拒收请回复R');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('button', { name: 'Publish v2' }).click();
    await expect.poll(() => page.getByTestId('status-v1').textContent()).toBe('archived');

    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await expect.poll(() => page.getByTestId('status-v1').textContent()).toBe('published');
    expect(await page.getByTestId('status-v2').textContent()).toBe('archived');
    const { body } = await apiCall<{ published_version: number }>(`/v1/templates/${key}`);
    expect(body.published_version).toBe(1);
    await screenshot(page, 'template-versions');
  });

  it('sends a test to the staff member and shows it delivered by the local outbox', async () => {
    await page.getByLabel('Your phone, email or chat webhook').fill('+8613800138000');
    await page.getByRole('button', { name: 'Send a test' }).click();
    const result = page.getByTestId('test-send-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('delivered');
    const id = /message (\S+);/.exec((await result.textContent())!)![1]!;
    const { body } = await apiCall<{ provider: string; status: string; recipient: string }>(`/v1/messages/${id}`);
    expect(body).toMatchObject({ provider: 'local', status: 'delivered' });
    expect(outside).toEqual([]);
    expect(inject('baseUrl')).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('reverts to the built-in default and keeps the versions', async () => {
    await page.getByTestId('revert').click();
    await expect.poll(() => page.getByTestId('status-v1').textContent()).toBe('archived');
    expect(await page.getByTestId('status-v2').textContent()).toBe('archived');
    await page.getByText('Reverted: the built-in default is in use again (v1 archived).').waitFor();
    const { body } = await apiCall<{ published_version: number | null; source: string }>(`/v1/templates/${key}`);
    expect(body).toMatchObject({ published_version: null, source: 'default' });
  });

  it('compares two versions side by side', async () => {
    await page.getByLabel('Left version').selectOption('1');
    await page.getByLabel('Right version').selectOption('2');
    const changed = page.getByTestId('diff').locator('tr.changed');
    await expect.poll(() => changed.first().textContent()).toContain('第一版');
    expect(await changed.first().locator('td.removed').textContent()).toContain('第一版');
    expect(await changed.first().locator('td.added').textContent()).toContain('第二版');
    await screenshot(page, 'template-diff');
  });

  it('gives each variant its own preview', async () => {
    await typeSource('{{ buyer.name }}您好，基础版。拒收请回复R');
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toContain('基础版');
    await page.getByRole('button', { name: 'Add variant' }).click();
    await typeSource('{{ buyer.name }}您好，新客版。拒收请回复R');
    await page.getByLabel('Buyer').selectOption('new');
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toContain('新客版');
    await page.getByTestId('variant-target').selectOption('base');
    await expect.poll(() => page.getByTestId('preview-body').textContent()).toContain('基础版');
    expect(await unlabelled(page)).toEqual([]);
  });
});
