/**
 * Input of the meeting documents: plain data (strings, ISO timestamps, arrays), no DB types.
 * The route assembles it after the policy has decided what the caller may see; the renderers
 * print exactly what they are given and nothing else.
 */

export type MeetingKindCode = 'support' | 'multilayer' | 'case_conference';

export interface PersonOfOrganization {
  displayName: string;
  organizationName: string;
}

/** Who exported the document and when: printed at the foot of every page (rule 7). */
export interface ExportStamp extends PersonOfOrganization {
  /** ISO timestamp; printed as 和暦 in Asia/Tokyo. */
  at: string;
}

/** What both documents show about the meeting. No case content. */
export interface MeetingHeaderData {
  municipalityName: string;
  meetingId: string;
  title: string;
  kind: MeetingKindCode;
  /** 'art106-6' | 'consent' | 'designated:…' (see MEETING_LEGAL_BASES). */
  legalBasis: string;
  /** The designated body's own name (e.g. 〇〇市支援調整会議); defaults to the basis' meeting name. */
  bodyName?: string | null;
  /** ISO timestamp. */
  startsAt: string;
  /** ISO timestamp, optional. */
  endsAt?: string | null;
  place?: string | null;
  online?: boolean;
  chair: PersonOfOrganization;
  members: PersonOfOrganization[];
  stamp: ExportStamp;
}

/**
 * 開催通知: readable by every invited member before acknowledging, so it carries the NUMBER of
 * cases only — there is deliberately no field for case labels, households or purposes.
 */
export interface NoticeData extends MeetingHeaderData {
  caseCount: number;
}

export type RecordClassification = 'normal' | 'sensitive' | 'tax';

export interface AgendaCaseCore {
  summary?: string | null;
  members: { name: string; relationship: string; age?: number | null }[];
  problems: { personName: string; type: string }[];
  organizations: string[];
}

export interface AgendaRecord {
  organizationName: string;
  classification: RecordClassification;
  /** ISO timestamp or 'YYYY-MM-DD'. */
  writtenAt: string;
  personName?: string | null;
  body: string;
}

export interface AgendaCase {
  /** Household label, e.g. 髙橋さん世帯. */
  label: string;
  /** 目的: why this meeting needs the case. */
  purpose: string;
  /** The tabled case core (snapshot); null when not shown (e.g. dropped by the consent gate). */
  core?: AgendaCaseCore | null;
  /** Plan actions past their review date, and stalled ones (counts): what a 定例 should look at. */
  attention?: { overdueReviews: number; stalled: number } | null;
  records: AgendaRecord[];
}

/** レジュメ: the header and, per case, exactly what was tabled and may be shown to the reader. */
export interface AgendaData extends MeetingHeaderData {
  cases: AgendaCase[];
}

/**
 * 誓約書: the meeting and its legal basis, for a member without an account to sign on paper.
 * There is deliberately no field for cases, members or anything tabled.
 */
export type PledgeData = Omit<MeetingHeaderData, 'members'>;
