/**
 * The demo municipality (デモ市, fictional): its agencies, staff and the households of the
 * seed's case examples (shared/seeds, 支援事例), kept in the repository so that the product
 * never reads ../shared at run time. Every name, address and story detail here is invented.
 *
 * src/demo/loadDemo.ts replays this data through the real HTTP API, step by step, so each
 * row passes the same validation, policy and audit as real use. The steps of a case are in
 * the order they happen: who adds which agency on what basis, which consents are recorded
 * (and withdrawn), which records are written, and the status moves.
 *
 * What the households demonstrate (product.md, information-sharing rules):
 * - 齋藤家 (8050 after COVID): no consent at all — shared across agencies only in a
 *   支援会議 / 複合課題ケース検討会 under 社会福祉法106条の6; team agencies other than the lead
 *   see the header and their own records only.
 * - 髙橋家 (father and hikikomori son): consented, 重層的支援会議, closed (目標達成).
 * - 渡邉家 (gambling father): fully consented naming the team; the mother's second consent
 *   includes tax information for 税務課 and the 家計相談 agency only (rule 4).
 * - 濵田家 (ひきこもり after junior high, from the seed's 支援会議 examples): a consent
 *   withdrawn and replaced by a narrower one (rule 3: withdrawal stops sharing at once).
 * - 桒原家 (高齢者虐待のグレーゾーン): the 地域包括支援センター's own case; the coordinator sees it
 *   only as an index entry (content needs team membership or break-glass).
 * Variant kanji (齋藤, 髙橋, 渡邉, 濵田, 桒原) let search by 斎藤 / 高橋 / 渡辺 / 浜田 / 桑原, by hiragana and by
 * half-width kana (ｻｲﾄｳ) be shown.
 */
import type { Role } from '../policy/actor.ts';

export const DEMO_MUNICIPALITY_NAME = 'デモ市（架空・デモ用）';
export const DEMO_ADMIN_ORGANIZATION_NAME = 'デモ市 情報政策課';
/** One memorable password for every demo account (≥ 12 characters). */
export const DEMO_PASSWORD = 'kasane-demo-2026';
export const DEMO_ADMIN = { loginId: 'admin', who: 'システム管理者（情報政策課）— ケースの内容は見えません' } as const;

// ---------------------------------------------------------------------------------------
// Organizations (関係機関)
// ---------------------------------------------------------------------------------------

export interface DemoOrganization {
  name: string;
  kind: string;
  fields: string[];
  area?: string;
}

export const organizations = {
  fukushi: { name: 'デモ市 福祉総合相談課', kind: '行政機関', fields: ['福祉'], area: '市全域' },
  houkatsu: { name: 'デモ市南部地域包括支援センター', kind: '相談支援機関', fields: ['高齢', '福祉'], area: '南部圏域' },
  hoken: { name: 'デモ市保健センター', kind: '行政機関', fields: ['保健医療'], area: '市全域' },
  hokenjo: { name: 'デモ市保健所 保健課', kind: '行政機関', fields: ['保健医療'], area: '市全域' },
  kokoro: { name: 'デモ市こころの健康センター（精神保健福祉センター）', kind: '行政機関', fields: ['保健医療', '障害'], area: '市全域' },
  kourei: { name: 'デモ市 高齢福祉課（福祉事務所）', kind: '行政機関', fields: ['高齢', '福祉'], area: '市全域' },
  daycare: { name: 'デイケアセンターみなみ', kind: 'サービス提供事業者', fields: ['高齢'], area: '南部圏域' },
  kyotaku: { name: '居宅介護支援事業所あおば', kind: 'サービス提供事業者', fields: ['高齢'], area: '北部圏域' },
  helper: { name: 'ヘルパーステーションつばさ', kind: 'サービス提供事業者', fields: ['高齢', '障害'], area: '北部圏域' },
  byoin: { name: 'デモ市民病院 地域医療連携室', kind: '医療機関', fields: ['保健医療'], area: '市全域' },
  shogai: { name: '障害者相談支援事業所そよかぜ', kind: '相談支援機関', fields: ['障害'], area: '南部圏域' },
  shakyo: { name: 'デモ市社会福祉協議会（生活困窮者自立相談支援機関）', kind: '社会福祉法人', fields: ['生活困窮', '福祉', '地域づくり'], area: '市全域' },
  school: { name: 'デモ市立第二中学校', kind: '学校', fields: ['教育', '子ども'], area: '南部圏域' },
  tax: { name: 'デモ市 税務課 納税推進係', kind: '行政機関', fields: ['税務'], area: '市全域' },
  hellowork: { name: 'ハローワークデモ（デモ公共職業安定所）', kind: '行政機関', fields: ['労働'], area: '市全域' },
  npo: { name: 'NPO法人ひだまりの会（ひきこもり支援・アウトリーチ受託）', kind: 'NPO', fields: ['福祉', '地域づくり'], area: '市全域' },
  kodomo: { name: 'デモ市 子ども家庭課', kind: '行政機関', fields: ['子ども'], area: '市全域' },
  soumu: { name: 'デモ市 総務課 個人情報保護係', kind: '行政機関', fields: ['その他'], area: '市全域' },
} as const satisfies Record<string, DemoOrganization>;

