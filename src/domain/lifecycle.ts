/**
 * The support lifecycle (seed: 相談の開始 → 複合的課題の解きほぐし → 支援の見立て → 支援の方向性の整理 →
 * 支援の実施 → 終結): request schemas for the assessment, the household plan, monitoring, advice
 * requests and the termination evaluation. The codes are stable API values; their Japanese
 * labels live beside them so that the UI, the forms and the errors say the same thing.
 */
import { z } from 'zod';
import { anyDate, id, pastDate, text } from './schemas.ts';

/**
 * Assessment domains of each household member, after the national assessment sheets
 * (包括的相談支援・多機関協働のアセスメントシート; domain-japan.md §2–3).
 */
export const ASSESSMENT_DOMAINS = [
  { code: 'health', ja: '健康・医療', en: 'Health and medical care' },
  { code: 'care', ja: '介護・日常生活動作', en: 'Care needs and daily living' },
  { code: 'disability', ja: '障害', en: 'Disability' },
  { code: 'mentalHealth', ja: '精神保健・こころの状態', en: 'Mental health' },
  { code: 'money', ja: '家計・収入・債務', en: 'Money, income and debts' },
  { code: 'housing', ja: '住まい', en: 'Housing' },
  { code: 'work', ja: '就労', en: 'Work' },
  { code: 'school', ja: '就学・学校', en: 'School' },
  { code: 'socialTies', ja: '社会とのつながり・孤立', en: 'Social ties and isolation' },
  { code: 'safety', ja: '安全・虐待のサイン', en: 'Safety and signs of abuse' },
  { code: 'wishes', ja: '本人の思い・希望', en: "The person's own wishes" },
] as const;
export type AssessmentDomain = (typeof ASSESSMENT_DOMAINS)[number]['code'];
const DOMAIN_CODES = ASSESSMENT_DOMAINS.map((d) => d.code) as [AssessmentDomain, ...AssessmentDomain[]];

const longText = (max: number) => text(1, max, { multiline: true });

export const AssessmentBody = z.object({
  members: z
    .array(
      z.object({
        personId: id,
        items: z.partialRecord(z.enum(DOMAIN_CODES), longText(2000)),
        note: longText(4000).optional(),
      }),
    )
    .min(1)
    .max(30),
  household: z.object({
    keyPersonId: id.optional(),
    /** Who supports whom inside the household (the seed's 8050: the son cares for the mother). */
    supports: z
      .array(z.object({ fromPersonId: id, toPersonId: id, note: longText(500).optional() }))
      .max(60)
      .optional(),
    /** What breaks if one member falls ill. */
    ifOneFallsIll: longText(4000).optional(),
    strengths: longText(4000).optional(),
    note: longText(4000).optional(),
  }),
});
export type AssessmentContent = z.infer<typeof AssessmentBody>;

/** A goal or an action keeps its key from version to version, so that the diff reads well. */
const key = z
  .string()
  .regex(/^[0-9A-Za-z_-]{1,40}$/)
  .optional();

export const PlanBody = z.object({
  /** 支援の見立て per member. */
  members: z.array(z.object({ personId: id, view: longText(4000) })).max(30),
  /** Goals of one member (personId) or of the household (no personId). */
  goals: z
    .array(z.object({ key, personId: id.optional(), text: longText(1000) }))
    .min(1)
    .max(60),
  actions: z
    .array(
      z.object({
        key,
        goalKey: key,
        personId: id.optional(),
        text: longText(2000),
        /** The responsible organization: must be on the case team. */
        organizationId: id,
        startOn: anyDate,
        reviewOn: anyDate,
      }),
    )
    .max(100),
  changeNote: longText(1000).optional(),
});
export type PlanContent = z.infer<typeof PlanBody>;

export const PLAN_STATUSES = [
  { code: 'draft', ja: '作成中', en: 'Draft' },
  { code: 'submitted', ja: '承認待ち', en: 'Awaiting approval' },
  { code: 'approved', ja: '承認済み', en: 'Approved' },
  { code: 'superseded', ja: '改訂済み', en: 'Superseded' },
] as const;

