import type { ParseKeys } from 'i18next';
import type { Channel, ChannelType } from './api/keys';
import type { ChannelPatch } from './api/updateChannel';
import type { CreateChannelInput } from './api/createChannel';

export type FieldKey =
  | 'name'
  | 'callbackUrl'
  | 'accountId'
  | 'phoneNumber'
  | 'messagingServiceSid'
  | 'authToken'
  | 'instanceToken'
  | 'clientToken'
  | 'pageAccessToken'
  | 'appSecret'
  | 'verifyToken';

export type ChannelFormValues = Record<FieldKey, string>;
/** Per field, an i18n key (and values) to show under it. */
export type ChannelFormErrors = Partial<Record<FieldKey, { key: ParseKeys; values?: Record<string, string> }>>;

export const EMPTY_VALUES: ChannelFormValues = {
  name: '',
  callbackUrl: '',
  accountId: '',
  phoneNumber: '',
  messagingServiceSid: '',
  authToken: '',
  instanceToken: '',
  clientToken: '',
  pageAccessToken: '',
  appSecret: '',
  verifyToken: '',
};

/** Account fields (shown, editable) and credentials (write-only) per channel type. */
export const ACCOUNT_FIELDS: Record<ChannelType, FieldKey[]> = {
  API: ['callbackUrl'],
  WHATSAPP_TWILIO: ['accountId', 'phoneNumber', 'messagingServiceSid'],
  WHATSAPP_ZAPI: ['accountId'],
  FACEBOOK_MESSENGER: ['accountId'],
  INSTAGRAM: ['accountId'],
};
export const CREDENTIAL_FIELDS: Record<ChannelType, FieldKey[]> = {
  API: [],
  WHATSAPP_TWILIO: ['authToken'],
  WHATSAPP_ZAPI: ['instanceToken', 'clientToken'],
  FACEBOOK_MESSENGER: ['pageAccessToken', 'appSecret', 'verifyToken'],
  INSTAGRAM: ['pageAccessToken', 'appSecret', 'verifyToken'],
};
const OPTIONAL: FieldKey[] = ['phoneNumber', 'messagingServiceSid'];

/** The label of `accountId`, which means something different per provider. */
export function accountIdLabel(type: ChannelType): ParseKeys {
  switch (type) {
    case 'WHATSAPP_TWILIO':
      return 'channelSetup.fields.accountSid';
    case 'WHATSAPP_ZAPI':
      return 'channelSetup.fields.instanceId';
    case 'INSTAGRAM':
      return 'channelSetup.fields.igAccountId';
    default:
      return 'channelSetup.fields.pageId';
  }
}

const isUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * Checks a create (`mode: 'create'`) or edit form. On edit, credentials may stay
 * empty (kept as they are), but when one is typed all of them are needed.
 */
export function validateChannelForm(type: ChannelType, v: ChannelFormValues, mode: 'create' | 'edit'): ChannelFormErrors {
  const errors: ChannelFormErrors = {};
  const required = (k: FieldKey) => {
    if (v[k].trim() === '') errors[k] = { key: 'forms.required' };
  };
  required('name');
  if (v.name.trim().length > 120) errors.name = { key: 'forms.maxLength', values: { count: '120' } };
  for (const k of ACCOUNT_FIELDS[type]) if (!OPTIONAL.includes(k)) required(k);
  const creds = CREDENTIAL_FIELDS[type];
  if (mode === 'create' || creds.some((k) => v[k].trim() !== '')) for (const k of creds) required(k);

  if (type === 'API' && v.callbackUrl.trim() !== '' && !isUrl(v.callbackUrl.trim())) errors.callbackUrl = { key: 'channelSetup.invalid.url' };
  if (type === 'WHATSAPP_TWILIO') {
    const acc = v.accountId.trim();
    if (acc !== '' && !acc.startsWith('AC')) errors.accountId = { key: 'channelSetup.invalid.sid', values: { prefix: 'AC' } };
    const phone = v.phoneNumber.trim();
    const sid = v.messagingServiceSid.trim();
    if (phone === '' && sid === '') errors.phoneNumber = { key: 'channelSetup.invalid.phoneOrService' };
    if (phone !== '' && !/^\+[1-9]\d{7,14}$/.test(phone)) errors.phoneNumber = { key: 'channelSetup.invalid.phone' };
    if (sid !== '' && !sid.startsWith('MG')) errors.messagingServiceSid = { key: 'channelSetup.invalid.sid', values: { prefix: 'MG' } };
  }
  return errors;
}

function credentials(type: ChannelType, v: ChannelFormValues): Record<string, never> | null {
  const keys = CREDENTIAL_FIELDS[type];
  if (keys.length === 0 || keys.every((k) => v[k].trim() === '')) return null;
  // The schema types credentials as an open object; the values are plain strings.
  return Object.fromEntries(keys.map((k) => [k, v[k].trim()])) as Record<string, never>;
}

/** The `POST /channels` body for a type (see the API's "create bodies by type"). */
export function buildCreateBody(type: ChannelType, v: ChannelFormValues): CreateChannelInput {
  const body: CreateChannelInput = { type, name: v.name.trim() };
  if (type === 'API') return { ...body, callbackUrl: v.callbackUrl.trim() };
  body.accountId = v.accountId.trim();
  if (type === 'WHATSAPP_TWILIO') {
    if (v.phoneNumber.trim() !== '') body.phoneNumber = v.phoneNumber.trim();
    if (v.messagingServiceSid.trim() !== '') body.messagingServiceSid = v.messagingServiceSid.trim();
  }
  body.credentials = credentials(type, v);
  return body;
}

/** The form's starting values for a saved channel (credentials are never shown). */
export function valuesOf(channel: Channel): ChannelFormValues {
  return {
    ...EMPTY_VALUES,
    name: channel.name,
    callbackUrl: channel.callbackUrl ?? '',
    accountId: channel.accountId ?? '',
    phoneNumber: channel.phoneNumber ?? '',
    messagingServiceSid: channel.messagingServiceSid ?? '',
  };
}

/** The `PATCH /channels/{id}` body: only what changed; credentials only when typed. */
export function buildPatch(channel: Channel, v: ChannelFormValues, enabled: boolean): ChannelPatch {
  const before = valuesOf(channel);
  const patch: ChannelPatch = {};
  if (v.name.trim() !== before.name) patch.name = v.name.trim();
  if (enabled !== channel.enabled) patch.enabled = enabled;
  for (const k of ACCOUNT_FIELDS[channel.type]) {
    const now = v[k].trim();
    if (now !== before[k]) (patch as Record<string, string | null>)[k] = now === '' ? null : now;
  }
  const creds = credentials(channel.type, v);
  if (creds !== null) patch.credentials = creds;
  return patch;
}
