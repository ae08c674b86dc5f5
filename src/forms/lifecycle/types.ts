/**
 * What the lifecycle printables draw: plain data, already cut by the policy (the routes pass
 * only what the reader may see), so that the renderers never query anything themselves.
 */
import type { AssessmentDomain } from '../../domain/lifecycle.ts';

export interface ExportStamp {
  /** 出力者: "デモ市 福祉総合相談課 山田 太郎" */
  exportedBy: string;
  /** ISO instant; printed in 和暦, Asia/Tokyo. */
  exportedAt: string;
  municipalityName: string;
}

export interface GenogramMember {
  personId: string;
  name: string;
  sex: 'male' | 'female' | 'other' | 'unknown' | null;
  birthDate: string | null;
  deceased: boolean;
  /** 続柄 as entered: 世帯主, 妻, 夫, 長男, 長女, 次男, 母, 父, 祖母, 孫, 兄, 姉, 弟, 妹, 同居人 … */
  relationship: string;
  /** null when the reader may not see the composition (only the lead does, rule 1). */
  livesTogether: boolean | null;
  keyPerson: boolean | null;
  /** 本人: the person the case is about (drawn double-lined). */
  index: boolean;
}

export interface GenogramInput {
  householdName: string;
  /** Ages are computed on this Japan date (YYYY-MM-DD). */
  asOf: string;
  members: GenogramMember[];
}

export interface EcomapOrganization {
  organizationId: string;
  name: string;
  /** lead | referral | consent | meeting | watch (見守り after the end) */
  relation: string;
  /** Added after intake: the seed's (新) marker. */
  addedLater: boolean;
  /** Open actions or tasks this organization holds on the case. */
  openActions: number;
}

export interface EcomapInput {
  householdName: string;
  members: { name: string; index: boolean }[];
  organizations: EcomapOrganization[];
}

export interface AssessmentFormData {
  stamp: ExportStamp;
  householdName: string;
  caseId: string;
  version: number;
  authoredBy: string;
  authoredAt: string;
  members: {
    name: string;
    relationship: string;
    birthDate: string | null;
    items: Partial<Record<AssessmentDomain, string>>;
    note: string | null;
  }[];
  household: {
    keyPersonName: string | null;
    supports: { from: string; to: string; note: string | null }[];
    ifOneFallsIll: string | null;
    strengths: string | null;
    note: string | null;
  };
  /** A member whose part is withheld from this reader, with the reason shown instead. */
  withheld: { name: string; reason: string }[];
}

export interface PlanFormData {
  stamp: ExportStamp;
  householdName: string;
  caseId: string;
  version: number;
  /** draft | submitted | approved | superseded */
  status: string;
  authoredBy: string;
  authoredAt: string;
  approval: { meetingTitle: string; meetingStartsAt: string; approvedAt: string; approvedBy: string } | null;
  members: { name: string; relationship: string; view: string }[];
  goals: { key: string; personName: string | null; text: string }[];
  actions: { key: string; goalKey: string | null; personName: string | null; text: string; organizationName: string; startOn: string; reviewOn: string }[];
  withheld: { name: string; reason: string }[];
}
