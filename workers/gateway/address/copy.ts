/**
 * The words of the address-confirmation pages, in zh-CN and en, and the
 * choice between them: `?lang=`, else the buyer's locale, else the browser's
 * Accept-Language, else zh-CN.
 */
import { defaultLocaleFor } from '../../../shared/templates/defaults';

export type PageLocale = 'zh-CN' | 'en';

/** The first language of an Accept-Language header by weight, or undefined. */
function preferred(header: string | undefined): string | undefined {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag!.trim(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((l) => l.tag && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag;
}

export function pageLocale(opts: { lang?: string; buyer?: string | null; acceptLanguage?: string }): PageLocale {
  const chosen = opts.lang || opts.buyer || preferred(opts.acceptLanguage);
  return chosen ? defaultLocaleFor(chosen) : 'zh-CN';
}

export const copy = {
  'zh-CN': {
    title: '核对收货地址',
    intro: '亲，为了让宝贝顺利送到您手上，请核对一下订单的收货地址：',
    order: '订单号',
    noAddress: '订单上还没有收货地址，请在下方告诉我们寄到哪里。',
    confirm: '地址没问题',
    needsChange: '需要修改',
    correctionLabel: '请写下正确的地址，或需要修改的地方',
    correctionHint: '例如：门牌号应为 8 单元 302 室',
    send: '提交修改',
    confirmedNote: '您已确认过这个地址，谢谢！如需修改，仍可在下方提交。',
    confirmedTitle: '谢谢，地址已确认',
    confirmedBody: '我们会按这个地址为您发货，请留意物流通知。',
    correctedTitle: '修改已提交',
    correctedBody: '我们已把您的修改转给店铺，客服会尽快处理。如还需调整，请直接联系店铺客服。',
    yourCorrection: '您提交的修改',
    shippedTitle: '宝贝已经发出啦',
    shippedBody: '包裹已经发货，地址没法在这里修改了。如有需要，请联系店铺客服，我们会尽力帮您。',
    closedTitle: '订单已关闭',
    closedBody: '这个订单已经关闭，不需要再核对地址了。',
    invalidTitle: '链接无法识别',
    invalidBody: '抱歉，这个链接无法识别，请检查是否复制完整，或联系店铺客服。',
    expiredTitle: '链接已过期',
    expiredBody: '抱歉，为了保护您的信息，这个链接已经过期。如需修改地址，请联系店铺客服。',
    errorTitle: '出了点小问题',
    errorBody: '非常抱歉，页面暂时没能打开，请稍后再试。',
    correctionMissing: '请写下需要修改的内容。',
    correctionTooLong: '内容最多 500 字。',
  },
  en: {
    title: 'Check your delivery address',
    intro: 'To make sure your parcel reaches you, please check the delivery address of your order:',
    order: 'Order',
    noAddress: 'Your order has no delivery address yet. Please tell us where to send it below.',
    confirm: 'Looks right',
    needsChange: 'Needs a change',
    correctionLabel: 'Write the correct address, or what needs to change',
    correctionHint: 'For example: the flat number is 302, not 203',
    send: 'Send correction',
    confirmedNote: 'You confirmed this address, thank you! You can still send a correction below.',
    confirmedTitle: 'Thank you, address confirmed',
    confirmedBody: 'We will ship to this address. Watch out for the shipping notice.',
    correctedTitle: 'Correction sent',
    correctedBody:
      'We passed your correction to the shop, and they will take care of it soon. For any further change, please contact the shop.',
    yourCorrection: 'Your correction',
    shippedTitle: 'Your parcel is on its way',
    shippedBody:
      'The parcel has already shipped, so the address can no longer be changed here. Please contact the shop if you need help.',
    closedTitle: 'This order is closed',
    closedBody: 'This order has been closed, so there is no address to check.',
    invalidTitle: 'We could not read this link',
    invalidBody: 'Sorry, this link is not valid. Please check that it was copied in full, or contact the shop.',
    expiredTitle: 'This link has expired',
    expiredBody:
      'Sorry, to protect your details this link has expired. Please contact the shop to change your address.',
    errorTitle: 'Something went wrong',
    errorBody: 'We are sorry, the page could not be shown. Please try again in a moment.',
    correctionMissing: 'Please write what needs to change.',
    correctionTooLong: 'Please keep it under 500 characters.',
  },
} satisfies Record<PageLocale, Record<string, string>>;

export type Copy = (typeof copy)[PageLocale];
