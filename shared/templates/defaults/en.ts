/**
 * orderbell's own built-in default texts in English, written for orderbell (not copied from any shop, tool or
 * platform). They aim to read like a warm, brief, experienced customer-service agent wrote them: the buyer is
 * greeted by name when known, apologies come first when something went wrong, and nothing is promised that the
 * data does not support.
 *
 * Rules these texts keep (PRODUCT.md, "Domain knowledge to respect"):
 * - SMS carries no signature (the engine adds it), uses only GSM-7 characters in its own wording (no curly
 *   quotes, dashes or currency signs, so no `order.total`) and aims at one 160-character SMS.
 * - Promotional kinds' SMS end with the opt-out "Reply STOP to opt out"; transactional kinds carry no marketing.
 * - Persona variants (tiger/peacock/koala/owl) are not here: staff create them as template variants.
 */
import type { MessageKind } from '../kinds';
import { lines, type KindTexts } from './types';

const hi = 'Hi {{ buyer.name | default: "there" }}';
/** The first item, and how many more when there are several. */
const items =
  '{{ order.first_item }}{% if order.item_count > 1 %} and {{ order.item_count | minus: 1 }} more{% endif %}';
const signOff = 'The {{ shop.name }} team';

export const texts: Record<MessageKind, KindTexts> = {
  unpaid_reminder: {
    sms:
      hi +
      ', {% if cutoff.ships_today %}pay before {{ cutoff.local_time }} and your order ships today{% else %}pay now and your order ships {{ ship_day.label }}{% endif %}. ' +
      '{% if buyer.returning %}Good to see you again!{% else %}Your items are saved for you.{% endif %}{% if pay_url != blank %} {{ pay_url }}{% endif %} Reply STOP to opt out',
    subject:
      '{% if cutoff.ships_today %}Pay before {{ cutoff.local_time }} and it ships today{% else %}Your items are saved: pay now, ships {{ ship_day.label }}{% endif %}',
    body: lines(
      hi +
        ', your ' +
        items +
        ' {% if order.item_count > 1 %}are{% else %}is{% endif %} saved for you, just one step to go.',
      '{% if cutoff.ships_today %}Pay before {{ cutoff.local_time }} today and we ship it the same day.{% else %}Pay now and we ship it {{ ship_day.label }}.{% endif %}',
      '{% if pay_url != blank %}Pay in one tap: {{ pay_url }}{% endif %}',
      '{% if buyer.returning %}Thank you for shopping with us again!{% else %}Any questions? Just get in touch, we are happy to help.{% endif %}',
      signOff,
    ),
  },

  preclose_reminder: {
    sms:
      hi +
      ', your items are saved for you until {{ close.local_time }}.{% if pay_url != blank %} Pay here: {{ pay_url }}{% endif %} Reply STOP to opt out',
    subject: 'Your items are saved for you until {{ close.local_time }}',
    body: lines(
      hi + ', your ' + items + ' {% if order.item_count > 1 %}are{% else %}is{% endif %} still saved for you.',
      'Pay before {{ close.local_time }} and we will ship it right away.',
      '{% if pay_url != blank %}Pay in one tap: {{ pay_url }}{% endif %}',
      signOff,
    ),
  },

  thank_you: {
    sms:
      hi +
      ', {% if buyer.returning %}welcome back, and thanks for paying so promptly!{% else %}thank you for paying so promptly!{% endif %} ' +
      'Your parcel ships {% if cutoff.ships_today %}today{% else %}{{ ship_day.label }}{% endif %}. Please check your address: {{ address.confirm_url }}' +
      '{% if region.remote %} {{ region.note }}{% endif %}',
    subject:
      '{% if buyer.returning %}Welcome back, and thank you!{% else %}Thank you for your order!{% endif %} It ships {{ ship_day.label }}',
    body: lines(
      hi +
        ', {% if buyer.returning %}welcome back, and thank you for paying so promptly!{% else %}thank you for paying so promptly, we are getting your order ready!{% endif %}',
      'Your ' + items + ' ships {{ ship_day.label }}.{% if region.remote %} {{ region.note }}{% endif %}',
      'Delivery address: {{ address.summary }}. Please check it, and correct it here if needed: {{ address.confirm_url }}',
      signOff,
    ),
  },

  address_confirmation: {
    sms:
      hi +
      ', please check your delivery address: {{ address.summary }}. Confirm or correct it here: {{ address.confirm_url }}',
    subject: 'Please check your delivery address',
    body: lines(
      hi + ', to make sure your parcel reaches you, please check your delivery address:',
      '{{ address.summary }}',
      'Confirm it, or send a correction, in one tap: {{ address.confirm_url }}',
      signOff,
    ),
  },

  address_correction: {
    sms: 'Address change request for order {{ order.id }}: "{{ correction.text }}". Please check it before shipping.',
    subject: 'Address change request: order {{ order.id }}',
    body: lines(
      'The buyer of order {{ order.id }}{% if buyer.name != blank %} ({{ buyer.name }}){% endif %} asks to change the delivery address. Please check it before shipping.',
      'Their note: {{ correction.text }}',
      'Address on the order: {{ address.summary }}',
      'Requested at: {{ correction.requested_at }}',
    ),
  },

  shipped: {
    sms: hi + ', your order is on its way with {{ shipment.carrier }}, tracking number {{ shipment.tracking_number }}.',
    subject: 'Your order has shipped: {{ shipment.carrier }} {{ shipment.tracking_number }}',
    body: lines(
      hi + ', your ' + items + ' {% if order.item_count > 1 %}are{% else %}is{% endif %} on the way!',
      'Carrier: {{ shipment.carrier }}, tracking number: {{ shipment.tracking_number }}',
      '{% if shipment.tracking_url != blank %}Track it here: {{ shipment.tracking_url }}{% endif %}',
      signOff,
    ),
  },

  arrived_in_city: {
    sms:
      hi +
      ', your parcel has reached {% if shipment.location != blank %}{{ shipment.location }}{% else %}your city{% endif %} and will be delivered soon. Please keep your phone on and check the parcel when you receive it.',
    subject:
      'Your parcel has reached {% if shipment.location != blank %}{{ shipment.location }}{% else %}your city{% endif %}',
    body: lines(
      hi +
        ', your parcel has reached {% if shipment.location != blank %}{{ shipment.location }}{% else %}your city{% endif %} and will be delivered soon.',
      'Please keep your phone on, and check the parcel is intact when you receive it.',
      '{% if shipment.tracking_url != blank %}Tracking ({{ shipment.carrier }} {{ shipment.tracking_number }}): {{ shipment.tracking_url }}{% else %}Carrier: {{ shipment.carrier }}, tracking number {{ shipment.tracking_number }}{% endif %}',
      signOff,
    ),
  },

  out_for_delivery: {
    sms: hi + ', your parcel is out for delivery. Please keep your phone on and check the parcel when you receive it.',
    subject: 'Your parcel is out for delivery',
    body: lines(
      hi + ', the {{ shipment.carrier }} courier is bringing your parcel today.',
      'Please keep your phone on, and check the parcel is intact when you receive it.',
      '{% if shipment.tracking_url != blank %}Tracking ({{ shipment.tracking_number }}): {{ shipment.tracking_url }}{% else %}Tracking number: {{ shipment.tracking_number }}{% endif %}',
      signOff,
    ),
  },

  delivered: {
    sms: hi + ', your parcel has been delivered. Is everything all right? If anything needs fixing, just let us know.',
    subject: 'Your parcel has arrived. Is everything all right?',
    body: lines(
      hi + ', your ' + items + ' {% if order.item_count > 1 %}have{% else %}has{% endif %} been delivered.',
      'Is everything all right? If anything needs fixing, just let us know and we will sort it out right away.',
      signOff,
    ),
  },

  delivery_exception: {
    sms:
      hi +
      ', we are so sorry: tracking shows "{{ exception.label }}" for your parcel. We are on it with {{ shipment.carrier }} and will update you soon.',
    subject: 'We are sorry: we are following up on your parcel',
    body: lines(
      hi + ', we are so sorry! Tracking shows "{{ exception.label }}" for your parcel.',
      'We are already working on it with {{ shipment.carrier }} (tracking number {{ shipment.tracking_number }}) and will update you as soon as we hear back.',
      '{% if shipment.tracking_url != blank %}Tracking: {{ shipment.tracking_url }}{% endif %}',
      'Thank you for your patience.',
      signOff,
    ),
  },

  shipment_stalled: {
    sms:
      hi +
      ', we are so sorry: your parcel has been {% if shipment.location != blank %}in {{ shipment.location }} {% endif %}stuck for {{ stall.days }} days. We have asked {{ shipment.carrier }} to speed it up and will update you soon.',
    subject: 'We are sorry: we are chasing your parcel',
    body: lines(
      hi +
        ', we are so sorry! Your parcel has been {% if shipment.location != blank %}in {{ shipment.location }} {% endif %}stuck for {{ stall.days }} days.',
      'We have asked {{ shipment.carrier }} to speed it up (tracking number {{ shipment.tracking_number }}) and will update you as soon as it moves.',
      '{% if shipment.tracking_url != blank %}Tracking: {{ shipment.tracking_url }}{% endif %}',
      'Thank you for your patience.',
      signOff,
    ),
  },

  holiday_delay_notice: {
    sms:
      hi +
      ', a heads-up: carriers are busy during {{ holiday.name }}, so your parcel may take about {{ holiday.delay_days }} extra days. We are keeping an eye on it for you.',
    subject: 'A heads-up: deliveries take a little longer during {{ holiday.name }}',
    body: lines(
      hi +
        ', a heads-up: carriers are busy during {{ holiday.name }}, so your parcel may take about {{ holiday.delay_days }} extra days.',
      '{% if shipment.tracking_number != blank %}We are keeping an eye on it for you ({{ shipment.carrier }} {{ shipment.tracking_number }}){% if shipment.tracking_url != blank %}: {{ shipment.tracking_url }}{% else %}.{% endif %}{% else %}We will ship it as soon as we can and keep an eye on it for you.{% endif %}',
      'Thank you for your patience!',
      signOff,
    ),
  },

  delivery_exception_alert: {
    sms: 'Delivery problem: order {{ order.id }}, {{ shipment.carrier }} {{ shipment.tracking_number }}: {{ alert.label }}. {{ order.console_url }}',
    subject: 'Delivery problem on order {{ order.id }}: {{ alert.label }}',
    body: lines(
      'A parcel of {{ shop.name }} ran into a problem. Please follow up soon.',
      'Order: {{ order.id }}, buyer: {{ buyer.name | default: "unnamed" }}',
      'Parcel: {{ shipment.carrier }} {{ shipment.tracking_number }}',
      'Status: {{ alert.label }}{% if shipment.location != blank %} ({{ shipment.location }}){% endif %}',
      '{% if shipment.detail != blank %}Detail: {{ shipment.detail }}{% endif %}',
      'Follow up: {{ order.console_url }}',
    ),
  },

  shipment_stalled_alert: {
    sms: 'Parcel stalled: order {{ order.id }}, {{ shipment.carrier }} {{ shipment.tracking_number }} has not moved for {{ stall.hours }} h. {{ order.console_url }}',
    subject: 'Parcel stalled on order {{ order.id }}: no movement for {{ stall.hours }} h',
    body: lines(
      'A parcel of {{ shop.name }} has not moved for a long time. Please chase the carrier.',
      'Order: {{ order.id }}, buyer: {{ buyer.name | default: "unnamed" }}',
      'Parcel: {{ shipment.carrier }} {{ shipment.tracking_number }}{% if shipment.location != blank %}, last seen in {{ shipment.location }}{% endif %}',
      'No movement for {{ stall.hours }} h (normal for this carrier and status: up to {{ stall.threshold_hours }} h)',
      'Follow up: {{ order.console_url }}',
    ),
  },

  review_request: {
    sms:
      hi +
      ', how are you finding your order? ' +
      '{% if review_url != blank %}We would love to hear what you think: {{ review_url }}{% else %}We would love to hear what you think in a review on your order.{% endif %}' +
      ' Reply STOP to opt out',
    subject: 'How are you finding your order?',
    body: lines(
      hi + ', how are you finding your ' + items + '?',
      '{% if review_url != blank %}We would love a minute of your honest thoughts in a review. We read every one: {{ review_url }}{% else %}We would love a minute of your honest thoughts in a review on your order. We read every one.{% endif %}',
      'Thank you!',
      signOff,
    ),
  },

  review_reminder: {
    sms:
      hi +
      ', we would still love to hear what you think of your order. ' +
      '{% if review_url != blank %}We read every review: {{ review_url }}{% else %}A review on your order is all it takes; we read every one.{% endif %}' +
      ' Reply STOP to opt out',
    subject: 'We would still love to hear what you think',
    body: lines(
      hi + ', one gentle reminder: we would love to hear what you think of your ' + items + '.',
      '{% if review_url != blank %}Whatever your experience, please tell us in a review. We read every one: {{ review_url }}{% else %}Whatever your experience, please tell us in a review on your order. We read every one.{% endif %}',
      'Thank you!',
      signOff,
    ),
  },

  negative_review_alert: {
    sms:
      'Review alert: {{ review.rating }} stars on order {{ order.id }} from {{ buyer.name | default: "an unnamed buyer" }}. ' +
      '{% if review.content != blank %}"{{ review.content }}"{% else %}No text.{% endif %} {{ order.console_url }}',
    subject: 'Review alert: {{ review.rating }} stars on order {{ order.id }}',
    body: lines(
      '{{ shop.name }} received a {{ review.rating }}-star review. Please follow up soon.',
      'Order: {{ order.id }} ({{ order.total }}, {{ order.item_count }} items)',
      'Buyer: {{ buyer.name | default: "unnamed" }}{% if buyer.returning %} (returning customer){% endif %}',
      'Review: {% if review.content != blank %}{{ review.content }}{% else %}no text{% endif %}',
      'Follow up: {{ order.console_url }}',
      '{% if also != empty %}Also in the last minutes: {% for a in also %}{{ a.rating }} stars on order {{ a.order_id }}{% if a.content != blank %}, "{{ a.content }}"{% endif %}, {{ a.console_url }}; {% endfor %}{% endif %}',
    ),
  },

  negative_review_care: {
    sms:
      hi +
      ', we are so sorry your order caused you trouble. We take your feedback seriously and will contact you shortly to make it right. Reply STOP to opt out',
    subject: 'We are sorry, and we want to make it right',
    body: lines(
      hi + ', we are so sorry your order caused you trouble.',
      '{% if review.content != blank %}Thank you for telling us about "{{ review.content }}". We have taken it to heart.{% else %}Thank you for your feedback. We have taken it to heart.{% endif %}',
      'Our customer service team will contact you shortly to make it right.',
      signOff,
    ),
  },

  positive_review_thanks: {
    sms:
      hi +
      ', thank you for your kind review! It means a lot to us, and we look forward to serving you again. Reply STOP to opt out',
    subject: 'Thank you for your kind review!',
    body: lines(
      hi + ', thank you for your kind review!',
      'It means a lot to our whole team, and we look forward to serving you again.',
      signOff,
    ),
  },
};