export type OrgKey = keyof typeof organizations;

// ---------------------------------------------------------------------------------------
// Users (利用者). The administrator is created with the municipality (DEMO_ADMIN).
// ---------------------------------------------------------------------------------------

export interface DemoUser {
  loginId: string;
  displayName: string;
  organization: OrgKey;
  roles: Role[];
  /** Shown with the printed demo logins. */
  who: string;
}

export const users = [
  {
    loginId: 'coord',
    displayName: '相沢 遥',
    organization: 'fukushi',
    roles: ['coordinator'],
    who: '相談支援包括化推進員（福祉総合相談課）— 全市のケース索引を見る',
  },
  { loginId: 'chair', displayName: '大森 直樹', organization: 'fukushi', roles: ['chair', 'coordinator'], who: '総括者・福祉総合相談課長（支援会議を招集）' },
  { loginId: 'hoken', displayName: '三浦 由紀', organization: 'hoken', roles: ['caseworker'], who: '保健師（保健センター）— 齋藤家の主担当' },
  {
    loginId: 'houkatsu',
    displayName: '北村 聡子',
    organization: 'houkatsu',
    roles: ['caseworker'],
    who: '社会福祉士（南部地域包括支援センター）— 桒原家の主担当',
  },
  { loginId: 'caremane', displayName: '石井 涼子', organization: 'kyotaku', roles: ['caseworker'], who: 'ケアマネジャー（居宅介護支援事業所あおば）' },
  { loginId: 'byoin', displayName: '岡田 亮', organization: 'byoin', roles: ['caseworker'], who: '医療ソーシャルワーカー（デモ市民病院）' },
  { loginId: 'school', displayName: '野口 真理', organization: 'school', roles: ['caseworker'], who: '担任教諭（デモ市立第二中学校）' },
  {
    loginId: 'shakyo',
    displayName: '中川 陽介',
    organization: 'shakyo',
    roles: ['caseworker'],
    who: '相談支援員・家計改善支援員（社会福祉協議会／自立相談支援機関）',
  },
  { loginId: 'hellowork', displayName: '坂本 健', organization: 'hellowork', roles: ['caseworker'], who: '就職支援ナビゲーター（ハローワークデモ）' },
  { loginId: 'shogai', displayName: '松田 奈々', organization: 'shogai', roles: ['caseworker'], who: '相談支援専門員（障害者相談支援事業所そよかぜ）' },
  { loginId: 'tax', displayName: '西田 修', organization: 'tax', roles: ['caseworker'], who: '徴収担当（税務課 納税推進係）— 税情報を書く機関' },
  { loginId: 'npo', displayName: '藤井 舞', organization: 'npo', roles: ['caseworker', 'outreach'], who: 'アウトリーチ支援員（NPO法人ひだまりの会・委託）' },
  {
    loginId: 'kodomo',
    displayName: '原田 恭子',
    organization: 'kodomo',
    roles: ['caseworker'],
    who: '家庭相談員（子ども家庭課）— どの支援チームにも入っていない（見えないことの確認用）',
  },
  { loginId: 'advisor', displayName: '小西 誠一', organization: 'hokenjo', roles: ['advisor'], who: '複合課題解決アドバイザー（医療：保健所長）' },
  {
    loginId: 'auditor',
    displayName: '村上 和也',
    organization: 'soumu',
    roles: ['auditor'],
    who: '監査担当（総務課 個人情報保護係）— アクセスログと改ざん検査',
  },
] as const satisfies readonly DemoUser[];

export type LoginId = (typeof users)[number]['loginId'];

// ---------------------------------------------------------------------------------------
// Households, persons and their cases
// ---------------------------------------------------------------------------------------

export interface DemoPerson {
  key: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: 'male' | 'female' | 'other' | 'unknown';
  address?: string;
}

export interface DemoMember {
  person: string;
  relationship: string;
  livesTogether?: boolean;
  keyPerson?: boolean;
}

/** One thing that happens to a case after intake, in order. Dates are days before today (Japan). */
export type DemoStep =
  | { do: 'team'; by: LoginId; organization: OrgKey; basis: 'referral' | 'consent' | 'meeting'; atIntake?: boolean }
  | {
      do: 'consent';
      by: LoginId;
      /** To refer to this consent in a later withdrawal. */
      key?: string;
      person: string;
      obtainedDaysAgo: number;
      method: 'written' | 'oral' | 'electronic';
      givenBy?: { relation: 'self' | 'parent' | 'guardian' | 'other'; name?: string };
      organizations: OrgKey[];
      purposes: string[];
      includesTaxInfo: boolean;
    }
  | { do: 'withdraw'; by: LoginId; consent: string; withdrawnDaysAgo: number }
  | { do: 'record'; by: LoginId; person?: string; classification: 'normal' | 'sensitive' | 'tax'; body: string }
  | { do: 'status'; by: LoginId; to: 'intake' | 'assessment' | 'planning' | 'in_support' | 'closed'; reason?: string; note?: string };

