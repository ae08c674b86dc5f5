/**
 * The legal bases a meeting records (product rule 5) and the confidentiality clause each one
 * puts on the 開催通知 and the レジュメ, citing its article.
 *
 * - `art106-6`: 支援会議 under 社会福祉法第106条の6 — a statutory duty of confidentiality with a
 *   penalty, so people who have not consented may be discussed (rule 2).
 * - `consent`: 重層的支援会議 (or a case conference declared on consent) — sharing rests on 本人同意
 *   under the 実施要綱; the clause is a reminder of each member's own duty, WITHOUT a penalty.
 * - `designated:*`: an existing body designated to serve as a 支援会議, under its own law.
 *
 * Penalties are stated as the law reads today: 拘禁刑 replaced 懲役 on 2025-06-01
 * (刑法等の一部を改正する法律, 令和4年法律第67号).
 *
 * Verification (search of the stored public corpora, see the report of issue 4):
 * - the seed (厚生労働省 explainer) states the 支援会議 penalty for a breach of the duty:
 *   一年以下の懲役又は百万円以下の罰金 (now 拘禁刑) — amount verified, article number not given;
 * - municipal 支援会議設置要綱 (芦屋市, さぬき市) cite 社会福祉法第106条の6(第1項);
 * - municipal 生活困窮者支援会議設置要綱 (美馬市, 鉾田市) cite 生活困窮者自立支援法第9条第1項;
 * - a municipal 地域ケア会議実施要綱 (北見市) cites 介護保険法第115条の48;
 * - 要保護児童対策地域協議会設置・運営指針 (厚生労働省) cites 児福法第25条の2 and the duty in
 *   児福法第25条の5.
 * Everything else carries an `// unverified:` note and `verified: false` in its data, and a
 * penalty whose article number could not be confirmed is cited by the duty it punishes, e.g.
 * 「社会福祉法（第106条の6第5項違反の罰則）」, rather than by a guessed article number.
 */

export type ClauseLang = 'ja' | 'en';

export interface LegalCitation {
  /** Japanese citation as printed, e.g. 社会福祉法第106条の6第5項. */
  ja: string;
  en: string;
  /** false when the article number could not be confirmed from a public source. */
  verified: boolean;
}

export interface PenaltyProvision {
  /** The penalty provision; cited by the duty it punishes where its own number is unverified. */
  article: LegalCitation;
  /** As the law reads today (拘禁刑 since 2025-06-01). */
  ja: string;
  en: string;
  /** false when the amount could not be confirmed from a public source. */
  verified: boolean;
}

export interface MeetingLegalBasis {
  code: string;
  /** The meeting's name under this basis: 支援会議, 重層的支援会議, 支援調整会議 … */
  meetingName: { ja: string; en: string };
  /** The ground the meeting rests on. */
  basis: LegalCitation;
  /** Members carry a statutory duty: material tabled is labelled 支援会議限り (rule 7). */
  statutory: boolean;
  /** The confidentiality duty. */
  duty: LegalCitation;
  /** null for a consent-based meeting: a reminder, never a penalty. */
  penalty: PenaltyProvision | null;
}

const KOUKIN_NOTE_JA = '（令和7年6月1日から懲役は拘禁刑に改められました。刑法等の一部を改正する法律（令和4年法律第67号））';