export const PlanApproveBody = z.object({ meetingId: id, note: longText(1000).optional() });
export const PlanVersionParams = z.object({ id, version: z.coerce.number().int().min(1).max(10_000) });
export const PlanDiffQuery = z.object({ against: z.coerce.number().int().min(1).max(10_000).optional() });

export const MONITORING_STATUSES = [
  { code: 'done', ja: '完了', en: 'Done' },
  { code: 'in_progress', ja: '実施中', en: 'In progress' },
  { code: 'stalled', ja: '停滞', en: 'Stalled' },
  { code: 'new_problem', ja: '新たな課題', en: 'New problem found' },
] as const;
const MONITORING_CODES = ['done', 'in_progress', 'stalled', 'new_problem'] as const;

export const MonitoringBody = z.object({
  /** The plan action this entry is about; none for a household-wide observation. */
  actionKey: key,
  status: z.enum(MONITORING_CODES),
  note: longText(4000),
  /** 本人の思い: the person's own view of how it is going. */
  personView: longText(2000).optional(),
  nextReviewOn: anyDate.optional(),
});

/** Fields of the advisor roster (複合課題解決アドバイザー). */
export const ADVISOR_FIELDS = ['医療', '高齢者福祉', '障害福祉', '保健', '精神保健', '生活保護', '児童福祉', '生活困窮', '法律', '就労', '住まい'] as const;

export const AdvisorProfileBody = z.object({
  fields: z.array(text(1, 30)).min(1).max(20),
  affiliation: text(1, 100).optional(),
  note: longText(1000).optional(),
});
export const AdvisorListQuery = z.object({ field: text(1, 30).optional() });

export const ADVICE_PARTS = ['core', 'assessment', 'plan'] as const;
export const AdviceRequestBody = z.object({
  advisorUserId: id,
  question: longText(4000),
  /**
   * The ground on which the advisor may read what is tabled (rule 1 "Requests"): the consent
   * of every person with a problem naming the advisor's organization, or a decision of a
   * 支援会議 / case conference under 社会福祉法106条の6 of which the advisor is a member.
   */
  basis: z.discriminatedUnion('kind', [z.object({ kind: z.literal('consent') }), z.object({ kind: z.literal('meeting'), meetingId: id })]),
  include: z.array(z.enum(ADVICE_PARTS)).min(1).max(3),
  dueOn: anyDate.optional(),
});
export const AdviceAnswerBody = z.object({ answer: longText(20000) });

export const GOAL_OUTCOMES = [
  { code: 'achieved', ja: '達成', en: 'Achieved' },
  { code: 'partly', ja: '一部達成', en: 'Partly achieved' },
  { code: 'not_achieved', ja: '未達成', en: 'Not achieved' },
] as const;
const OUTCOME_CODES = ['achieved', 'partly', 'not_achieved'] as const;

/** Reasons for which nobody can keep watching the household here (no 見守り required). */
export const REASONS_WITHOUT_WATCH = ['deceased', 'moved_out'] as const;

export const TerminationBody = z.object({
  /** closingReasons code (目標達成, 中断, 転出, 死亡, 他制度へ移行 …) or a municipality's own. */
  reason: text(1, 100),
  evaluations: z.array(z.object({ goalKey: z.string().regex(/^[0-9A-Za-z_-]{1,40}$/), outcome: z.enum(OUTCOME_CODES), why: longText(2000) })).max(60),
  /** The agencies that keep watching (見守り) after the end. */
  watchers: z.array(z.object({ organizationId: id, how: longText(500) })).max(30),
  recheckOn: anyDate.optional(),
  note: longText(4000).optional(),
});

export const ReopenBody = z.object({
  problems: z
    .array(z.object({ personId: id, type: text(1, 50), note: longText(1000).optional() }))
    .min(1)
    .max(30),
  note: longText(2000),
});

export const VersionParams = PlanVersionParams;
export { pastDate };
