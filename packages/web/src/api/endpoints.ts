import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { apiDelete, apiGet, apiPost, apiPut } from './client.js';
import type {
  ChallengeOptions,
  MetricSeries,
  Page,
  Passkey,
  Profile,
  RecordingSummary,
  Role,
  User,
} from './types.js';

/** Typed calls of the HTTP API (docs/api-surface.md). Each throws `ApiError` on failure. */

export async function getSession(signal?: AbortSignal): Promise<User | null> {
  const body = await apiGet<{ user: User | null }>('/api/v1/session', { signal });
  return body?.user ?? null;
}

export interface SignUpInput {
  username: string;
  password: string;
  displayName?: string;
  role?: Exclude<Role, 'admin'>;
}

export function signUp(input: SignUpInput): Promise<{ user: User; recoveryCodes: string[] }> {
  return apiPost('/api/v1/auth/signup', input);
}

export async function logIn(username: string, password: string): Promise<User> {
  return (await apiPost<{ user: User }>('/api/v1/auth/login', { username, password })).user;
}

export async function logOut(): Promise<void> {
  await apiPost('/api/v1/auth/logout');
}

/** Sets a new password with a recovery code; signs in. `recoveryCodesLeft` is null if the server did not say. */
export async function recoverAccount(
  username: string,
  recoveryCode: string,
  newPassword: string,
): Promise<{ user: User; recoveryCodesLeft: number | null }> {
  const body = await apiPost<{ user: User; recoveryCodesLeft?: number }>('/api/v1/auth/recover', {
    username,
    recoveryCode,
    newPassword,
  });
  return {
    user: body.user,
    recoveryCodesLeft: typeof body.recoveryCodesLeft === 'number' ? body.recoveryCodesLeft : null,
  };
}

export async function resetPassword(token: string, newPassword: string): Promise<User> {
  return (await apiPost<{ user: User }>('/api/v1/auth/reset', { token, newPassword })).user;
}

export function passkeyLoginOptions(): Promise<ChallengeOptions<PublicKeyCredentialRequestOptionsJSON>> {
  return apiPost('/api/v1/auth/passkey/options');
}

export async function passkeyLoginVerify(challengeId: string, response: unknown): Promise<User> {
  return (await apiPost<{ user: User }>('/api/v1/auth/passkey/verify', { challengeId, response })).user;
}

export async function listPasskeys(): Promise<Passkey[]> {
  const body = await apiGet<Passkey[] | { items: Passkey[] } | { passkeys: Passkey[] }>('/api/v1/passkeys');
  if (Array.isArray(body)) return body;
  if ('items' in body) return body.items;
  return body.passkeys;
}

export function passkeyRegisterOptions(): Promise<ChallengeOptions<PublicKeyCredentialCreationOptionsJSON>> {
  return apiPost('/api/v1/passkeys/register/options');
}

export function passkeyRegisterVerify(
  challengeId: string,
  response: unknown,
  name: string,
): Promise<Passkey> {
  return apiPost('/api/v1/passkeys/register/verify', { challengeId, response, name });
}

export function deletePasskey(id: string): Promise<void> {
  return apiDelete(`/api/v1/passkeys/${encodeURIComponent(id)}`);
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiPost('/api/v1/account/password', { currentPassword, newPassword });
}

export async function regenerateRecoveryCodes(password: string): Promise<string[]> {
  return (await apiPost<{ recoveryCodes: string[] }>('/api/v1/account/recovery-codes', { password }))
    .recoveryCodes;
}

export function deleteAccount(password: string): Promise<void> {
  return apiDelete('/api/v1/account', { password });
}

export function getProfile(signal?: AbortSignal): Promise<Profile> {
  return apiGet('/api/v1/profile', { signal });
}

/** Saves the whole profile; the server-set fields (`onboardedAt`, `updatedAt`) are not sent. */
export function putProfile(profile: Profile): Promise<Profile> {
  const { onboardedAt: _onboardedAt, updatedAt: _updatedAt, ...fields } = profile;
  return apiPut('/api/v1/profile', fields);
}

export function listRecordings(
  cursor?: string | null,
  limit = 20,
  signal?: AbortSignal,
): Promise<Page<RecordingSummary>> {
  return apiGet('/api/v1/recordings', { query: { limit, cursor }, signal });
}

/** The signed-in patient's stored sessions of one metric of a task, for one hand. */
export function getMetricSeries(
  metricId: string,
  query: { task: string; hand: string },
  signal?: AbortSignal,
): Promise<MetricSeries> {
  return apiGet(`/api/v1/metrics/${encodeURIComponent(metricId)}/series`, { query, signal });
}
