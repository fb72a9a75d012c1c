/**
 * Channel fallback without rendering: the route after a message's channel and
 * the text for each of its channels are fixed when the message is planned, and
 * the dispatcher only inserts the next of them.
 */
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/crypto/random';
import { db } from '../../shared/db/client';
import { templates, templateVersions, type Channel, type Shop, type TemplateContent } from '../../shared/db/schema';
import { DAY, HOOK_URL, dispatcherEnv, plan, row, scene, updateBuyer, withFallback } from '../../test/helpers/dispatch';
import { assertProvidersClean, fakeProvider, noNetwork } from '../../test/helpers/fake-provider';
import { processJob } from './process';

afterEach(assertProvidersClean);

/** Publishes a new version of the shop's own `shipped` text (zh-CN) for a channel, as the console would. */
async function publishShipped(shop: Shop, channel: Channel, parts: TemplateContent) {
  const d = db(env.DB);
  const where = and(eq(templates.shopId, shop.id), eq(templates.kind, 'shipped'), eq(templates.channel, channel));
  const existing = await d.query.templates.findFirst({ where });
  const templateId = existing?.id ?? newId('tpl');
  const versionId = newId('tv');
  const version = d.insert(templateVersions).values({
    id: versionId,
    shopId: shop.id,
    templateId,
    version: existing ? 2 : 1,
    status: 'published',
    content: { parts },
    createdAt: DAY,
    publishedAt: DAY,
  });
  if (existing) {
    await d.batch([version, d.update(templates).set({ publishedVersionId: versionId }).where(where)]);
  } else {
    const template = d.insert(templates).values({
      id: templateId,
      shopId: shop.id,
      kind: 'shipped',
      channel,
      locale: 'zh-CN',
      publishedVersionId: versionId,
      createdAt: DAY,
      updatedAt: DAY,
    });
    await d.batch([template, version]);
  }
  return versionId;
}

const emailText = (subject: string) => ({ subject, html: `<p>${subject}</p>`, text: subject });

describe('fallback alternatives fixed at plan time', () => {
  it('planning renders every later reachable channel of the route and stores it with the row', async () => {
    const s = await scene({ default_route: ['webhook', 'sms', 'email'], providers: { webhook: ['webhook'] } });
    const job = await plan(s, 'shipped', DAY);
    const m = await row(job.messageId);
    expect(m.channel).toBe('webhook');
    expect(m.alternatives?.map((a) => a.channel)).toEqual(['sms', 'email']);
    expect(m.alternatives?.[0]).toMatchObject({ passed: null, variant: 'base', templateVersionId: null });
    expect(m.alternatives?.[0]?.rendered).toHaveProperty('body');
    expect(m.alternatives?.[1]?.rendered).toHaveProperty('subject');
  });

  it('the fallback row carries the text rendered at planning, even after the template changed', async () => {
    const s = await scene({ default_route: ['webhook', 'email'], providers: { webhook: ['webhook'] } });
    const planVersion = await publishShipped(s.shop, 'email', emailText('旧主题 {{ order.id }}'));
    const job = await plan(s, 'shipped', DAY);
    const planned = (await row(job.messageId)).alternatives![0]!;
    expect(planned.templateVersionId).toBe(planVersion);
    expect(planned.rendered).toMatchObject({ subject: expect.stringMatching(/^旧主题 /) });

    // Staff publish a new email text after planning; the dispatcher must not pick it up.
    await publishShipped(s.shop, 'email', emailText('新主题'));
    const provider = fakeProvider(HOOK_URL, 400);
    const env = dispatcherEnv();
    expect(await processJob(env, job, DAY, provider.fetch)).toEqual({ status: 'failed', reason: 'provider_rejected' });
    const [, next] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(next).toMatchObject({
      channel: 'email',
      status: 'queued',
      rendered: planned.rendered,
      templateVersionId: planVersion,
      variant: planned.variant,
      fallbackReason: 'provider_rejected:webhook',
      alternatives: [],
    });
    expect(await processJob(env, env.queue.sent[0]!.body, DAY, provider.fetch)).toEqual({ status: 'delivered' });
  });

  it('reasons recorded at planning for unreachable channels reach the fallback row', async () => {
    const s = await scene(
      { default_route: ['webhook', 'sms', 'email'], providers: { webhook: ['webhook'] } },
      { buyer: { phone: null } },
    );
    const job = await plan(s, 'shipped', DAY);
    expect((await row(job.messageId)).alternatives).toMatchObject([{ channel: 'email', passed: 'no_address:sms' }]);
    expect(await processJob(dispatcherEnv(), job, DAY, fakeProvider(HOOK_URL, 400).fetch)).toMatchObject({
      status: 'failed',
    });
    const [, next] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(next).toMatchObject({ channel: 'email', fallbackReason: 'provider_rejected:webhook;no_address:sms' });
  });

  it('falls back along the stored route more than once, each row keeping the rest of it', async () => {
    const s = await scene({ default_route: ['webhook', 'sms', 'email'], providers: { webhook: ['webhook'] } });
    const job = await plan(s, 'shipped', DAY);
    const env = dispatcherEnv();
    await processJob(env, job, DAY, fakeProvider(HOOK_URL, 400).fetch);
    const smsJob = env.queue.sent[0]!.body;
    expect(await row(smsJob.messageId)).toMatchObject({
      channel: 'sms',
      recipient: s.buyer.phone,
      alternatives: [{ channel: 'email' }],
    });
    // The buyer opts out of SMS before the fallback goes out: the next stored channel takes over.
    await updateBuyer(s.buyer, { optedOutChannels: ['sms'] });
    expect(await processJob(env, smsJob, DAY, noNetwork().fetch)).toEqual({ status: 'skipped', reason: 'opted_out' });
    const emailJob = env.queue.sent[1]!.body;
    expect(await row(emailJob.messageId)).toMatchObject({
      channel: 'email',
      recipient: s.buyer.email,
      status: 'queued',
      fallbackReason: 'opted_out:sms',
      alternatives: [],
    });
    expect(await processJob(env, emailJob, DAY, noNetwork().fetch)).toEqual({ status: 'delivered' });
  });

  it('a stored channel the buyer has since opted out of is passed over, with its reason', async () => {
    const s = await scene({ default_route: ['webhook', 'sms', 'email'], providers: { webhook: ['webhook'] } });
    const job = await plan(s, 'shipped', DAY);
    await updateBuyer(s.buyer, { optedOutChannels: ['sms'] });
    await processJob(dispatcherEnv(), job, DAY, fakeProvider(HOOK_URL, 400).fetch);
    const [, next] = await withFallback(s.shop.id, s.order.id, job.messageId);
    expect(next).toMatchObject({ channel: 'email', fallbackReason: 'provider_rejected:webhook;opted_out:sms' });
  });

  it('a later channel whose text fails to render is left out; the message itself is planned and sent', async () => {
    const s = await scene({ default_route: ['sms', 'webhook', 'email'] }, { webhook: false });
    await publishShipped(s.shop, 'webhook', { payload: 'not json {{ order.id }}' });
    const job = await plan(s, 'shipped', DAY);
    const m = await row(job.messageId);
    expect(m).toMatchObject({ channel: 'sms', status: 'queued' });
    expect(m.alternatives).toMatchObject([{ channel: 'email', passed: 'render_failed:webhook' }]);
    expect(await processJob(dispatcherEnv(), job, DAY, noNetwork().fetch)).toEqual({ status: 'delivered' });
  });
});
