/**
 * Country (and, for countries spanning several zones, province or state) to IANA time zone, for the
 * buyer's clock (docs/MESSAGE-CLASSES.md, "The buyer's clock"). A small own map, not a geo database:
 * the countries orderbell's shops sell to, with each multi-zone country's regions by code and name.
 * A multi-zone country whose region is unknown gets its most populous zone.
 */
import { ownValue } from '../lang/own';

/** ISO 3166-1 alpha-2 → the zone of a single-zone country, or the most populous zone of a multi-zone one. */
export const countryZones: Readonly<Record<string, string>> = {
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  MO: 'Asia/Macau',
  TW: 'Asia/Taipei',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  ID: 'Asia/Jakarta',
  IN: 'Asia/Kolkata',
  AE: 'Asia/Dubai',
  SA: 'Asia/Riyadh',
  IL: 'Asia/Jerusalem',
  TR: 'Europe/Istanbul',
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  CH: 'Europe/Zurich',
  AT: 'Europe/Vienna',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  GR: 'Europe/Athens',
  CZ: 'Europe/Prague',
  HU: 'Europe/Budapest',
  RO: 'Europe/Bucharest',
  UA: 'Europe/Kyiv',
  EG: 'Africa/Cairo',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  KE: 'Africa/Nairobi',
  NZ: 'Pacific/Auckland',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  CO: 'America/Bogota',
  PE: 'America/Lima',
  US: 'America/New_York',
  CA: 'America/Toronto',
  AU: 'Australia/Sydney',
  RU: 'Europe/Moscow',
  BR: 'America/Sao_Paulo',
  MX: 'America/Mexico_City',
};

const us: Record<string, string> = {};
const usZones: Record<string, string[]> = {
  'America/New_York': [
    'CT:Connecticut',
    'DE:Delaware',
    'DC:District of Columbia',
    'FL:Florida',
    'GA:Georgia',
    'IN:Indiana',
    'KY:Kentucky',
    'ME:Maine',
    'MD:Maryland',
    'MA:Massachusetts',
    'MI:Michigan',
    'NH:New Hampshire',
    'NJ:New Jersey',
    'NY:New York',
    'NC:North Carolina',
    'OH:Ohio',
    'PA:Pennsylvania',
    'RI:Rhode Island',
    'SC:South Carolina',
    'VT:Vermont',
    'VA:Virginia',
    'WV:West Virginia',
  ],
  'America/Chicago': [
    'AL:Alabama',
    'AR:Arkansas',
    'IL:Illinois',
    'IA:Iowa',
    'KS:Kansas',
    'LA:Louisiana',
    'MN:Minnesota',
    'MS:Mississippi',
    'MO:Missouri',
    'NE:Nebraska',
    'ND:North Dakota',
    'OK:Oklahoma',
    'SD:South Dakota',
    'TN:Tennessee',
    'TX:Texas',
    'WI:Wisconsin',
  ],
  'America/Denver': ['CO:Colorado', 'ID:Idaho', 'MT:Montana', 'NM:New Mexico', 'UT:Utah', 'WY:Wyoming'],
  'America/Phoenix': ['AZ:Arizona'],
  'America/Los_Angeles': ['CA:California', 'NV:Nevada', 'OR:Oregon', 'WA:Washington'],
  'America/Anchorage': ['AK:Alaska'],
  'Pacific/Honolulu': ['HI:Hawaii'],
  'America/Puerto_Rico': ['PR:Puerto Rico'],
};

function regions(zones: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [zone, names] of Object.entries(zones)) {
    for (const entry of names) for (const name of entry.split(':')) out[name.toLowerCase()] = zone;
  }
  return out;
}
Object.assign(us, regions(usZones));