export interface DemoHousehold {
  /** Who registers the persons, the household and the case (their organization owns them). */
  registeredBy: LoginId;
  name: string;
  address: string;
  persons: DemoPerson[];
  members: DemoMember[];
  case: {
    lead: OrgKey;
    referralRoute: string;
    urgency: 'normal' | 'high' | 'urgent';
    summary: string;
    problems: { person: string; type: string; note?: string }[];
    steps: DemoStep[];
  };
}

// (1) 新型コロナウイルス感染症で入院、退院後の自宅生活に課題を抱える8050世帯 —
//     no consent: shared only in a 複合課題ケース検討会 held as a 支援会議 (法106条の6).
const saito: DemoHousehold = {
  registeredBy: 'hoken',
  name: '齋藤家',
  address: 'デモ市南町三丁目4番5号',
  persons: [
    {
      key: 'yoshio',
      familyName: '齋藤',
      givenName: '義雄',
      familyNameKana: 'サイトウ',
      givenNameKana: 'ヨシオ',
      birthDate: '1942-05-14',
      sex: 'male',
      address: 'デモ市南町三丁目4番5号',
    },
    {
      key: 'kazuko',
      familyName: '齋藤',
      givenName: '和子',
      familyNameKana: 'サイトウ',
      givenNameKana: 'カズコ',
      birthDate: '1944-09-02',
      sex: 'female',
      address: 'デモ市南町三丁目4番5号',
    },
    {
      key: 'koichi',
      familyName: '齋藤',
      givenName: '浩一',
      familyNameKana: 'サイトウ',
      givenNameKana: 'コウイチ',
      birthDate: '1971-03-20',
      sex: 'male',
      address: 'デモ市南町三丁目4番5号',
    },
    {
      key: 'kenji',
      familyName: '齋藤',
      givenName: '健二',
      familyNameKana: 'サイトウ',
      givenNameKana: 'ケンジ',
      birthDate: '1974-11-08',
      sex: 'male',
      address: 'デモ市南町三丁目4番5号',
    },
  ],
  members: [
    { person: 'yoshio', relationship: '世帯主', livesTogether: true },
    { person: 'kazuko', relationship: '妻', livesTogether: true },
    { person: 'koichi', relationship: '長男', livesTogether: true, keyPerson: true },
    { person: 'kenji', relationship: '次男', livesTogether: true },
  ],
  case: {
    lead: 'hoken',
    referralRoute: '保健センター',
    urgency: 'high',
    summary: [
      '父（80代、ストマ造設・自己管理）と長男（50代、正規就労）が新型コロナウイルス感染症で入院した。父は入院前に介護サービスを利用しておらず、長期入院による筋力低下・認知機能低下が心配される。',
      '母（80代、要介護1・認知症）はデイケアを利用していたが、濃厚接触者として自宅待機となって利用が止まり、健康観察の終了後も再開していない。二男（50代）は長年ひきこもっている。',
      '家事の中心だった父と長男が不在となり、母と二男だけでの在宅生活が難しい。関係機関が感染症元患者への対応に不安を抱えて支援方針が定まらず、支援に入っていた保健センターから相談支援包括化推進員へ相談があった。',
      '元々支援をあまり受け入れない家族で、本人同意は得られていない。キーパーソンは長男（入院前と同様の自宅生活の継続を望んでいる）。',
    ].join('\n'),
    problems: [
      { person: 'yoshio', type: '感染症', note: '新型コロナウイルス感染症で入院。退院後の在宅生活に向けて関係機関の不安がある。' },
      { person: 'yoshio', type: '要介護', note: '入院前は介護サービス未利用。長期入院で筋力・認知機能の低下が危惧される。介護保険は未申請。' },
      { person: 'kazuko', type: '認知症', note: '要介護1。デイケアの利用が自宅待機以降止まったまま。' },
      { person: 'koichi', type: '介護負担', note: '勤務後に買い物・食事の準備を担ってきた。自身も感染症で入院。' },
      { person: 'kenji', type: 'ひきこもり', note: '長年のひきこもり。支援機関との直接の接点はない。' },
      { person: 'kenji', type: '8050問題' },
    ],
    steps: [
      {
        do: 'record',
        by: 'hoken',
        person: 'yoshio',
        classification: 'sensitive',
        body: '退院前カンファレンスに同席。ストマの自己管理は可能。歩行はふらつきあり、屋内伝い歩き。入院前は自転車で買い物に出ていたが当面は困難。',
      },
      { do: 'team', by: 'hoken', organization: 'houkatsu', basis: 'referral', atIntake: true },
      { do: 'team', by: 'hoken', organization: 'daycare', basis: 'referral', atIntake: true },
      { do: 'team', by: 'hoken', organization: 'fukushi', basis: 'referral', atIntake: true },
      { do: 'status', by: 'hoken', to: 'assessment', note: '関係機関の支援方針が定まらないため、相談支援包括化推進員に複合課題ケース検討会の開催を依頼。' },
      {
        do: 'record',
        by: 'coord',
        classification: 'normal',
        body: [
          '複合課題ケース検討会（支援会議として開催・社会福祉法106条の6。本人同意なし）。',
          '保健所保健課の医療専門員から感染症に対する正しい知識、具体的な予防策、留意点の説明を受け、関係機関で共通認識を持った。',
          '各機関の関わりと生活歴を整理し、課題を確認：父と長男の入院で母（認知症）と二男（ひきこもり）だけの在宅生活が困難。母のデイケアは健康観察終了後も中断したまま。',
          '役割分担：父の介護保険申請・母の介護サービス再開は地域包括支援センター・高齢福祉課・デイケアが情報共有しながら支援。二男へは家族支援を通じ、要望があればタイミングを逃さず保健センター中心に（必要に応じてこころの健康センターも）支援。',
        ].join('\n'),
      },
      { do: 'team', by: 'coord', organization: 'hokenjo', basis: 'meeting' },
      { do: 'team', by: 'coord', organization: 'kourei', basis: 'meeting' },
      { do: 'team', by: 'coord', organization: 'kokoro', basis: 'meeting' },
      {
        do: 'record',
        by: 'houkatsu',
        person: 'kazuko',
        classification: 'normal',
        body: 'デイケアセンターみなみと調整し、来週から週2回の利用再開で合意。送迎時に服薬と食事の状況も確認してもらう。',
      },
      {
        do: 'record',
        by: 'houkatsu',
        person: 'yoshio',
        classification: 'normal',
        body: '長男の退院後に自宅訪問し、父の介護保険（要介護認定）申請を代行することを長男と確認した。',
      },
      {
        do: 'record',
        by: 'hoken',
        person: 'kenji',
        classification: 'sensitive',
        body: '二男とは直接会えていない。長男経由で、日中は自室で過ごし食事は母と摂っていると聞き取り。本人・家族から要望があれば訪問する方針。',
      },
    ],
  },
};