export const MEETING_LEGAL_BASES: Readonly<Record<string, MeetingLegalBasis>> = Object.freeze({
  'art106-6': {
    code: 'art106-6',
    meetingName: { ja: '支援会議', en: 'Support meeting (shien kaigi)' },
    basis: { ja: '社会福祉法第106条の6', en: 'Social Welfare Act, Article 106-6', verified: true },
    statutory: true,
    // unverified: the duty's paragraph number (第5項) is from the statute as commonly cited; the
    // corpora confirmed art. 106-6 and its 第1項 only.
    duty: { ja: '社会福祉法第106条の6第5項', en: 'Social Welfare Act, Article 106-6, paragraph 5', verified: false },
    penalty: {
      // unverified: the penalty article (believed to be 社会福祉法第161条) could not be confirmed, so it
      // is cited by the duty it punishes, as the brief asks.
      article: {
        ja: '社会福祉法（第106条の6第5項違反の罰則）',
        en: 'Social Welfare Act (penalty for breach of Article 106-6, paragraph 5)',
        verified: false,
      },
      // Amount verified against the seed (一年以下の懲役又は百万円以下の罰金), with 拘禁刑 for 懲役.
      ja: '1年以下の拘禁刑又は100万円以下の罰金',
      en: 'imprisonment of up to one year or a fine of up to 1,000,000 yen',
      verified: true,
    },
  },
  consent: {
    code: 'consent',
    meetingName: { ja: '重層的支援会議', en: 'Multi-layered support meeting (jūsōteki shien kaigi)' },
    basis: { ja: '本人同意（重層的支援体制整備事業実施要綱）', en: 'Consent of the persons concerned (implementation guidelines)', verified: true },
    statutory: false,
    // 地方公務員法第34条 (秘密を守る義務) binds municipal staff; other members are bound by their own
    // profession's law or their organization's rules. No meeting-level statutory duty exists.
    duty: {
      ja: '各構成員の所属機関に適用される法令及び規程（地方公務員法第34条等）',
      en: "each member's own statutory or contractual duty (e.g. Local Public Service Act, Article 34)",
      verified: true,
    },
    penalty: null,
  },
  'designated:support-coordination': {
    code: 'designated:support-coordination',
    meetingName: { ja: '支援調整会議', en: 'Support coordination meeting' },
    basis: { ja: '生活困窮者自立支援法第9条', en: 'Act on Self-Reliance Support for Needy Persons, Article 9', verified: true },
    statutory: true,
    // unverified: paragraph 5 of art. 9 as the duty (the corpora confirmed art. 9 第1項 only).
    duty: { ja: '生活困窮者自立支援法第9条第5項', en: 'Act on Self-Reliance Support for Needy Persons, Article 9, paragraph 5', verified: false },
    penalty: {
      // unverified: penalty article number not confirmed; cited by the duty it punishes.
      article: {
        ja: '生活困窮者自立支援法（第9条第5項違反の罰則）',
        en: 'Act on Self-Reliance Support for Needy Persons (penalty for breach of Article 9, paragraph 5)',
        verified: false,
      },
      // unverified: amount (believed identical to 社会福祉法: 1年以下・100万円以下).
      ja: '1年以下の拘禁刑又は100万円以下の罰金',
      en: 'imprisonment of up to one year or a fine of up to 1,000,000 yen',
      verified: false,
    },
  },
  'designated:community-care': {
    code: 'designated:community-care',
    meetingName: { ja: '地域ケア会議', en: 'Community care meeting' },
    basis: { ja: '介護保険法第115条の48', en: 'Long-Term Care Insurance Act, Article 115-48', verified: true },
    statutory: true,
    // unverified: the duty's paragraph number (第5項).
    duty: { ja: '介護保険法第115条の48第5項', en: 'Long-Term Care Insurance Act, Article 115-48, paragraph 5', verified: false },
    penalty: {
      // unverified: believed to be 介護保険法第205条第2項 (the corpora show art. 205 as the secrecy
      // penalty article but the excerpt stops before listing art. 115-48); cited by the duty.
      article: {
        ja: '介護保険法（第115条の48第5項違反の罰則）',
        en: 'Long-Term Care Insurance Act (penalty for breach of Article 115-48, paragraph 5)',
        verified: false,
      },
      // unverified: amount.
      ja: '1年以下の拘禁刑又は100万円以下の罰金',
      en: 'imprisonment of up to one year or a fine of up to 1,000,000 yen',
      verified: false,
    },
  },
  'designated:independence-council': {
    code: 'designated:independence-council',
    meetingName: { ja: '自立支援協議会', en: 'Independence support council' },
    // unverified: 第89条の3 (協議会) could not be confirmed from the corpora.
    basis: {
      ja: '障害者の日常生活及び社会生活を総合的に支援するための法律第89条の3',
      en: 'Act on Comprehensive Support for Persons with Disabilities, Article 89-3',
      verified: false,
    },
    statutory: true,
    // unverified: the duty of confidentiality added to the 協議会 from 2024-04-01 (令和4年法律第104号);
    // its paragraph number is not confirmed, so the article is cited without one.
    duty: {
      ja: '障害者の日常生活及び社会生活を総合的に支援するための法律第89条の3',
      en: 'Act on Comprehensive Support for Persons with Disabilities, Article 89-3',
      verified: false,
    },
    penalty: {
      // unverified: penalty article and amount.
      article: {
        ja: '障害者の日常生活及び社会生活を総合的に支援するための法律（第89条の3の秘密保持義務違反の罰則）',
        en: 'Act on Comprehensive Support for Persons with Disabilities (penalty for breach of the duty in Article 89-3)',
        verified: false,
      },
      ja: '1年以下の拘禁刑又は100万円以下の罰金',
      en: 'imprisonment of up to one year or a fine of up to 1,000,000 yen',
      verified: false,
    },
  },
  'designated:child-protection': {
    code: 'designated:child-protection',
    meetingName: { ja: '要保護児童対策地域協議会', en: 'Regional council for children requiring aid' },
    basis: { ja: '児童福祉法第25条の2', en: 'Child Welfare Act, Article 25-2', verified: true },
    statutory: true,
    duty: { ja: '児童福祉法第25条の5', en: 'Child Welfare Act, Article 25-5', verified: true },
    penalty: {
      // unverified: believed to be 児童福祉法第61条の3 (1年以下・50万円以下); cited by the duty.
      article: {
        ja: '児童福祉法（第25条の5違反の罰則）',
        en: 'Child Welfare Act (penalty for breach of Article 25-5)',
        verified: false,
      },
      ja: '1年以下の拘禁刑又は50万円以下の罰金',
      en: 'imprisonment of up to one year or a fine of up to 500,000 yen',
      verified: false,
    },
  },
});