/** Region (code or English name, lower case) → zone, for the countries that span several zones. */
export const regionZones: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  US: us,
  CA: regions({
    'America/Vancouver': ['BC:British Columbia'],
    'America/Edmonton': ['AB:Alberta', 'NT:Northwest Territories'],
    'America/Regina': ['SK:Saskatchewan'],
    'America/Winnipeg': ['MB:Manitoba'],
    'America/Toronto': ['ON:Ontario', 'QC:Quebec:Québec'],
    'America/Halifax': ['NS:Nova Scotia', 'NB:New Brunswick', 'PE:Prince Edward Island'],
    'America/St_Johns': ['NL:Newfoundland and Labrador:Newfoundland'],
    'America/Whitehorse': ['YT:Yukon'],
    'America/Iqaluit': ['NU:Nunavut'],
  }),
  AU: regions({
    'Australia/Sydney': ['NSW:New South Wales', 'ACT:Australian Capital Territory'],
    'Australia/Melbourne': ['VIC:Victoria'],
    'Australia/Hobart': ['TAS:Tasmania'],
    'Australia/Brisbane': ['QLD:Queensland'],
    'Australia/Adelaide': ['SA:South Australia'],
    'Australia/Darwin': ['NT:Northern Territory'],
    'Australia/Perth': ['WA:Western Australia'],
  }),
  RU: regions({
    'Europe/Kaliningrad': ['KGD:Kaliningrad Oblast:Kaliningrad'],
    'Europe/Samara': ['SAM:Samara Oblast:Samara'],
    'Asia/Yekaterinburg': ['SVE:Sverdlovsk Oblast:Yekaterinburg', 'CHE:Chelyabinsk Oblast:Chelyabinsk'],
    'Asia/Omsk': ['OMS:Omsk Oblast:Omsk'],
    'Asia/Novosibirsk': ['NVS:Novosibirsk Oblast:Novosibirsk'],
    'Asia/Krasnoyarsk': ['KYA:Krasnoyarsk Krai:Krasnoyarsk'],
    'Asia/Irkutsk': ['IRK:Irkutsk Oblast:Irkutsk'],
    'Asia/Yakutsk': ['SA:Sakha:Yakutia'],
    'Asia/Vladivostok': ['PRI:Primorsky Krai:Vladivostok', 'KHA:Khabarovsk Krai:Khabarovsk'],
    'Asia/Magadan': ['MAG:Magadan Oblast:Magadan'],
    'Asia/Kamchatka': ['KAM:Kamchatka Krai:Kamchatka'],
  }),
  BR: regions({
    'America/Manaus': ['AM:Amazonas', 'RR:Roraima', 'RO:Rondônia:Rondonia'],
    'America/Cuiaba': ['MT:Mato Grosso', 'MS:Mato Grosso do Sul'],
    'America/Rio_Branco': ['AC:Acre'],
    'America/Belem': ['PA:Pará:Para', 'AP:Amapá:Amapa'],
    'America/Fortaleza': ['CE:Ceará:Ceara', 'MA:Maranhão:Maranhao', 'PI:Piauí:Piaui', 'RN:Rio Grande do Norte'],
    'America/Recife': ['PE:Pernambuco', 'PB:Paraíba:Paraiba'],
    'America/Bahia': ['BA:Bahia'],
  }),
  MX: regions({
    'America/Tijuana': ['BC:Baja California'],
    'America/Hermosillo': ['SON:Sonora'],
    'America/Mazatlan': ['SIN:Sinaloa', 'BCS:Baja California Sur', 'NAY:Nayarit'],
    'America/Chihuahua': ['CHH:Chihuahua'],
    'America/Cancun': ['ROO:QROO:Quintana Roo'],
  }),
};

/** The zone for a country and, where it matters, its region; undefined for a country not in the map. */
export function zoneOf(country: string, region?: string | null): string | undefined {
  const code = country.toUpperCase();
  const byRegion = ownValue(regionZones, code);
  const regional = byRegion && region ? ownValue(byRegion, region.trim().toLowerCase()) : undefined;
  return regional ?? ownValue(countryZones, code);
}