// (2) 要支援状態の父親と引きこもりの息子の二人暮らし — consented; 重層的支援会議; closed.
const takahashi: DemoHousehold = {
  registeredBy: 'coord',
  name: '髙橋家',
  address: 'デモ市北ヶ丘一丁目12番3号',
  persons: [
    {
      key: 'masao',
      familyName: '髙橋',
      givenName: '正雄',
      familyNameKana: 'タカハシ',
      givenNameKana: 'マサオ',
      birthDate: '1947-07-30',
      sex: 'male',
      address: 'デモ市北ヶ丘一丁目12番3号',
    },
    {
      key: 'makoto',
      familyName: '髙橋',
      givenName: '誠',
      familyNameKana: 'たかはし',
      givenNameKana: 'まこと',
      birthDate: '1981-02-11',
      sex: 'male',
      address: 'デモ市北ヶ丘一丁目12番3号',
    },
  ],
  members: [
    { person: 'masao', relationship: '世帯主', livesTogether: true, keyPerson: true },
    { person: 'makoto', relationship: '長男', livesTogether: true },
  ],
  case: {
    lead: 'fukushi',
    referralRoute: 'ケアマネジャー',
    urgency: 'normal',
    summary: [
      '要支援状態の父親と、20年以上ひきこもっている息子の二人暮らし。父親は進行性の疾患があり、病院で入院治療とリハビリを勧められたが、不在の間の息子の生活が気になり入院を迷っている。',
      '息子の状況は支援関係者も把握していたが支援のきっかけが掴めずにいた。父親の入院をきっかけにケアマネジャーが多機関協働事業につないだ。',
      '経済的な不安は現在ないが、父親は親亡き後の息子の生活に漠然とした不安を抱えている。息子は以前、父親に「働きたいが自信がない」と話していたことがある。',
    ].join('\n'),
    problems: [
      { person: 'masao', type: '要介護', note: '要支援2。進行性の疾患で入院治療とリハビリを勧められている。退院後の在宅療養の環境整備が必要。' },
      { person: 'masao', type: '8050問題', note: '親亡き後の息子の生活への不安。' },
      { person: 'makoto', type: 'ひきこもり', note: '20年以上。まずは訪問による関係づくりから。' },
      { person: 'makoto', type: '就労', note: '「働きたいが自信がない」。参加支援（就労体験）の利用を検討。' },
    ],
    steps: [
      { do: 'team', by: 'coord', organization: 'kyotaku', basis: 'referral', atIntake: true },
      {
        do: 'consent',
        by: 'coord',
        person: 'masao',
        obtainedDaysAgo: 120,
        method: 'written',
        givenBy: { relation: 'self' },
        organizations: ['fukushi', 'kyotaku', 'byoin', 'helper', 'npo'],
        purposes: ['入院中の息子の生活支援と退院後の在宅療養の調整', '重層的支援会議での支援プランの共有'],
        includesTaxInfo: false,
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'makoto',
        obtainedDaysAgo: 95,
        method: 'oral',
        givenBy: { relation: 'self' },
        organizations: ['fukushi', 'kyotaku', 'helper', 'npo'],
        purposes: ['アウトリーチによる関係づくりと参加支援（就労体験）の利用'],
        includesTaxInfo: false,
      },
      {
        do: 'record',
        by: 'caremane',
        person: 'masao',
        classification: 'normal',
        body: '父は「息子の食事が心配で入院できない」と話す。入院中の息子の食事はヘルパーの自費利用で確保する案を提示し、前向きな返事。',
      },
      { do: 'status', by: 'coord', to: 'assessment', note: '複合的課題の解きほぐし：父の入院と在宅療養、息子のひきこもりと就労への思い。' },
      { do: 'team', by: 'coord', organization: 'byoin', basis: 'consent' },
      { do: 'team', by: 'coord', organization: 'helper', basis: 'consent' },
      { do: 'team', by: 'coord', organization: 'npo', basis: 'consent' },
      {
        do: 'record',
        by: 'byoin',
        person: 'masao',
        classification: 'sensitive',
        body: '神経内科で入院治療とリハビリの方針。入院期間は約6週間の見込み。退院時に住宅改修（手すり）と訪問リハビリを検討。',
      },
      {
        do: 'status',
        by: 'coord',
        to: 'planning',
        note: '支援プラン案：息子は入院中の食事確保（ヘルパー自費利用）、アウトリーチによる関係づくり、参加支援（就労体験）。父は退院後の在宅療養の環境整備。',
      },
      {
        do: 'record',
        by: 'coord',
        classification: 'normal',
        body: '重層的支援会議を開催（本人同意に基づく）。ケアマネジャー、病院MSW、ヘルパー事業所、アウトリーチ・参加支援の担当者と支援の方向性を共有し、役割分担を確認した。',
      },
      { do: 'status', by: 'coord', to: 'in_support' },
      {
        do: 'record',
        by: 'npo',
        person: 'makoto',
        classification: 'normal',
        body: '3回目の訪問で初めて玄関先で会話できた。ゲームの話題には反応がよい。次回は居場所（ひだまりカフェ）の案内を持参する。',
      },
      { do: 'record', by: 'npo', person: 'makoto', classification: 'normal', body: '就労体験（公園の清掃作業）に2回参加。「週2回なら続けられそう」とのこと。' },
      {
        do: 'record',
        by: 'coord',
        classification: 'normal',
        body: 'モニタリング：父は予定どおり退院し、訪問リハビリを開始。息子は就労体験を週2回継続し、父の通院にも同行している。',
      },
      // The case closes through its termination evaluation (src/demo/lifecycleDemo.ts), after the plan.
    ],
  },
};

