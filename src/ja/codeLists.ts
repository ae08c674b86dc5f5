/**
 * Default code lists for the UI.
 *
 * These are defaults only: each municipality can extend them, and the API
 * accepts any non-empty string, so stored values may be codes not listed
 * here. {@link label} therefore falls back to the raw code.
 *
 * Where the Japanese term itself is the stored value (organization kinds,
 * fields, problem types, 続柄, 相談経路) the code equals `ja`; elsewhere the code
 * is a stable ASCII identifier so the Japanese wording can change freely.
 */

/** One entry of a code list. */
export interface CodeEntry {
  readonly code: string;
  readonly ja: string;
  readonly en: string;
}

/** 機関種別 */
export const organizationKinds = [
  { code: '行政機関', ja: '行政機関', en: 'Government agency' },
  { code: '相談支援機関', ja: '相談支援機関', en: 'Consultation support agency' },
  { code: 'サービス提供事業者', ja: 'サービス提供事業者', en: 'Service provider' },
  { code: '医療機関', ja: '医療機関', en: 'Medical institution' },
  { code: '協同組合', ja: '協同組合', en: 'Cooperative' },
  { code: '学校', ja: '学校', en: 'School' },
  { code: 'NPO', ja: 'NPO', en: 'NPO' },
  { code: '社会福祉法人', ja: '社会福祉法人', en: 'Social welfare corporation' },
  { code: '地縁組織', ja: '地縁組織', en: 'Neighborhood association' },
  { code: 'ボランティア団体', ja: 'ボランティア団体', en: 'Volunteer group' },
  { code: '専門職団体', ja: '専門職団体', en: 'Professional association' },
  { code: '民間企業', ja: '民間企業', en: 'Private company' },
] as const satisfies readonly CodeEntry[];

/** Field name whose records are 税情報 and need extra access control. */
export const TAX_FIELD = '税務';

/** 分野 */
export const organizationFields = [
  { code: '福祉', ja: '福祉', en: 'Welfare' },
  { code: '高齢', ja: '高齢', en: 'Elderly care' },
  { code: '障害', ja: '障害', en: 'Disability' },
  { code: '子ども', ja: '子ども', en: 'Children' },
  { code: '生活困窮', ja: '生活困窮', en: 'Poverty / financial hardship' },
  { code: '労働', ja: '労働', en: 'Employment' },
  { code: '住まい', ja: '住まい', en: 'Housing' },
  { code: '保健医療', ja: '保健医療', en: 'Health and medical care' },
  { code: '教育', ja: '教育', en: 'Education' },
  { code: '農林水産', ja: '農林水産', en: 'Agriculture, forestry and fisheries' },
  { code: TAX_FIELD, ja: TAX_FIELD, en: 'Taxation' },
  { code: '司法', ja: '司法', en: 'Justice' },
  { code: '地域づくり', ja: '地域づくり', en: 'Community development' },
  { code: 'その他', ja: 'その他', en: 'Other' },
] as const satisfies readonly CodeEntry[];

/** 課題の種類 */
export const problemTypes = [
  { code: 'ひきこもり', ja: 'ひきこもり', en: 'Social withdrawal (hikikomori)' },
  { code: '認知症', ja: '認知症', en: 'Dementia' },
  { code: '要介護', ja: '要介護', en: 'Long-term care need' },
  { code: '障害の疑い', ja: '障害の疑い', en: 'Suspected disability' },
  { code: '不登校', ja: '不登校', en: 'School non-attendance' },
  { code: '依存症', ja: '依存症', en: 'Addiction' },
  { code: '家計・滞納', ja: '家計・滞納', en: 'Household finances / arrears' },
  { code: '虐待グレーゾーン', ja: '虐待グレーゾーン', en: 'Possible abuse (gray zone)' },
  { code: '孤立', ja: '孤立', en: 'Isolation' },
  { code: '就労', ja: '就労', en: 'Employment difficulty' },
  { code: '自殺企図', ja: '自殺企図', en: 'Suicide attempt / risk' },
  { code: '多重債務', ja: '多重債務', en: 'Multiple debts' },
  { code: '住まい', ja: '住まい', en: 'Housing' },
  { code: '感染症', ja: '感染症', en: 'Infectious disease' },
  { code: '介護負担', ja: '介護負担', en: 'Caregiver burden' },
  { code: 'ヤングケアラー', ja: 'ヤングケアラー', en: 'Young carer' },
  { code: 'ダブルケア', ja: 'ダブルケア', en: 'Double care (childcare and elder care)' },
  { code: '生活困窮', ja: '生活困窮', en: 'Financial hardship' },
  { code: '精神疾患', ja: '精神疾患', en: 'Mental illness' },
  { code: '8050問題', ja: '8050問題', en: '8050 problem (aging parent, withdrawn adult child)' },
  { code: 'ごみ屋敷', ja: 'ごみ屋敷', en: 'Hoarding / unsanitary home' },
  { code: 'DV', ja: 'DV', en: 'Domestic violence' },
  { code: 'その他', ja: 'その他', en: 'Other' },
] as const satisfies readonly CodeEntry[];

