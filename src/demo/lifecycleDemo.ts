/**
 * The demo's support lifecycle, as the seed tells the three households (all through the real
 * API, signed in as the person who would do it):
 *
 * - 髙橋家 (father needing care, son withdrawn for twenty years; consented): assessment, a plan
 *   approved at a 重層的支援会議, monitoring by the agencies that hold the actions, and the
 *   termination evaluation that closes the case with who keeps watching.
 * - 渡邉家 (the gambling father's family; consented, tax consent for the mother): assessment and
 *   a plan awaiting approval at the next monthly 定例, one action overdue, one stalled.
 * - 齋藤家 (8050 after COVID; no consent): a 複合課題ケース検討会 held as a 支援会議 (社会福祉法
 *   106条の6) with the advisor, an advice request on that decision and its answer; the plan stays
 *   with the lead (rule 2) and the son without consent is supported through the family.
 */
import type { OrgKey } from './demoData.ts';
import { type DemoApi, daysAgo } from './loadDemo.ts';

interface Member {
  personId: string;
  givenName: string;
}
interface UserRow {
  id: string;
  loginId: string;
  organizationId: string;
}

const inDays = (days: number) => daysAgo(-days);

/** An instant `days` from now at `hour` o'clock Japan time. */
function at(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+09:00`;
}

export async function loadLifecycle(api: DemoApi, orgIds: Record<OrgKey, string>, caseIds: Map<string, string>) {
  const users = (await api.call<{ items: UserRow[] }>('admin', 'GET', '/users')).items;
  const user = (loginId: string) => {
    const u = users.find((x) => x.loginId === loginId);
    if (!u) throw new Error(`demo data: unknown user ${loginId}`);
    return u;
  };
  const membersOf = async (lead: string, caseId: string) => {
    const view = await api.call<{ members: Member[] }>(lead, 'GET', `/cases/${caseId}`);
    return (givenName: string) => {
      const m = view.members.find((x) => x.givenName === givenName);
      if (!m) throw new Error(`demo data: no member ${givenName}`);
      return m.personId;
    };
  };
  const caseOf = (name: string) => {
    const id = caseIds.get(name);
    if (!id) throw new Error(`demo data: no case for ${name}`);
    return id;
  };

  await api.call('coord', 'PUT', `/advisors/${user('advisor').id}`, {
    fields: ['医療', '保健', '精神保健'],
    affiliation: 'デモ市保健所長',
    note: '感染症・精神保健の助言。複合課題ケース検討会に出席。',
  });

  await takahashi(api, orgIds, caseOf('髙橋家'), await membersOf('coord', caseOf('髙橋家')), user);
  await watanabe(api, orgIds, caseOf('渡邉家'), await membersOf('coord', caseOf('渡邉家')));
  await saito(api, orgIds, caseOf('齋藤家'), await membersOf('hoken', caseOf('齋藤家')), user);
}

async function takahashi(api: DemoApi, org: Record<OrgKey, string>, caseId: string, p: (g: string) => string, user: (l: string) => UserRow) {
  const masao = p('正雄');
  const makoto = p('誠');
  await api.call('coord', 'POST', `/cases/${caseId}/assessments`, {
    members: [
      {
        personId: masao,
        items: {
          health: '進行性の神経疾患。入院治療（約6週間）とリハビリを勧められている。',
          care: '要支援2。屋内は伝い歩き。退院後は住宅改修（手すり）と訪問リハビリが必要。',
          money: '年金収入で二人の生活費を賄っている。',
          wishes: '入院中の息子の食事が心配。親亡き後の息子の生活が一番の気がかり。',
        },
      },
      {
        personId: makoto,
        items: {
          mentalHealth: '20年以上のひきこもり。昼夜逆転はない。家事は父に頼ってきた。',
          work: '「働きたいが自信がない」。就労経験は短期のアルバイトのみ。',
          socialTies: '家族以外との接点はほとんどない。ゲームの話題には反応がよい。',
          wishes: '父の入院中に一人で暮らせるか不安。',
        },
      },
    ],
    household: {
      keyPersonId: masao,
      supports: [{ fromPersonId: masao, toPersonId: makoto, note: '食事と家事のすべて' }],
      ifOneFallsIll: '父が入院すると、息子は食事の確保ができず、外部とのつながりが途絶える。',
      strengths: '父子の関係は良好。息子は父の通院に同行する意思がある。',
    },
  });
  const plan = {
    members: [
      { personId: masao, view: '入院治療とリハビリで在宅生活を続けられる見込み。退院後の環境整備が鍵。' },
      { personId: makoto, view: '父の入院を機に外とのつながりをつくる好機。就労体験から始めるのが適当。' },
    ],
    goals: [
      { key: 'masao-home', personId: masao, text: '退院後も自宅で療養を続ける' },
      { key: 'makoto-meals', personId: makoto, text: '父の入院中も食事と生活を確保する' },
      { key: 'makoto-work', personId: makoto, text: '週2回の就労体験を続ける' },
    ],
    actions: [
      {
        key: 'rehab',
        goalKey: 'masao-home',
        personId: masao,
        text: '退院前カンファレンスと訪問リハビリの調整',
        organizationId: org.kyotaku,
        startOn: daysAgo(40),
        reviewOn: daysAgo(5),
      },
      {
        key: 'meals',
        goalKey: 'makoto-meals',
        personId: makoto,
        text: '入院中のヘルパー（自費）による食事の確保',
        organizationId: org.helper,
        startOn: daysAgo(40),
        reviewOn: daysAgo(10),
      },
      {
        key: 'outreach',
        goalKey: 'makoto-work',
        personId: makoto,
        text: 'アウトリーチによる関係づくりと就労体験への同行',
        organizationId: org.npo,
        startOn: daysAgo(40),
        reviewOn: daysAgo(3),
      },
    ],
  };
  const v1 = await api.call<{ version: number }>('coord', 'POST', `/cases/${caseId}/plans`, plan);
  await api.call('coord', 'POST', `/cases/${caseId}/plans/${v1.version}/submit`);
  const meeting = await api.call('chair', 'POST', '/meetings', {
    kind: 'multilayer',
    title: '重層的支援会議（随時）— 髙橋家の支援プラン',
    startsAt: at(-3, 14),
    place: '市役所本庁舎 3階 第2会議室',
    chairUserId: user('chair').id,
    memberUserIds: ['coord', 'caremane', 'npo'].map((l) => user(l).id),
    caseIds: [caseId],
    purposes: { [caseId]: '父の入院中と退院後の支援、息子の参加支援のプランの適切性を確認し、役割分担を決める。' },
  });
  await api.call('chair', 'POST', `/meetings/${meeting.id}/acknowledge`);
  await api.call('chair', 'POST', `/cases/${caseId}/plans/${v1.version}/approve`, { meetingId: meeting.id, note: '原案どおり承認。' });
  await api.call('caremane', 'POST', `/cases/${caseId}/monitoring`, {
    actionKey: 'rehab',
    status: 'done',
    note: '予定どおり退院し、訪問リハビリを週2回で開始した。',
  });
  await api.call('coord', 'POST', `/cases/${caseId}/monitoring`, {
    actionKey: 'meals',
    status: 'done',
    note: '父の入院中、ヘルパーによる夕食の確保を続けた。',
  });
  await api.call('npo', 'POST', `/cases/${caseId}/monitoring`, {
    actionKey: 'outreach',
    status: 'done',
    note: '就労体験（公園の清掃作業）を週2回続けている。父の通院にも同行。',
    personView: '「週2回なら続けられる。父の役に立てるのがうれしい」',
  });
  await api.call('coord', 'POST', `/cases/${caseId}/termination`, {
    reason: 'goal_achieved',
    evaluations: [
      { goalKey: 'masao-home', outcome: 'achieved', why: '退院後、訪問リハビリと手すりの設置で自宅療養を続けている。' },
      { goalKey: 'makoto-meals', outcome: 'achieved', why: '入院中も食事が確保され、息子は一人で生活できた。' },
      { goalKey: 'makoto-work', outcome: 'partly', why: '就労体験は週2回続いているが、一般就労はまだ。参加支援で継続。' },
    ],
    watchers: [
      { organizationId: org.npo, how: '居場所（ひだまりカフェ）と就労体験で月2回顔を合わせる' },
      { organizationId: org.kyotaku, how: 'ケアマネジャーの月1回の訪問で父子の様子を確認' },
    ],
    recheckOn: inDays(90),
    note: '円滑な実施状況を確認し、一定の見通しがついたため多機関協働事業による支援を終結。新たな課題に備え関係機関とは情報共有を続ける。',
  });
}

async function watanabe(api: DemoApi, org: Record<OrgKey, string>, caseId: string, p: (g: string) => string) {
  const takashi = p('隆');
  const emi = p('恵美');
  const shota = p('翔太');
  const misaki = p('美咲');
  await api.call('coord', 'POST', `/cases/${caseId}/assessments`, {
    members: [
      {
        personId: takashi,
        items: { mentalHealth: 'パチンコと昼間からの飲酒。飲食店の倒産後から。', work: '求職活動はしていない。', wishes: '「また店をやりたい」' },
      },
      { personId: emi, items: { money: '家計の全体を把握できていない。各種料金の滞納がある。', socialTies: '近隣から疎まれ、地域で孤立している。' } },
      { personId: shota, items: { disability: '障害の疑い（未診断）。短期間しか仕事が続かない。', work: '就労訓練に関心あり。' } },
      { personId: misaki, items: { school: '父の事業の倒産をからかわれたことをきっかけに不登校。学習の遅れ。', wishes: '勉強は取り戻したい。' } },
    ],
    household: {
      keyPersonId: emi,
      ifOneFallsIll: '母が倒れると家計と子どもたちの生活が回らなくなる。',
      strengths: '母は支援を受け入れる意思がある。娘は学習支援に前向き。',
    },
  });
  const v1 = await api.call<{ version: number }>('coord', 'POST', `/cases/${caseId}/plans`, {
    members: [
      { personId: takashi, view: '依存症の背景に失業と喪失感。就労と相談につなぐことで生活の立て直しが見込める。' },
      { personId: emi, view: '家計の見える化と分納で滞納の解消が見込める。地域とのつなぎ戻しが必要。' },
      { personId: shota, view: '障害の可能性を踏まえた相談と就労訓練が適当。' },
      { personId: misaki, view: '学習支援と学校との連携で登校再開を目指す。' },
    ],
    goals: [
      { key: 'takashi-job', personId: takashi, text: '求職活動を始め、依存症の相談につながる' },
      { key: 'emi-money', personId: emi, text: '家計を立て直し、滞納を分納で解消する' },
      { key: 'shota-work', personId: shota, text: '就労訓練を利用する' },
      { key: 'misaki-school', personId: misaki, text: '学習支援に通い、登校を再開する' },
    ],
    actions: [
      {
        key: 'job',
        goalKey: 'takashi-job',
        personId: takashi,
        text: 'ハローワークでの職業相談（週1回）',
        organizationId: org.hellowork,
        startOn: daysAgo(20),
        reviewOn: inDays(10),
      },
      {
        key: 'budget',
        goalKey: 'emi-money',
        personId: emi,
        text: '家計改善支援（家計表の作成と分納の相談）',
        organizationId: org.shakyo,
        startOn: daysAgo(40),
        reviewOn: daysAgo(5),
      },
      {
        key: 'consult',
        goalKey: 'shota-work',
        personId: shota,
        text: '相談支援専門員による面談と就労訓練事業の紹介',
        organizationId: org.shogai,
        startOn: daysAgo(20),
        reviewOn: inDays(20),
      },
      {
        key: 'study',
        goalKey: 'misaki-school',
        personId: misaki,
        text: '学習支援教室と担任の家庭訪問',
        organizationId: org.school,
        startOn: daysAgo(20),
        reviewOn: inDays(14),
      },
    ],
  });
  await api.call('coord', 'POST', `/cases/${caseId}/plans/${v1.version}/submit`);
  await api.call('hellowork', 'POST', `/cases/${caseId}/monitoring`, {
    actionKey: 'job',
    status: 'stalled',
    note: '2回続けて面談に来所せず。電話にも出ない。',
    nextReviewOn: inDays(7),
  });
}

async function saito(api: DemoApi, _org: Record<OrgKey, string>, caseId: string, p: (g: string) => string, user: (l: string) => UserRow) {
  const yoshio = p('義雄');
  const kazuko = p('和子');
  const koichi = p('浩一');
  const kenji = p('健二');
  const conference = await api.call('chair', 'POST', '/meetings', {
    kind: 'case_conference',
    legalBasis: 'art106-6',
    title: '複合課題ケース検討会 — 齋藤家（8050世帯・感染症退院後）',
    startsAt: at(-1, 15),
    place: '保健センター 2階 相談室',
    chairUserId: user('chair').id,
    memberUserIds: ['hoken', 'houkatsu', 'coord', 'advisor'].map((l) => user(l).id),
    caseIds: [caseId],
    purposes: { [caseId]: '感染症元患者の在宅生活への関係機関の不安を解消し、支援方針と役割分担を決めるため（本人同意なし・支援会議として開催）。' },
  });
  await api.call('advisor', 'POST', `/meetings/${conference.id}/acknowledge`);
  await api.call('hoken', 'POST', `/cases/${caseId}/assessments`, {
    members: [
      { personId: yoshio, items: { health: 'ストマ造設、自己管理は可能。長期入院で筋力低下。', care: '介護保険未申請。屋内伝い歩き。' } },
      { personId: kazuko, items: { care: '要介護1・認知症。デイケアが自宅待機以降止まっている。' } },
      { personId: koichi, items: { work: '正規就労。勤務後に買い物と食事の準備を担ってきた。', wishes: '入院前と同じ自宅生活を続けたい。' } },
      { personId: kenji, items: { mentalHealth: '長年のひきこもり。支援機関との直接の接点はない。', wishes: '（本人とは会えていない）' } },
    ],
    household: {
      keyPersonId: koichi,
      supports: [
        { fromPersonId: koichi, toPersonId: kazuko, note: '買い物と食事' },
        { fromPersonId: yoshio, toPersonId: kazuko, note: '家事の中心' },
      ],
      ifOneFallsIll: '父と長男が入院すると、母（認知症）と二男（ひきこもり）だけでは在宅生活が続かない。',
      strengths: '長男が家族の要として機能している。',
    },
  });
  // No consent: the plan stays with the lead (rule 2); the agencies' roles come from the 支援会議's assignments.
  await api.call('hoken', 'POST', `/cases/${caseId}/plans`, {
    members: [
      { personId: kazuko, view: 'デイケアの再開で日中の見守りと服薬管理ができる。' },
      { personId: kenji, view: '本人への直接の働きかけは時期尚早。家族支援を通じて接点をつくる。' },
    ],
    goals: [
      { key: 'kazuko-daycare', personId: kazuko, text: 'デイケアを週2回再開する' },
      { key: 'kenji-contact', personId: kenji, text: '家族を通じて支援の入口をつくる' },
    ],
    actions: [
      {
        key: 'family',
        goalKey: 'kenji-contact',
        personId: kenji,
        text: '長男を通じた家族支援。要望があれば時機を逃さず訪問',
        organizationId: (await api.call<{ leadOrganization: { id: string } }>('hoken', 'GET', `/cases/${caseId}`)).leadOrganization.id,
        startOn: daysAgo(1),
        reviewOn: inDays(30),
      },
    ],
    changeNote: '複合課題ケース検討会（支援会議）での役割分担を踏まえて作成。',
  });
  const advice = await api.call('hoken', 'POST', `/cases/${caseId}/advice-requests`, {
    advisorUserId: user('advisor').id,
    question: '感染症の元患者である父と長男の退院後、関係機関が訪問する際の感染予防策と留意点を教えてください。二男への関わり方についても助言をお願いします。',
    basis: { kind: 'meeting', meetingId: conference.id },
    include: ['core', 'assessment'],
    dueOn: inDays(7),
  });
  await api.call('advisor', 'POST', `/advice-requests/${advice.id}/answer`, {
    answer:
      '療養期間を終えた元患者からの感染の心配はなく、通常の標準予防策（手洗い・換気）で訪問できます。関係機関で同じ理解を持つことが大切です。二男には、母のデイケア再開など家族の生活が整う過程で、長男経由で保健センターの存在を伝え続けてください。',
  });
}