// (3) ギャンブル依存の夫、不登校の娘、障害の疑いのある息子と母親（妻）の四人暮らし —
//     fully consented naming the team; the mother's second consent includes tax information.
const watanabe: DemoHousehold = {
  registeredBy: 'coord',
  name: '渡邉家',
  address: 'デモ市東浜二丁目8番1号 コーポ東浜203',
  persons: [
    {
      key: 'takashi',
      familyName: '渡邉',
      givenName: '隆',
      familyNameKana: 'ワタナベ',
      givenNameKana: 'タカシ',
      birthDate: '1978-06-05',
      sex: 'male',
      address: 'デモ市東浜二丁目8番1号 コーポ東浜203',
    },
    {
      key: 'emi',
      familyName: '渡邉',
      givenName: '恵美',
      familyNameKana: 'ワタナベ',
      givenNameKana: 'エミ',
      birthDate: '1980-10-22',
      sex: 'female',
      address: 'デモ市東浜二丁目8番1号 コーポ東浜203',
    },
    {
      key: 'shota',
      familyName: '渡邉',
      givenName: '翔太',
      familyNameKana: 'ワタナベ',
      givenNameKana: 'ショウタ',
      birthDate: '2006-04-17',
      sex: 'male',
      address: 'デモ市東浜二丁目8番1号 コーポ東浜203',
    },
    {
      key: 'misaki',
      familyName: '渡邉',
      givenName: '美咲',
      familyNameKana: 'ワタナベ',
      givenNameKana: 'ミサキ',
      birthDate: '2012-08-09',
      sex: 'female',
      address: 'デモ市東浜二丁目8番1号 コーポ東浜203',
    },
  ],
  members: [
    { person: 'takashi', relationship: '世帯主', livesTogether: true },
    { person: 'emi', relationship: '妻', livesTogether: true, keyPerson: true },
    { person: 'shota', relationship: '長男', livesTogether: true },
    { person: 'misaki', relationship: '長女', livesTogether: true },
  ],
  case: {
    lead: 'fukushi',
    referralRoute: '担任教諭',
    urgency: 'normal',
    summary: [
      'ギャンブル依存の夫、不登校気味の娘（中学2年）、障害の疑いのある息子と母親（妻）の四人暮らし。娘が学校を休みがちで、担任教諭が母親と面談したところ「娘の素行が乱れ不登校気味であることに加え、夫や息子のことで悩んでいる」と相談を受けた。',
      '夫は飲食店経営の倒産をきっかけに、昼間からの飲酒とパチンコの毎日。娘は父親の事業の倒産をからかわれて不登校気味になり、勉強についていけず素行も乱れてきた。息子は短期間しか仕事が続かず、障害の疑いがある。',
      '母親は家計の状況を把握できておらず、各種料金の滞納がある。世帯の状況から近隣に疎まれ、地域で孤立している。困りごとが多岐にわたり、どこに相談すればよいか分からず多機関協働事業につながった。',
    ].join('\n'),
    problems: [
      { person: 'takashi', type: '依存症', note: 'パチンコと昼間からの飲酒。飲食店の倒産後から。' },
      { person: 'takashi', type: '就労', note: 'ハローワークでの求職活動を支援する。' },
      { person: 'emi', type: '家計・滞納', note: '家計の状況を把握できておらず、各種料金の滞納がある。家計改善支援の利用。' },
      { person: 'emi', type: '孤立', note: '世帯として近隣から疎まれ地域で孤立。地域との関係性のつなぎ戻し。' },
      { person: 'shota', type: '障害の疑い', note: '短期間しか仕事が続かない。基幹相談支援センターへの相談。' },
      { person: 'shota', type: '就労', note: '就労訓練事業の利用を検討。' },
      { person: 'misaki', type: '不登校', note: '父の事業の倒産をからかわれたことがきっかけ。学習の遅れ。学習支援の利用。' },
    ],
    steps: [
      { do: 'team', by: 'coord', organization: 'school', basis: 'referral', atIntake: true },
      {
        do: 'record',
        by: 'school',
        person: 'misaki',
        classification: 'normal',
        body: '2学期に入って欠席が月10日を超えた。登校時も保健室で過ごすことが多い。父親の店のことをからかわれたと養護教諭に話している。',
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'emi',
        obtainedDaysAgo: 60,
        method: 'written',
        givenBy: { relation: 'self' },
        organizations: ['fukushi', 'school', 'shakyo', 'hellowork', 'shogai'],
        purposes: ['世帯全体の課題の整理と支援プランの作成', '重層的支援会議での支援プランの共有と役割分担'],
        includesTaxInfo: false,
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'emi',
        obtainedDaysAgo: 45,
        method: 'written',
        givenBy: { relation: 'self' },
        organizations: ['tax', 'shakyo'],
        purposes: ['市税等の滞納状況の共有と、分納・家計改善の相談'],
        includesTaxInfo: true,
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'takashi',
        obtainedDaysAgo: 52,
        method: 'written',
        givenBy: { relation: 'self' },
        organizations: ['fukushi', 'school', 'shakyo', 'hellowork', 'shogai'],
        purposes: ['求職活動と依存症の相談窓口へのつなぎ', '重層的支援会議での支援プランの共有'],
        includesTaxInfo: false,
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'shota',
        obtainedDaysAgo: 52,
        method: 'written',
        givenBy: { relation: 'self' },
        organizations: ['fukushi', 'school', 'shakyo', 'hellowork', 'shogai'],
        purposes: ['障害福祉サービスと就労訓練事業の利用に向けた相談'],
        includesTaxInfo: false,
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'misaki',
        obtainedDaysAgo: 60,
        method: 'written',
        givenBy: { relation: 'parent', name: '渡邉 恵美' },
        organizations: ['fukushi', 'school', 'shakyo', 'hellowork', 'shogai'],
        purposes: ['学校生活と学習支援の調整'],
        includesTaxInfo: false,
      },
      { do: 'status', by: 'coord', to: 'assessment', note: '担任教諭が把握していた情報を基にアセスメントを深め、課題の背景を整理する。' },
      { do: 'team', by: 'coord', organization: 'shakyo', basis: 'consent' },
      { do: 'team', by: 'coord', organization: 'hellowork', basis: 'consent' },
      { do: 'team', by: 'coord', organization: 'shogai', basis: 'consent' },
      { do: 'team', by: 'coord', organization: 'tax', basis: 'consent' },
      {
        do: 'record',
        by: 'coord',
        classification: 'normal',
        body: 'アセスメント：夫の依存と失業、娘の不登校、息子の就労の続かなさ、母の家計管理の困難が互いに影響している。世帯として近隣から孤立しており、地域との関係性のつなぎ戻しも課題。',
      },
      {
        do: 'record',
        by: 'tax',
        person: 'emi',
        classification: 'tax',
        body: '市県民税・国民健康保険税に3年度分の滞納あり（延滞金を含む）。本人来庁のうえ、月1万円の分納誓約を締結。差押えは当面保留。',
      },
      {
        do: 'record',
        by: 'shakyo',
        person: 'emi',
        classification: 'normal',
        body: '家計改善支援を開始。家計表を一緒に作成し、公共料金・家賃の支払い優先順位を整理した。夫の収入が途絶えてから貯蓄を取り崩していたことが分かった。',
      },
      {
        do: 'record',
        by: 'shakyo',
        person: 'takashi',
        classification: 'sensitive',
        body: 'ギャンブルと飲酒について、本人が「やめたいがやめられない」と話す。こころの健康センターの依存症相談につなぐことに同意。',
      },
      {
        do: 'status',
        by: 'coord',
        to: 'planning',
        note: '見立て：夫はハローワークでの求職活動、娘は学習支援、母は家計改善支援、息子は基幹相談支援センターへの相談と就労訓練、世帯は地域との関係性のつなぎ戻し。',
      },
      {
        do: 'record',
        by: 'coord',
        classification: 'normal',
        body: '重層的支援会議（本人同意に基づく）で支援プランを共有。学校、ハローワーク、自立相談支援機関、障害者相談支援事業所と役割分担を確認した。',
      },
      { do: 'status', by: 'coord', to: 'in_support' },
      {
        do: 'record',
        by: 'hellowork',
        person: 'takashi',
        classification: 'normal',
        body: '求職登録済み。調理経験を活かせる給食センターの求人2件を紹介、1件に応募予定。',
      },
      {
        do: 'record',
        by: 'shogai',
        person: 'shota',
        classification: 'sensitive',
        body: '面談で、指示の理解や段取りに困りごとがあると本人が話す。発達障害の可能性について医療機関の受診を勧め、本人も希望。就労移行支援の見学を調整中。',
      },
      { do: 'record', by: 'school', person: 'misaki', classification: 'normal', body: '社協の学習支援教室に週1回通い始めた。別室登校が週3日に増えている。' },
    ],
  },
};