/** 続柄 */
export const relationships = [
  { code: '本人', ja: '本人', en: 'Self' },
  { code: '世帯主', ja: '世帯主', en: 'Head of household' },
  { code: '配偶者', ja: '配偶者', en: 'Spouse' },
  { code: '妻', ja: '妻', en: 'Wife' },
  { code: '夫', ja: '夫', en: 'Husband' },
  { code: '子', ja: '子', en: 'Child' },
  { code: '長男', ja: '長男', en: 'Eldest son' },
  { code: '長女', ja: '長女', en: 'Eldest daughter' },
  { code: '次男', ja: '次男', en: 'Second son' },
  { code: '次女', ja: '次女', en: 'Second daughter' },
  { code: '父', ja: '父', en: 'Father' },
  { code: '母', ja: '母', en: 'Mother' },
  { code: '祖父', ja: '祖父', en: 'Grandfather' },
  { code: '祖母', ja: '祖母', en: 'Grandmother' },
  { code: '孫', ja: '孫', en: 'Grandchild' },
  { code: '兄', ja: '兄', en: 'Older brother' },
  { code: '姉', ja: '姉', en: 'Older sister' },
  { code: '弟', ja: '弟', en: 'Younger brother' },
  { code: '妹', ja: '妹', en: 'Younger sister' },
  { code: '同居人', ja: '同居人', en: 'Cohabitant' },
  { code: 'その他', ja: 'その他', en: 'Other' },
] as const satisfies readonly CodeEntry[];

/** 相談経路 */
export const referralRoutes = [
  { code: '本人', ja: '本人', en: 'Self' },
  { code: '家族', ja: '家族', en: 'Family' },
  { code: 'ケアマネジャー', ja: 'ケアマネジャー', en: 'Care manager' },
  { code: '地域包括支援センター', ja: '地域包括支援センター', en: 'Community comprehensive support center' },
  { code: '担任教諭', ja: '担任教諭', en: 'Homeroom teacher' },
  { code: '保健センター', ja: '保健センター', en: 'Public health center' },
  { code: '民生委員', ja: '民生委員', en: 'Welfare commissioner (minsei-iin)' },
  { code: '医療機関', ja: '医療機関', en: 'Medical institution' },
  { code: '警察', ja: '警察', en: 'Police' },
  { code: '近隣住民', ja: '近隣住民', en: 'Neighbor' },
  { code: '庁内他課', ja: '庁内他課', en: 'Other municipal department' },
  { code: '社会福祉協議会', ja: '社会福祉協議会', en: 'Social welfare council' },
  { code: 'その他', ja: 'その他', en: 'Other' },
] as const satisfies readonly CodeEntry[];

/** 終結理由 */
export const closingReasons = [
  { code: 'goal_achieved', ja: '目標達成', en: 'Goal achieved' },
  { code: 'suspended', ja: '中断', en: 'Suspended' },
  { code: 'moved_out', ja: '転出', en: 'Moved out' },
  { code: 'deceased', ja: '死亡', en: 'Deceased' },
  { code: 'transferred', ja: '他制度へ移行', en: 'Transferred to another program' },
  { code: 'other', ja: 'その他', en: 'Other' },
] as const satisfies readonly CodeEntry[];

