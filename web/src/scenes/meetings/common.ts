/** Labels and small helpers shared by the meeting scenes. */
import { confidentialityClause, isKnownLegalBasis, MEETING_LEGAL_BASES } from '../../../../src/forms/meetings/legalBasis.ts';
import { toTokyoDate } from '../../../../src/ja/wareki.ts';
import type { ListResponse } from '../../api/types.ts';

export const KIND_LABELS: Record<string, string> = {
  support: '支援会議',
  multilayer: '重層的支援会議',
  case_conference: '複合課題ケース検討会',
};

export const KIND_HINTS: Record<string, string> = {
  support: '社会福祉法第106条の6。本人同意のないケースも、守秘義務を負う構成員の間で共有できます。',
  multilayer: '本人同意に基づく会議。ケースの課題のある全員が、全構成員の機関を含む同意をしている必要があります。',
  case_conference: '複合課題ケース検討会。支援会議（法第106条の6）として開くか、本人同意に基づいて開くかを選びます。',
};

export const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

/** 支援会議（社会福祉法第106条の6） / 地域ケア会議（介護保険法第115条の48） / 本人同意 … */
export function basisLabel(code: string): string {
  if (!isKnownLegalBasis(code)) return code;
  const b = MEETING_LEGAL_BASES[code]!;
  return code === 'consent' ? b.basis.ja : `${b.meetingName.ja}（${b.basis.ja}）`;
}

/** The designated bodies a 支援会議 may be held as. */
export const DESIGNATED_BASES = Object.keys(MEETING_LEGAL_BASES).filter((c) => c.startsWith('designated:'));

/** The clause of the meeting's basis as the notice and agenda print it; null for an unknown code. */
export function clauseOf(code: string): { title: string; text: string; article: string } | null {
  return isKnownLegalBasis(code) ? confidentialityClause(code, 'ja') : null;
}

export function kindTone(kind: string): 'blue' | 'green' | 'purple' | 'gray' {
  return kind === 'support' ? 'blue' : kind === 'multilayer' ? 'green' : kind === 'case_conference' ? 'purple' : 'gray';
}

export const TASK_STATUS_LABELS: Record<string, string> = { open: '未着手', in_progress: '対応中', done: '完了' };

export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  meeting_notice: '開催通知',
  task: '役割分担',
  break_glass: '緊急閲覧',
  information_request: '情報提供の求め',
  advice_request: '助言依頼',
  advice_answered: 'アドバイザーの回答',
  convening_request: '会議の開催依頼',
};

/** The Tokyo calendar date of an instant ('YYYY-MM-DD'). */
export function tokyoDateOf(instant: string): string {
  try {
    return toTokyoDate(instant);
  } catch {
    return instant.slice(0, 10);
  }
}

export function itemsOf<T>(data: ListResponse<T> | T[] | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : (data.items ?? []);
}

export const meetingPath = (id: string): string => `/meetings/${encodeURIComponent(id)}`;