// (4) 中学校卒業後のひきこもり事案 (seed: 支援会議で扱ったケース例) — a consent withdrawn.
const hamada: DemoHousehold = {
  registeredBy: 'coord',
  name: '濵田家',
  address: 'デモ市西町五丁目2番14号',
  persons: [
    {
      key: 'yumiko',
      familyName: '濵田',
      givenName: '由美子',
      familyNameKana: 'ハマダ',
      givenNameKana: 'ユミコ',
      birthDate: '1979-01-25',
      sex: 'female',
      address: 'デモ市西町五丁目2番14号',
    },
    {
      key: 'ren',
      familyName: '濵田',
      givenName: '蓮',
      familyNameKana: 'ハマダ',
      givenNameKana: 'レン',
      birthDate: '2009-05-03',
      sex: 'male',
      address: 'デモ市西町五丁目2番14号',
    },
  ],
  members: [
    { person: 'yumiko', relationship: '世帯主', livesTogether: true, keyPerson: true },
    { person: 'ren', relationship: '長男', livesTogether: true },
  ],
  case: {
    lead: 'fukushi',
    referralRoute: '民生委員',
    urgency: 'normal',
    summary: [
      '母親と長男（17歳）の二人暮らし。長男は中学校卒業後に進学・就職をせず、2年近く自宅にひきこもっている。母親はパートを掛け持ちしており、収入が少なく疲れ切っている。',
      '地区の民生委員が母親から相談を受け、多機関協働事業につないだ。長男本人は支援者との面会を拒んでいる。',
    ].join('\n'),
    problems: [
      { person: 'ren', type: 'ひきこもり', note: '中学校卒業後から。昼夜逆転。' },
      { person: 'yumiko', type: '生活困窮', note: 'パートの掛け持ちで収入が不安定。' },
    ],
    steps: [
      {
        do: 'consent',
        by: 'coord',
        person: 'yumiko',
        obtainedDaysAgo: 40,
        method: 'written',
        givenBy: { relation: 'self' },
        organizations: ['fukushi', 'npo', 'hoken'],
        purposes: ['長男への関わり方の相談と家計の相談'],
        includesTaxInfo: false,
      },
      {
        do: 'consent',
        by: 'coord',
        key: 'ren-first',
        person: 'ren',
        obtainedDaysAgo: 40,
        method: 'oral',
        givenBy: { relation: 'parent', name: '濵田 由美子' },
        organizations: ['fukushi', 'npo', 'hoken'],
        purposes: ['アウトリーチと保健師の訪問による関係づくり'],
        includesTaxInfo: false,
      },
      { do: 'team', by: 'coord', organization: 'npo', basis: 'consent' },
      { do: 'team', by: 'coord', organization: 'hoken', basis: 'consent' },
      { do: 'status', by: 'coord', to: 'assessment' },
      {
        do: 'record',
        by: 'hoken',
        person: 'ren',
        classification: 'sensitive',
        body: '保健師が家庭訪問。長男は自室から出てこず、ドア越しに「来ないでほしい」と強い口調。母親によると睡眠は昼夜逆転、食事は一日一回。',
      },
      { do: 'record', by: 'npo', person: 'ren', classification: 'normal', body: '母親経由で手紙を渡した。返事はないが、手紙は読んでいる様子とのこと。' },
      {
        do: 'withdraw',
        by: 'coord',
        consent: 'ren-first',
        withdrawnDaysAgo: 10,
      },
      {
        do: 'consent',
        by: 'coord',
        person: 'ren',
        obtainedDaysAgo: 10,
        method: 'oral',
        givenBy: { relation: 'parent', name: '濵田 由美子' },
        organizations: ['fukushi', 'npo'],
        purposes: ['NPOのアウトリーチ（手紙と訪問）による関係づくり'],
        includesTaxInfo: false,
      },
      {
        do: 'record',
        by: 'coord',
        person: 'ren',
        classification: 'normal',
        body: '長男が保健師の訪問を強く拒んだため、母親が保健センターとの共有への同意を撤回。NPOによる手紙と訪問のみ続けることで改めて口頭同意を得た。保健センターには撤回を伝えた。',
      },
      { do: 'status', by: 'coord', to: 'planning', note: 'NPOのアウトリーチで関係づくりを続け、母親の家計相談を並行する。' },
    ],
  },
};

