import type { Schedule } from '@dystrack/core';
import { apiGet, apiPost, apiRequest } from '../api/client.js';

/*
 * Calls of the patient's side of sharing (`/api/v1/shares…`, contract of issue 11) and of the audit log
 * (`/api/v1/audit`). Shapes as the server answers them; the server validates every request.
 */

/** What a patient can share with a clinician (the server's `SHARE_SCOPES`, in the order shown). */
export const SHARE_SCOPES = ['tasks', 'diary', 'scales', 'treatments', 'reports', 'add-entries'] as const;
export type ShareScope = (typeof SHARE_SCOPES)[number];

/** One share of the patient's data with one clinician. */
export interface Share {
  id: string;
  status: 'pending' | 'active' | 'expired' | 'revoked';
  /** null while a patient's invitation waits for a clinician to use its code. */
  clinician: { id: string; displayName: string; username: string } | null;
  scopes: ShareScope[];
  createdAt: string;
  createdBy: 'patient' | 'clinician';
  /** When the code of a waiting invitation stops working. */
  inviteExpiresAt: string | null;
  acceptedAt: string | null;
  /** When the share ends by itself; null: until the patient stops it. */
  expiresAt: string | null;
  revokedAt: string | null;
  lastVisitAt: string | null;
}

/** A new invitation of the patient: the code and link are shown only now (the server keeps a hash). */
export interface NewShare {
  share: Share;
  code: string;
  link: string;
}

/** A clinician's invitation, as previewed before it is used. */
export interface InvitationPreview {
  clinician: { displayName: string; username: string };
  note: string | null;
  schedule: Schedule | null;
  expiresAt: string;
}

/** One row of the audit log (packages/server/src/api/audit.ts). */
export interface AuditItem {
  id: string;
  at: string;
  /** null for someone not signed in. */
  actor: { id: string; role: string | null; displayName: string | null } | null;
  action: string;
  resource: string | null;
  method: string;
  route: string;
  status: number;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
}

/** One page of the audit log, newest first. */
export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

/** The patient's shares, newest first. */
export async function listShares(signal?: AbortSignal): Promise<Share[]> {
  return (await apiGet<{ items: Share[] }>('/api/v1/shares', { signal })).items;
}

/** Invites a clinician: a code valid for 7 days that gives the chosen scopes once used. */
export function createShare(scopes: ShareScope[], expiresAt: string | null): Promise<NewShare> {
  return apiPost<NewShare>('/api/v1/shares', { scopes, expiresAt });
}

/** Changes what an active or waiting share gives, or when it ends. */
export async function updateShare(
  id: string,
  change: { scopes?: ShareScope[]; expiresAt?: string | null },
): Promise<Share> {
  return (
    await apiRequest<Share>(`/api/v1/shares/${encodeURIComponent(id)}`, { method: 'PATCH', body: change })
  ).body;
}

/** Stops a share (or cancels a waiting invitation) at once. */
export function revokeShare(id: string): Promise<Share> {
  return apiPost<Share>(`/api/v1/shares/${encodeURIComponent(id)}/revoke`);
}

/** What a clinician's code offers, before it is used. */
export function previewInvitation(code: string, signal?: AbortSignal): Promise<InvitationPreview> {
  return apiPost<InvitationPreview>('/api/v1/shares/invitations/preview', { code }, { signal });
}

/** Uses a clinician's code: shares the chosen scopes, and takes the proposed routine when asked to. */
export function redeemInvitation(body: {
  code: string;
  scopes: ShareScope[];
  expiresAt: string | null;
  acceptSchedule: boolean;
}): Promise<{ share: Share; scheduleApplied: boolean }> {
  return apiPost('/api/v1/shares/invitations/redeem', body);
}

/** One page of the signed-in patient's audit log. */
export function getAudit(limit: number, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return apiGet<AuditPage>('/api/v1/audit', { query: { limit, cursor }, signal });
}