/** ケースの状態 (in workflow order). */
export const caseStatuses = [
  { code: 'intake', ja: '受付', en: 'Intake' },
  { code: 'assessment', ja: 'アセスメント', en: 'Assessment' },
  { code: 'planning', ja: 'プラン作成', en: 'Planning' },
  { code: 'in_support', ja: '支援中', en: 'In support' },
  { code: 'closed', ja: '終結', en: 'Closed' },
] as const satisfies readonly CodeEntry[];

/** 緊急度 */
export const urgencies = [
  { code: 'normal', ja: '通常', en: 'Normal' },
  { code: 'high', ja: '高', en: 'High' },
  { code: 'urgent', ja: '緊急', en: 'Urgent' },
] as const satisfies readonly CodeEntry[];

/** 同意の取得方法 */
export const consentMethods = [
  { code: 'written', ja: '書面', en: 'Written' },
  { code: 'oral', ja: '口頭', en: 'Oral' },
  { code: 'electronic', ja: '電磁的', en: 'Electronic' },
] as const satisfies readonly CodeEntry[];

/** 同意者と本人との関係 */
export const givenByRelations = [
  { code: 'self', ja: '本人', en: 'Self' },
  { code: 'parent', ja: '親権者', en: 'Parent (person with parental authority)' },
  { code: 'guardian', ja: '成年後見人', en: 'Adult guardian' },
  { code: 'other', ja: 'その他', en: 'Other' },
] as const satisfies readonly CodeEntry[];

/** 記録の区分 (drives access control). */
export const recordClassifications = [
  { code: 'normal', ja: '通常', en: 'Normal' },
  { code: 'sensitive', ja: '機微', en: 'Sensitive' },
  { code: 'tax', ja: '税情報', en: 'Tax information' },
] as const satisfies readonly CodeEntry[];

/** 役割 */
export const roles = [
  { code: 'admin', ja: 'システム管理者', en: 'System administrator' },
  { code: 'coordinator', ja: '相談支援包括化推進員', en: 'Comprehensive support coordinator' },
  { code: 'chair', ja: '総括者', en: 'Chair' },
  { code: 'caseworker', ja: '関係機関担当者', en: 'Partner agency caseworker' },
  { code: 'advisor', ja: '複合課題解決アドバイザー', en: 'Complex-issue advisor' },
  { code: 'outreach', ja: 'アウトリーチ支援員', en: 'Outreach worker' },
  { code: 'community', ja: '参加支援・地域づくりコーディネーター', en: 'Participation and community coordinator' },
  { code: 'auditor', ja: '監査担当', en: 'Auditor' },
  { code: 'external_member', ja: '外部委員', en: 'External member' },
] as const satisfies readonly CodeEntry[];

/** チーム参加の根拠 */
export const teamBases = [
  { code: 'lead', ja: '主担当', en: 'Lead' },
  { code: 'referral', ja: '紹介', en: 'Referral' },
  { code: 'consent', ja: '本人同意', en: 'Consent of the person' },
  { code: 'meeting', ja: '会議決定', en: 'Meeting decision' },
] as const satisfies readonly CodeEntry[];

/** 性別 */
export const sexes = [
  { code: 'male', ja: '男性', en: 'Male' },
  { code: 'female', ja: '女性', en: 'Female' },
  { code: 'other', ja: 'その他', en: 'Other' },
  { code: 'unknown', ja: '不明', en: 'Unknown' },
] as const satisfies readonly CodeEntry[];

/** Union of the codes in a list, e.g. `CodeOf<typeof caseStatuses>` = 'intake' | … */
export type CodeOf<L extends readonly CodeEntry[]> = L[number]['code'];

/**
 * Display label for `code` in `lang`. Unknown codes (municipality-added
 * values) are returned unchanged so they still display.
 */
export function label(list: readonly CodeEntry[], code: string, lang: 'ja' | 'en'): string {
  const entry = list.find((e) => e.code === code);
  return entry ? entry[lang] : code;
}

/** Codes of a list, in display order. */
export function codesOf<L extends readonly CodeEntry[]>(list: L): CodeOf<L>[] {
  return list.map((e) => e.code);
}
