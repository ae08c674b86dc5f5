/**
 * User-facing messages, Japanese first (product: Japanese by default, English with
 * Accept-Language: en). Keys are stable codes; `{name}` placeholders are filled from params.
 */
export type Lang = 'ja' | 'en';

const MESSAGES = {
  // problem titles
  'title.validation': { ja: '入力内容に誤りがあります', en: 'The request has invalid fields' },
  'title.unauthenticated': { ja: 'ログインが必要です', en: 'Sign-in required' },
  'title.forbidden': { ja: 'この操作は許可されていません', en: 'Not allowed' },
  'title.not_found': { ja: '見つかりません', en: 'Not found' },
  'title.conflict': { ja: '現在の状態では実行できません', en: 'Conflict with the current state' },
  'title.too_large': { ja: '送信されたデータが大きすぎます', en: 'Request body too large' },
  'title.throttled': { ja: 'しばらくしてからお試しください', en: 'Too many attempts' },
  'title.unsupported_media_type': { ja: '送信形式が正しくありません', en: 'Unsupported media type' },
  'title.internal': { ja: 'システムエラーが発生しました', en: 'Internal error' },
  // details
  'detail.validation': { ja: '各項目のメッセージを確認してください。何も保存されていません。', en: 'See the field errors. Nothing was stored.' },
  'detail.invalid_json': { ja: 'JSONとして読み取れませんでした。', en: 'The body is not valid JSON.' },
  'detail.unauthenticated': { ja: 'ログインしてください。', en: 'Sign in or send a valid bearer token.' },
  'detail.bad_credentials': { ja: 'ログインIDまたはパスワードが正しくありません。', en: 'Wrong login ID or password.' },
  'detail.csrf': { ja: '画面を再読み込みしてから操作してください（CSRFトークンがありません）。', en: 'Missing or wrong x-csrf-token header.' },
  'detail.throttled': { ja: 'ログインの失敗が続いたため、{minutes}分間ログインできません。', en: 'Too many failed sign-ins; try again in {minutes} minutes.' },
  'detail.totp_required': { ja: '二要素認証のコード（6桁）を入力してください。', en: 'This account needs its 6-digit second-factor code (totp).' },
  'detail.mfa_setup_required': {
    ja: 'この役割では二要素認証が必須です。先に二要素認証を設定してください。',
    en: 'Your role requires a second factor: set it up first (POST /api/v1/auth/totp/setup).',
  },
  'detail.totp_wrong': {
    ja: '確認コードが正しくありません。認証アプリの最新のコードを入力してください。',
    en: 'The code does not match; enter the current code from the authenticator app.',
  },
  'detail.totp_no_pending': { ja: '先に二要素認証の設定を開始してください。', en: 'Start the setup first (POST /api/v1/auth/totp/setup).' },
  'detail.not_found': { ja: '指定されたものは存在しないか、閲覧する権限がありません。', en: 'It does not exist or you may not see it.' },
  'detail.too_large': { ja: '送信できるのは{limit}までです。', en: 'The limit is {limit}.' },
  'detail.unsupported_media_type': { ja: 'application/json で送信してください。', en: 'Send application/json.' },
  'detail.bad_url': { ja: 'URLの形式が正しくありません。', en: 'The URL is malformed.' },
  'detail.headers_too_large': { ja: 'URLまたはヘッダーが長すぎます。', en: 'The URL or the headers are too long.' },
  'detail.bad_request': { ja: '要求を読み取れませんでした。', en: 'The request could not be read.' },
  'detail.internal': { ja: '管理者に連絡してください（要求ID: {requestId}）。', en: 'Contact the administrator (request id {requestId}).' },
  'rule.chair_only': { ja: '会議の総括者（議長）だけが行えます。', en: 'Only the chair may do this.' },
  'rule.acknowledge_first': {
    ja: '会議資料を開く前に、この会議の守秘義務の確認（誓約）が必要です（ルール5）。',
    en: 'Acknowledge the confidentiality duty of this meeting first (rule 5).',
  },
  'rule.materials_closed': { ja: 'この会議の資料の閲覧期間は終了しました。', en: 'The materials of this meeting are closed.' },
  'rule.minutes_keepers': {
    ja: '資料の閲覧期間後、会議記録を見られるのは総括者と事務局だけです。',
    en: 'After the window only the chair and the secretariat keep the minutes.',
  },
  'rule.task_org_only': { ja: '割り当てられた機関の担当者だけが更新できます。', en: 'Only the assigned organization may update this task.' },
  'conflict.already_answered': { ja: 'この求めにはすでに回答しています。', en: 'This request has been answered already.' },
  'conflict.chair_stays': { ja: '総括者は構成員から外せません。', en: 'The chair cannot be removed.' },
  'conflict.case_on_agenda': { ja: 'このケースはすでに議題にあります。', en: 'The case is already on the agenda.' },
  'rule.content_needs_ground': {
    ja: '推進員のケース索引では内容を表示できません。支援チームへの参加、本人同意、会議、または緊急時の閲覧が必要です（ルール1）。',
    en: "The coordinator's index shows no content: it needs team membership, consent, a meeting or break-glass (rule 1).",
  },
  'rule.plan_needs_consent': {
    ja: '本人同意（貴機関を対象とするもの）がないため、アセスメントや支援プランは共有されていません（ルール2・3）。支援会議で共有するか、本人同意を得てください。',
    en: 'No active consent names your organization: the assessment and plan are not shared (rules 2, 3). Share them at a support meeting or obtain consent.',
  },
  'rule.break_glass_read_only': { ja: '緊急時の閲覧は読み取り専用です（ルール8）。', en: 'Break-glass access is read-only (rule 8).' },
  'rule.monitor_own_actions': {
    ja: 'モニタリングを記録できるのは主担当機関と、その支援を担当する機関だけです。',
    en: 'Only the lead and the organization holding the action may record monitoring.',
  },
  'rule.export_needs_team': {
    ja: '帳票を出力できるのは支援チームの機関だけです（会議で共有された内容は出力できません：ルール7）。',
    en: 'Only team organizations may export; what a meeting shared cannot be exported (rule 7).',
  },
  'rule.advisor_only': { ja: '相談を受けたアドバイザーだけが回答できます。', en: 'Only the advisor asked may answer.' },
  'rule.roster_keepers': { ja: 'アドバイザー名簿は推進員とシステム管理者が管理します。', en: 'Coordinators and administrators keep the advisor roster.' },
  'conflict.case_closed': { ja: 'ケースは終結しています。再開してから操作してください。', en: 'The case is closed; reopen it first.' },
  'conflict.case_not_closed': { ja: '終結していないケースは再開できません。', en: 'Only a closed case can be reopened.' },
  'conflict.plan_not_latest': { ja: '最新の版だけを操作できます。', en: 'Only the latest version can be changed.' },
  'conflict.plan_status': { ja: 'この版は現在「{status}」のため、この操作はできません。', en: 'This version is {status}; the step does not apply.' },
  'conflict.no_plan': { ja: '支援プランがまだありません。', en: 'There is no plan yet.' },
  'rule.role': { ja: 'この操作には次の役割が必要です: {roles}', en: 'This needs one of the roles: {roles}' },
  'rule.lead_only': { ja: '主担当機関の担当者だけが行えます（ルール1）。', en: 'Only the lead organization may do this (rule 1).' },
  'rule.lead_or_coordinator': { ja: '主担当機関または相談支援包括化推進員だけが行えます。', en: 'Only the lead organization or a coordinator may do this.' },
  'rule.team_only': { ja: '支援チームの機関だけが記録を追加できます（ルール1）。', en: 'Only organizations on the case team may add records (rule 1).' },
  'rule.own_org_lead': {
    ja: '主担当機関には自分の所属機関を指定してください（推進員を除く）。',
    en: 'The lead organization must be your own organization unless you are a coordinator.',
  },
  'rule.break_glass_team': { ja: '支援チームの機関はブレイクグラスを使う必要がありません。', en: 'Team organizations do not need to break the glass.' },
  'conflict.already_on_team': { ja: 'この機関はすでに支援チームにいます。', en: 'The organization is already on the team.' },
  'conflict.lead_cannot_leave': { ja: '主担当機関は支援チームから外せません。', en: 'The lead organization cannot be removed from the team.' },
  'conflict.not_on_team': { ja: 'この機関は支援チームにいません。', en: 'The organization is not on the team.' },
  'conflict.login_taken': { ja: 'このログインIDはすでに使われています。', en: 'This login ID is taken.' },
  'conflict.already_withdrawn': { ja: 'この同意はすでに撤回されています。', en: 'This consent is already withdrawn.' },
  'conflict.duplicate': {
    ja: '同じ内容がすでに登録されています（同時に操作された可能性があります）。',
    en: 'This already exists (possibly added at the same moment by someone else).',
  },
  'conflict.same_status': { ja: 'ケースはすでにこの状態です。', en: 'The case already has this status.' },
  'conflict.database_exists': { ja: 'データベースはすでに存在します。', en: 'The database already exists.' },
  // field messages
  'field.required': { ja: '必須項目です', en: 'Required' },
  'field.type': { ja: '{expected}で指定してください', en: 'Expected {expected}' },
  'field.too_small_string': { ja: '{minimum}文字以上で入力してください', en: 'At least {minimum} characters' },
  'field.too_big_string': { ja: '{maximum}文字以内で入力してください', en: 'At most {maximum} characters' },
  'field.too_small_array': { ja: '{minimum}件以上指定してください', en: 'At least {minimum} items' },
  'field.too_big_array': { ja: '{maximum}件以内で指定してください', en: 'At most {maximum} items' },
  'field.too_small_number': { ja: '{minimum}以上で指定してください', en: 'At least {minimum}' },
  'field.too_big_number': { ja: '{maximum}以下で指定してください', en: 'At most {maximum}' },
  'field.enum': { ja: '次のいずれかを指定してください: {values}', en: 'One of: {values}' },
  'field.format': { ja: '形式が正しくありません', en: 'Invalid format' },
  'field.unknown_keys': { ja: '不明な項目です: {keys}', en: 'Unknown fields: {keys}' },
  'field.invalid': { ja: '値が正しくありません', en: 'Invalid value' },
  'field.control_chars': { ja: '制御文字や書字方向を変える文字は使えません', en: 'Control and bidirectional-override characters are not allowed' },
  'field.required_text': { ja: '入力してください', en: 'Must not be empty' },
  'field.too_long': { ja: '{max}文字以内で入力してください', en: 'At most {max} characters' },
  'field.kana_only': { ja: 'カナ（ひらがな・カタカナ）だけで入力してください', en: 'Kana (hiragana or katakana) only' },
  'field.date': { ja: '実在する日付を YYYY-MM-DD 形式で入力してください', en: 'A real date as YYYY-MM-DD' },
  'field.future_date': { ja: '未来の日付は指定できません', en: 'Must not be in the future' },
  'field.person_required': { ja: '機微・税情報の記録には対象者を指定してください', en: 'Sensitive and tax records need a personId' },
  'field.person_or_case': { ja: 'personId または caseId を指定してください', en: 'Give personId or caseId' },
  'field.unknown_reference': { ja: '存在しないか、参照できない{entity}です', en: 'Unknown {entity}' },
  'field.not_household_member': { ja: 'この世帯の世帯員ではありません', en: 'Not a member of this household' },
  'field.instant': {
    ja: '日時を 2026-12-03T14:00:00+09:00 の形式（時差つき）で入力してください',
    en: 'An instant with its offset, e.g. 2026-12-03T14:00:00+09:00',
  },
  'field.legal_basis_required': {
    ja: '複合課題ケース検討会は根拠（art106-6 または consent）を指定してください',
    en: 'A case conference declares its basis: art106-6 or consent',
  },
  'field.legal_basis_kind': { ja: 'この会議の種類では指定できない根拠です', en: 'This basis does not fit this kind of meeting' },
  'field.purpose_required': {
    ja: '支援会議に載せるケースごとに目的を記入してください（支援のために必要な理由）',
    en: 'Each case on a support meeting needs its purpose',
  },
  'field.consent_gap': { ja: '本人同意が足りません：{gaps}', en: 'Consent missing: {gaps}' },
  'field.not_on_agenda': { ja: 'この会議の議題にないケースです', en: 'The case is not on this meeting’s agenda' },
  'field.not_own_record': { ja: '提出できるのは自機関の記録だけです', en: 'Only your own organization’s records can be tabled' },
  'field.tax_not_tabled': {
    ja: '税情報は、構成員全員の機関を対象に税情報を含む本人同意がない限り提出できません（地方税法22条）',
    en: 'Tax records are tabled only when a tax-inclusive consent names every member organization',
  },
  'field.already_member': { ja: 'すでに構成員です', en: 'Already a member' },
  'field.disabled_user': { ja: '無効になっている利用者です', en: 'This user is disabled' },
  'field.chair_not_excluded': { ja: '総括者は議題のケースから除外できません', en: 'The chair cannot be excluded from a case' },
  'field.not_member_of_meeting': { ja: 'この会議の構成員ではありません', en: 'Not a member of this meeting' },
  'field.not_statutory_meeting': {
    ja: '情報提供の求めは支援会議（社会福祉法106条の6）からだけ行えます',
    en: 'Only a support meeting (art. 106-6) may ask for information',
  },
  'field.not_meeting_role': {
    ja: '管理者・監査担当（ほかの役割なし）は会議の構成員になれません',
    en: 'Administrators and auditors without another role sit in no meeting',
  },
  'field.not_a_chair': { ja: '総括者の役割を持つ利用者を指定してください', en: 'Give a user with the chair role' },
  'field.not_own_person': {
    ja: '他の機関が登録した人を世帯に加えられるのは相談支援包括化推進員だけです',
    en: "Only a coordinator may put another organization's person into a household",
  },
  'field.duplicate_member': { ja: '同じ人が世帯に重複しています', en: 'The same person is listed twice' },
  'field.termination_required': {
    ja: '支援プランのあるケースは、終結評価（目標ごとの評価・見守り）を記録して終結してください',
    en: 'A case with a plan closes through the termination evaluation (each goal evaluated, who keeps watching)',
  },
  'field.goal_not_evaluated': { ja: '評価されていない目標があります：{goals}', en: 'Goals not evaluated: {goals}' },
  'field.unknown_goal': { ja: 'この支援プランにない目標です', en: 'Not a goal of this plan' },
  'field.duplicate_goal': { ja: '同じ目標を二度評価しています', en: 'This goal is evaluated twice' },
  'field.watchers_required': {
    ja: '終結後に見守る機関と方法を1つ以上入力してください（死亡・転出の場合を除く）',
    en: 'Name at least one organization that keeps watching (except when deceased or moved out)',
  },
  'field.recheck_required': { ja: '見守りを続ける場合は、次に確認する日を入力してください', en: 'Give the date to check again' },
  'field.not_on_team_org': { ja: '支援チームにいない機関です。先に支援チームに加えてください', en: 'Not on the case team: add the organization first' },
  'field.action_needs_consent': {
    ja: '{person}さんの本人同意がこの機関を含まないため、この支援を割り当てられません（ルール2・3）。支援会議での役割分担を使ってください',
    en: 'No active consent of {person} names this organization (rules 2, 3): assign it through a support meeting instead',
  },
  'field.household_action_needs_consent': {
    ja: '課題のある世帯員全員の本人同意がこの機関を含まないため、世帯全体の支援を割り当てられません（ルール2・3）',
    en: 'Household-wide actions need every person with a problem to have consented naming this organization (rules 2, 3)',
  },
  'field.unknown_goal_key': { ja: 'この支援プランにない目標のキーです', en: 'No goal with this key in the plan' },
  'field.duplicate_key': { ja: 'キーが重複しています', en: 'Duplicate key' },
  'field.review_before_start': { ja: '見直し日は開始日以降にしてください', en: 'The review date must not be before the start date' },
  'field.unknown_action': { ja: '現在の支援プランにない支援です', en: 'No such action in the current plan' },
  'field.not_multilayer_meeting': {
    ja: '支援プランの承認は、このケースを議題とする重層的支援会議で行ってください',
    en: 'Plans are approved at a 重層的支援会議 (multilayer meeting) that lists the case',
  },
  'field.meeting_not_started': { ja: 'まだ開催されていない会議では承認できません', en: 'The meeting has not started yet' },
  'field.not_an_advisor': { ja: 'アドバイザーの役割を持つ有効な利用者を指定してください', en: 'Give an active user with the advisor role' },
  'field.advice_meeting': {
    ja: '支援会議（社会福祉法106条の6）の決定として依頼するには、アドバイザーがその会議の構成員で、ケースが議題にある必要があります（{reason}）',
    en: 'A request on a support meeting decision needs the advisor to be a member and the case on its agenda ({reason})',
  },
  'field.key_person_not_member': { ja: 'キーパーソンは世帯員から選んでください', en: 'The key person must be a household member' },
  'field.reason_required': { ja: '終結には終結理由が必要です', en: 'Closing needs a reason' },
  'field.before_obtained': { ja: '同意取得日より前の日付は指定できません', en: 'Must not be before the consent was obtained' },
  'field.password_too_weak': { ja: 'パスワードは{min}文字以上にしてください', en: 'Passwords need at least {min} characters' },
  'entity.organization': { ja: '関係機関', en: 'organization' },
  'entity.person': { ja: '本人・世帯員', en: 'person' },
  'entity.household': { ja: '世帯', en: 'household' },
  'entity.user': { ja: '利用者', en: 'user' },
  'entity.case': { ja: 'ケース', en: 'case' },
  'entity.meeting': { ja: '会議', en: 'meeting' },
} as const satisfies Record<string, { ja: string; en: string }>;

export type MessageKey = keyof typeof MESSAGES;

export function t(key: MessageKey, lang: Lang, params: Record<string, unknown> = {}): string {
  const template: string = MESSAGES[key][lang];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (typeof v === 'string' && v.startsWith('entity.') && v in MESSAGES) return MESSAGES[v as MessageKey][lang];
    return Array.isArray(v) ? v.join(', ') : String(v ?? '');
  });
}

export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'ja';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ja';
}
