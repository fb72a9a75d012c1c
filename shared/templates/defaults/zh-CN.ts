/**
 * orderbell's own built-in default texts in zh-CN, written for orderbell (not copied from any shop, tool or
 * platform). They aim to read like a warm, brief, experienced customer-service agent wrote them: the buyer is
 * addressed as 亲 (with their name when known), apologies come first when something went wrong, and nothing
 * is promised that the data does not support.
 *
 * Rules these texts keep (PRODUCT.md, "Domain knowledge to respect"):
 * - SMS carries no 【signature】 (the engine adds it) and, rendered with the catalogue samples, stays within
 *   one 70-character SMS including a 6-character signature where a link leaves room for it, else two parts.
 * - Promotional kinds' SMS end with the opt-out 拒收请回复R; transactional kinds carry no marketing words.
 * - Persona variants (tiger/peacock/koala/owl) are not here: staff create them as template variants.
 */
import type { MessageKind } from '../kinds';
import { lines, type KindTexts } from './types';

/** 亲爱的王小明 when the name is known, else 亲. */
const hi = '{% if buyer.name != blank %}亲爱的{{ buyer.name }}{% else %}亲{% endif %}';
/** The first item, and how many items in all when there are several. */
const items = '{{ order.first_item }}{% if order.item_count > 1 %}等{{ order.item_count }}件宝贝{% endif %}';
const signOff = '—— {{ shop.name }}';