// (5) 高齢者の虐待のグレーゾーン事案 (seed: 支援会議で扱ったケース例) — handled by the
//     地域包括支援センター alone: the coordinator sees it only in the municipality-wide case
//     index (and could open it only by breaking the glass, rule 8).
const kuwabara: DemoHousehold = {
  registeredBy: 'houkatsu',
  name: '桒原家',
  address: 'デモ市南町一丁目9番20号',
  persons: [
    {
      key: 'fumi',
      familyName: '桒原',
      givenName: 'フミ',
      familyNameKana: 'クワバラ',
      givenNameKana: 'フミ',
      birthDate: '1933-12-01',
      sex: 'female',
      address: 'デモ市南町一丁目9番20号',
    },
    {
      key: 'noriko',
      familyName: '桒原',
      givenName: '典子',
      familyNameKana: 'クワバラ',
      givenNameKana: 'ノリコ',
      birthDate: '1962-03-15',
      sex: 'female',
      address: 'デモ市南町一丁目9番20号',
    },
  ],
  members: [
    { person: 'fumi', relationship: '世帯主', livesTogether: true },
    { person: 'noriko', relationship: '長女', livesTogether: true, keyPerson: true },
  ],
  case: {
    lead: 'houkatsu',
    referralRoute: '近隣住民',
    urgency: 'high',
    summary: [
      '90代の母（要介護3）と、60代の長女の二人暮らし。近隣住民から「夜に怒鳴り声が聞こえる」と地域包括支援センターに連絡があった。',
      '長女は一人で介護を担い、仕事を辞めて疲れ切っている。母に目立ったけがはないが、介護サービスの利用を長女が断っており、虐待のグレーゾーンとして見守っている。',
    ].join('\n'),
    problems: [
      { person: 'fumi', type: '虐待グレーゾーン', note: '夜間の怒鳴り声の通報。身体的な外傷は確認されていない。' },
      { person: 'fumi', type: '要介護', note: '要介護3。通所サービスは長女が断っている。' },
      { person: 'noriko', type: '介護負担', note: '介護離職。相談相手がいない。' },
    ],
    steps: [
      {
        do: 'record',
        by: 'houkatsu',
        person: 'fumi',
        classification: 'sensitive',
        body: '自宅訪問。母の腕や顔に外傷はなし。室内は片付いているが、母は長女の顔色をうかがう様子。長女は「手を上げたことはない。大声は出してしまう」と話す。',
      },
      { do: 'status', by: 'houkatsu', to: 'assessment', note: '見守りを続けながら、長女の介護負担を軽減するサービス利用を働きかける。' },
    ],
  },
};

export const households: readonly DemoHousehold[] = [saito, takahashi, watanabe, hamada, kuwabara];