export const MEETING_LEGAL_BASIS_CODES = Object.freeze(Object.keys(MEETING_LEGAL_BASES));

export function isKnownLegalBasis(code: string): boolean {
  return Object.hasOwn(MEETING_LEGAL_BASES, code);
}

/** The basis for a code; throws RangeError for an unknown code (a document never goes out without its clause). */
export function meetingLegalBasis(code: string): MeetingLegalBasis {
  if (!isKnownLegalBasis(code)) throw new RangeError(`Unknown meeting legal basis: ${code}`);
  return MEETING_LEGAL_BASES[code]!;
}

/**
 * Members carry a statutory duty of confidentiality (支援会議 and designated bodies): material
 * tabled there is labelled 支援会議限り and may not go to non-members (rule 7). False for a
 * consent-based meeting and for an unknown code.
 */
export function isStatutoryConfidentiality(code: string): boolean {
  return isKnownLegalBasis(code) && MEETING_LEGAL_BASES[code]!.statutory;
}

export interface ConfidentialityClause {
  title: string;
  text: string;
  /** Every article the clause cites, joined: the duty, then the penalty. */
  article: string;
}

function statutoryClauseJa(b: MeetingLegalBasis): ConfidentialityClause {
  const penalty = b.penalty!;
  const isSupportMeeting = b.code === 'art106-6';
  const body = isSupportMeeting ? '支援会議' : b.meetingName.ja;
  const opening = isSupportMeeting
    ? '本会議は、社会福祉法第106条の6に基づく支援会議として開催します。'
    : `本会議は、${b.basis.ja}に基づく${b.meetingName.ja}として、支援会議の役割を担って開催します。`;
  const text = [
    opening,
    `${body}の事務に従事する者又は従事していた者は、正当な理由がなく、${body}の事務に関して知り得た秘密を漏らしてはなりません（${b.duty.ja}）。`,
    `この規定に違反して秘密を漏らした者は、${penalty.ja}に処せられます（${penalty.article.ja}）${KOUKIN_NOTE_JA}。`,
    '会議資料は支援会議限りとし、構成員以外への提供、転送及び複製を禁じます。税情報は本人の同意なく共有しません（地方税法第22条）。',
  ].join('');
  return { title: `守秘義務について（${b.duty.ja}）`, text, article: `${b.duty.ja}、${penalty.article.ja}` };
}

function statutoryClauseEn(b: MeetingLegalBasis): ConfidentialityClause {
  const penalty = b.penalty!;
  const text = [
    `This meeting is held as a ${b.meetingName.en} under ${b.basis.en}.`,
    ` Anyone who is or was engaged in its affairs must not, without justifiable grounds, divulge any secret learned in the course of those affairs (${b.duty.en}).`,
    ` A breach is punishable by ${penalty.en} (${penalty.article.en}); since 1 June 2025 the penalty of imprisonment reads 拘禁刑 (Act No. 67 of 2022).`,
    ' Materials are for members of this meeting only (支援会議限り) and may not be given, forwarded or copied to anyone else. Tax information is never shared without consent (Local Tax Act, Article 22).',
  ].join('');
  return { title: `Duty of confidentiality (${b.duty.en})`, text, article: `${b.duty.en}; ${penalty.article.en}` };
}

function consentClause(b: MeetingLegalBasis, lang: ClauseLang): ConfidentialityClause {
  if (lang === 'en') {
    return {
      title: 'Confidentiality (meeting held on consent)',
      text:
        'This meeting shares information on the consent of the persons concerned (implementation guidelines of the multi-layered support system). ' +
        'Use what is shared only within the scope and purposes each person consented to, and do not disclose it to anyone outside the meeting. ' +
        'Each member remains bound by the duty of confidentiality of their own organization and profession (e.g. Local Public Service Act, Article 34). ' +
        "When a consent is withdrawn, that person's information is no longer shared.",
      article: b.basis.en,
    };
  }
  return {
    title: '秘密の保持について（本人同意に基づく会議）',
    text:
      '本会議は、本人の同意に基づき情報を共有して開催します（重層的支援体制整備事業実施要綱）。' +
      '共有された情報は、本人が同意した範囲及び目的に限って利用し、構成員以外に漏らさないでください。' +
      `各構成員は、${b.duty.ja}に基づく守秘義務を負います。` +
      '同意が撤回された場合、その方の情報は以後共有しません。',
    article: b.basis.ja,
  };
}

/** The confidentiality clause of a legal basis, citing its article(s). Throws RangeError for an unknown code. */
export function confidentialityClause(code: string, lang: ClauseLang = 'ja'): ConfidentialityClause {
  const b = meetingLegalBasis(code);
  if (!b.penalty) return consentClause(b, lang);
  return lang === 'en' ? statutoryClauseEn(b) : statutoryClauseJa(b);
}