export const texts: Record<MessageKind, KindTexts> = {
  unpaid_reminder: {
    sms:
      hi +
      '，{% if cutoff.ships_today %}{{ cutoff.local_time }}前付款今天就发货{% else %}现在付款{{ ship_day.label }}发货{% endif %}，' +
      '{% if buyer.returning %}宝贝给您留着呢{% else %}宝贝已为您留好{% endif %}{% if pay_url != blank %}：{{ pay_url }}{% else %}。{% endif %} 拒收请回复R',
    subject:
      '{% if cutoff.ships_today %}{{ cutoff.local_time }}前付款，今天就为您发货{% else %}宝贝已留好，付款后{{ ship_day.label }}发货{% endif %}',
    body: lines(
      hi + '，您挑选的' + items + '已为您留好，就差付款这一步啦。',
      '{% if cutoff.ships_today %}今天{{ cutoff.local_time }}前付款，当天就为您发货。{% else %}现在付款，{{ ship_day.label }}就为您发货。{% endif %}',
      '{% if pay_url != blank %}一键付款：{{ pay_url }}{% endif %}',
      '{% if buyer.returning %}谢谢老朋友一直以来的支持！{% else %}有任何疑问，随时联系我们的客服。{% endif %}',
      signOff,
    ),
  },

  preclose_reminder: {
    sms:
      hi +
      '，宝贝为您留到{{ close.local_time }}{% if pay_url != blank %}，付款：{{ pay_url }}{% else %}，记得及时付款哦{% endif %} 拒收请回复R',
    subject: '您的宝贝保留到{{ close.local_time }}，付款后尽快发货',
    body: lines(
      hi + '，您挑选的' + items + '还为您保留着。',
      '在{{ close.local_time }}前付款，就能顺利为您发货。',
      '{% if pay_url != blank %}一键付款：{{ pay_url }}{% endif %}',
      signOff,
    ),
  },

  thank_you: {
    sms:
      hi +
      '，{% if buyer.returning %}谢谢老朋友及时付款！{% else %}感谢您及时付款！{% endif %}' +
      '宝贝{% if cutoff.ships_today %}今天就为您发出{% else %}将于{{ ship_day.label }}发出{% endif %}，' +
      '请核对收货地址：{{ address.confirm_url }}{% if region.remote %} {{ region.note }}{% endif %}',
    subject:
      '{% if buyer.returning %}谢谢老朋友又一次光临{% else %}感谢您的购买{% endif %}，宝贝{{ ship_day.label }}发出',
    body: lines(
      hi +
        '，{% if buyer.returning %}谢谢您又一次光临，付款也这么及时！{% else %}感谢您及时付款，我们已经开始为您备货啦！{% endif %}',
      '您的' + items + '将于{{ ship_day.label }}发出。{% if region.remote %}{{ region.note }}{% endif %}',
      '收货地址：{{ address.summary }}，请核对一下，需要修改点这里：{{ address.confirm_url }}',
      signOff,
    ),
  },

  address_confirmation: {
    sms: hi + '，请核对收货地址：{{ address.summary }}。确认或修改请点：{{ address.confirm_url }}',
    subject: '请核对您的收货地址',
    body: lines(
      hi + '，为了让宝贝顺利送到您手上，请再核对一下收货地址：',
      '{{ address.summary }}',
      '确认地址或提交修改，点这里就好：{{ address.confirm_url }}',
      signOff,
    ),
  },

  address_correction: {
    sms: '地址修改申请：订单{{ order.id }}的买家留言“{{ correction.text }}”，请在发货前核对处理。',
    subject: '买家申请修改收货地址：订单{{ order.id }}',
    body: lines(
      '订单{{ order.id }}的买家{{ buyer.name | default: "未留名" }}申请修改收货地址，请在发货前核对处理。',
      '买家留言：{{ correction.text }}',
      '订单上的地址：{{ address.summary }}',
      '申请时间：{{ correction.requested_at }}',
    ),
  },

  shipped: {
    sms: hi + '，您的宝贝已由{{ shipment.carrier }}发出，运单号{{ shipment.tracking_number }}，请留意查收。',
    subject: '您的宝贝已发货：{{ shipment.carrier }} {{ shipment.tracking_number }}',
    body: lines(
      hi + '，您的' + items + '已经发货啦！',
      '快递：{{ shipment.carrier }}，运单号：{{ shipment.tracking_number }}',
      '{% if shipment.tracking_url != blank %}物流详情：{{ shipment.tracking_url }}{% endif %}',
      signOff,
    ),
  },

  arrived_in_city: {
    sms:
      hi +
      '，您的宝贝已到{% if shipment.location != blank %}{{ shipment.location }}{% else %}您所在的城市{% endif %}，即将派送，请保持电话畅通，签收时记得先验货哦。',
    subject:
      '您的宝贝已到{% if shipment.location != blank %}{{ shipment.location }}{% else %}您所在的城市{% endif %}，即将派送',
    body: lines(
      hi +
        '，您的宝贝已经到{% if shipment.location != blank %}{{ shipment.location }}{% else %}您所在的城市{% endif %}啦，很快就会派送。',
      '请保持电话畅通，签收时记得当面检查包裹，确认完好再签收。',
      '{% if shipment.tracking_url != blank %}物流详情（{{ shipment.carrier }} {{ shipment.tracking_number }}）：{{ shipment.tracking_url }}{% else %}快递：{{ shipment.carrier }}，运单号{{ shipment.tracking_number }}{% endif %}',
      signOff,
    ),
  },

  out_for_delivery: {
    sms: hi + '，您的宝贝正在派送中，请保持电话畅通，签收时记得当面验货哦。',
    subject: '您的宝贝正在派送中',
    body: lines(
      hi + '，{{ shipment.carrier }}的快递员正在为您派送，宝贝今天就到啦。',
      '请保持电话畅通，签收时记得当面检查包裹，确认完好再签收。',
      '{% if shipment.tracking_url != blank %}物流详情（{{ shipment.tracking_number }}）：{{ shipment.tracking_url }}{% else %}运单号：{{ shipment.tracking_number }}{% endif %}',
      signOff,
    ),
  },

  delivered: {
    sms: hi + '，您的宝贝已签收，一切都还好吗？有任何问题随时找我们，马上为您处理。',
    subject: '宝贝已签收，一切都还好吗？',
    body: lines(
      hi + '，您的' + items + '已经签收啦。',
      '收到的宝贝一切都还好吗？有任何问题随时联系我们，马上为您处理。',
      signOff,
    ),
  },

  delivery_exception: {
    sms:
      hi +
      '，非常抱歉，您的包裹物流显示“{{ exception.label }}”，我们正在联系{{ shipment.carrier }}加急处理，有进展第一时间告诉您。',
    subject: '非常抱歉，您的包裹需要我们跟进一下',
    body: lines(
      hi + '，非常抱歉！您的包裹物流显示“{{ exception.label }}”。',
      '我们已经在联系{{ shipment.carrier }}加急处理（运单号{{ shipment.tracking_number }}），有进展会第一时间告诉您。',
      '{% if shipment.tracking_url != blank %}物流详情：{{ shipment.tracking_url }}{% endif %}',
      '给您添麻烦了，谢谢您的耐心。',
      signOff,
    ),
  },

  shipment_stalled: {
    sms:
      hi +
      '，非常抱歉，您的包裹{% if shipment.location != blank %}在{{ shipment.location }}{% endif %}停留了{{ stall.days }}天，我们已在催{{ shipment.carrier }}加急处理，有进展马上告诉您。',
    subject: '非常抱歉，我们正在加急跟进您的包裹',
    body: lines(
      hi +
        '，非常抱歉！您的包裹{% if shipment.location != blank %}在{{ shipment.location }}{% endif %}已经停留了{{ stall.days }}天。',
      '我们已经在催{{ shipment.carrier }}加急处理（运单号{{ shipment.tracking_number }}），有进展马上告诉您。',
      '{% if shipment.tracking_url != blank %}物流详情：{{ shipment.tracking_url }}{% endif %}',
      '给您添麻烦了，谢谢您的耐心。',
      signOff,
    ),
  },

  holiday_delay_notice: {
    sms:
      hi +
      '，提前跟您说一声：{{ holiday.name }}期间快递繁忙，您的包裹预计多需{{ holiday.delay_days }}天左右，我们会一直帮您盯着。',
    subject: '{{ holiday.name }}期间快递繁忙，包裹预计多需{{ holiday.delay_days }}天',
    body: lines(
      hi + '，提前跟您说一声：{{ holiday.name }}期间快递繁忙，您的包裹预计多需{{ holiday.delay_days }}天左右送达。',
      '{% if shipment.tracking_number != blank %}我们会一直帮您盯着物流（{{ shipment.carrier }} {{ shipment.tracking_number }}）{% if shipment.tracking_url != blank %}：{{ shipment.tracking_url }}{% else %}。{% endif %}{% else %}我们会尽快为您发货，并一直帮您盯着物流。{% endif %}',
      '谢谢您的耐心等待！',
      signOff,
    ),
  },

  delivery_exception_alert: {
    sms: '物流异常：订单{{ order.id }}，运单{{ shipment.tracking_number }}，{{ alert.label }}，请尽快处理。',
    subject: '物流异常：订单{{ order.id }}，{{ alert.label }}',
    body: lines(
      '{{ shop.name }}有一个包裹出现异常，请尽快跟进。',
      '订单：{{ order.id }}，买家：{{ buyer.name | default: "未留名" }}',
      '快递：{{ shipment.carrier }} {{ shipment.tracking_number }}',
      '状态：{{ alert.label }}{% if shipment.location != blank %}（{{ shipment.location }}）{% endif %}',
      '{% if shipment.detail != blank %}详情：{{ shipment.detail }}{% endif %}',
      '处理：{{ order.console_url }}',
    ),
  },

  shipment_stalled_alert: {
    sms: '包裹停滞：订单{{ order.id }}，运单{{ shipment.tracking_number }}已{{ stall.hours }}小时无物流更新，请尽快跟进。',
    subject: '包裹停滞：订单{{ order.id }}已{{ stall.hours }}小时无物流更新',
    body: lines(
      '{{ shop.name }}有一个包裹长时间没有物流更新，请联系快递跟进。',
      '订单：{{ order.id }}，买家：{{ buyer.name | default: "未留名" }}',
      '快递：{{ shipment.carrier }} {{ shipment.tracking_number }}{% if shipment.location != blank %}，最后位置：{{ shipment.location }}{% endif %}',
      '已停滞{{ stall.hours }}小时（该快递此状态通常不超过{{ stall.threshold_hours }}小时）',
      '处理：{{ order.console_url }}',
    ),
  },

  review_request: {
    sms:
      hi +
      '，宝贝用着怎么样？' +
      '{% if review_url != blank %}欢迎说说您的真实感受：{{ review_url }}{% else %}欢迎在订单里说说您的真实感受。{% endif %}' +
      ' 拒收请回复R',
    subject: '宝贝用着怎么样？欢迎说说您的感受',
    body: lines(
      hi + '，您的' + items + '用着怎么样？',
      '{% if review_url != blank %}欢迎花一分钟写个评价，说说您的真实感受，每条我们都会认真看：{{ review_url }}{% else %}欢迎花一分钟在订单里写个评价，说说您的真实感受，每条我们都会认真看。{% endif %}',
      '谢谢您！',
      signOff,
    ),
  },

  review_reminder: {
    sms:
      hi +
      '，想听听您对宝贝的感受，' +
      '{% if review_url != blank %}每条评价我们都认真看：{{ review_url }}{% else %}欢迎在订单里写个评价，每条我们都认真看。{% endif %}' +
      ' 拒收请回复R',
    subject: '期待听听您对宝贝的感受',
    body: lines(
      hi + '，再打扰您一下：期待听听您对' + items + '的感受。',
      '{% if review_url != blank %}什么感受都欢迎写下来，每条评价我们都会认真看：{{ review_url }}{% else %}什么感受都欢迎在订单里写下来，每条评价我们都会认真看。{% endif %}',
      '谢谢您！',
      signOff,
    ),
  },

  negative_review_alert: {
    sms:
      '中差评提醒：{{ review.rating }}星，订单{{ order.id }}，买家{{ buyer.name | default: "未留名" }}，' +
      '{% if review.content != blank %}内容“{{ review.content }}”{% else %}无文字内容{% endif %}。处理：{{ order.console_url }}',
    subject: '中差评提醒：{{ review.rating }}星，订单{{ order.id }}',
    body: lines(
      '{{ shop.name }}收到一条{{ review.rating }}星评价，请尽快跟进。',
      '订单：{{ order.id }}（{{ order.total }}，{{ order.item_count }}件）',
      '买家：{{ buyer.name | default: "未留名" }}{% if buyer.returning %}（老客户）{% endif %}',
      '内容：{% if review.content != blank %}{{ review.content }}{% else %}无文字内容{% endif %}',
      '处理：{{ order.console_url }}',
      '{% if also != empty %}同时收到的其他中差评：{% for a in also %}{{ a.rating }}星，订单{{ a.order_id }}{% if a.content != blank %}，“{{ a.content }}”{% endif %}，处理：{{ a.console_url }}；{% endfor %}{% endif %}',
    ),
  },

  negative_review_care: {
    sms: hi + '，非常抱歉这次给您添麻烦了！您反馈的问题我们很重视，客服会尽快联系您处理。拒收请回复R',
    subject: '非常抱歉，这次给您添麻烦了',
    body: lines(
      hi + '，非常抱歉这次给您添麻烦了！',
      '{% if review.content != blank %}您提到的“{{ review.content }}”，我们都认真记下了。{% else %}您的反馈我们都认真记下了。{% endif %}',
      '客服会尽快联系您，一起把问题处理好。',
      signOff,
    ),
  },

  positive_review_thanks: {
    sms: hi + '，谢谢您的好评！您的认可是我们最大的动力，期待再次为您服务。拒收请回复R',
    subject: '谢谢您的好评！',
    body: lines(hi + '，谢谢您的好评！', '您的认可是我们最大的动力，期待再次为您服务。', signOff),
  },
};
