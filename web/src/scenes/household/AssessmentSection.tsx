import { type FormEvent, useState } from 'react';
import { API_BASE, api, seg } from '../../api/client.ts';
import type { AssessmentList, AssessmentView, CaseMember } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextAreaField } from '../../components/form.tsx';
import { Loading, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { warekiDateTime } from '../../lib/dates.ts';
import { ASSESSMENT_DOMAINS, authorText } from '../../lib/lifecycle.ts';
import { fullName } from './common.ts';
import { ExportLinks, type LifecycleProps, PartError, PrintButton, personLabel, WithheldPersons } from './lifecycleCommon.tsx';

/** アセスメント（複合的課題の解きほぐし）: the latest version, the versions, and a form for a new one. */
export function AssessmentSection({ kase, members, names, onChanged }: LifecycleProps) {
  const base = `/cases/${seg(kase.id)}/assessments`;
  const list = useApiGet<AssessmentList>(base);
  const [selected, setSelected] = useState<number | null>(null);
  const picked = useApiGet<AssessmentView>(selected !== null && selected !== list.data?.latest?.version ? `${base}/${selected}` : null);
  const [editing, setEditing] = useState(false);
  // Only once the versions are known: a new version is prefilled from the latest one.
  const canWrite = Boolean(list.data) && Boolean(kase.abilities?.editAssessment ?? kase.abilities?.changeStatus) && kase.status !== 'closed';
  const shown = selected !== null && selected !== list.data?.latest?.version ? picked.data : list.data?.latest;

  return (
    <Section
      id="assessment"
      title="アセスメント"
      actions={
        <div className="flex flex-wrap gap-2 print:hidden">
          <PrintButton />
          {canWrite && !editing && (
            <button type="button" className="btn btn-primary btn-sm" onClick={() => setEditing(true)} data-testid="assessment-new">
              {list.data?.latest ? '新しい版を記録' : 'アセスメントを記録'}
            </button>
          )}
        </div>
      }
    >
      {list.loading && !list.data && <Loading />}
      {list.error && <PartError error={list.error} what="アセスメント" />}
      {editing && (
        <AssessmentForm
          caseId={kase.id}
          members={members}
          names={names}
          previous={list.data?.latest ?? null}
          onCancel={() => setEditing(false)}
          onDone={(v) => {
            setEditing(false);
            setSelected(null);
            list.reload();
            onChanged(`アセスメント（第${v.version}版）を記録しました。`);
          }}
        />
      )}
      {list.data && !list.data.latest && !editing && <p className="text-solid-gray-700">まだアセスメントは記録されていません。</p>}
      {picked.error && <PartError error={picked.error} what="この版のアセスメント" />}
      {shown && <AssessmentBody view={shown} caseId={kase.id} names={names} isLatest={shown.version === list.data?.latest?.version} />}
      {list.data && list.data.items.length > 0 && (
        <div className="mt-6 overflow-x-auto print:hidden">
          <table className="data-table" data-testid="assessment-versions">
            <caption className="mb-2 text-left font-bold">版の一覧</caption>
            <thead>
              <tr>
                <th scope="col">版</th>
                <th scope="col">記録日時</th>
                <th scope="col">記録者</th>
                <th scope="col">
                  <span className="sr-only">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...list.data.items]
                .sort((a, b) => b.version - a.version)
                .map((it) => {
                  const current = (shown?.version ?? -1) === it.version;
                  return (
                    <tr key={it.version} data-testid="assessment-version-row">
                      <th scope="row">第{it.version}版</th>
                      <td className="whitespace-nowrap">{warekiDateTime(it.authoredAt)}</td>
                      <td>{authorText(it.authoredBy)}</td>
                      <td>
                        {current ? (
                          <span className="text-sm font-bold">表示中</span>
                        ) : (
                          <button
                            type="button"
                            className="btn btn-secondary btn-sm"
                            onClick={() => setSelected(it.version)}
                            aria-label={`第${it.version}版を表示`}
                          >
                            表示
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function AssessmentBody({ view, caseId, names, isLatest }: { view: AssessmentView; caseId: string; names: Map<string, string>; isLatest: boolean }) {
  const codes = useCodeLists();
  const hh = view.household ?? {};
  const nameOf = (id: string) => view.members.find((m) => m.personId === id)?.name ?? names.get(id) ?? '（表示できない世帯員）';
  return (
    <article aria-labelledby="assessment-view-heading" data-testid="assessment-view" data-version={view.version}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h3 id="assessment-view-heading" className="text-std-20B-150">
          第{view.version}版{isLatest ? '（最新）' : ''}
          <span className="ml-3 text-base font-normal text-solid-gray-700">
            {warekiDateTime(view.authoredAt)}・{authorText(view.authoredBy)}
          </span>
        </h3>
        <ExportLinks
          base={`${API_BASE}/cases/${seg(caseId)}/assessments/${view.version}`}
          stem="assessment"
          label="アセスメントシート"
          testId="assessment-export"
        />
      </div>
      <WithheldPersons items={view.withheld} />
      <div className="grid gap-4">
        {view.members.map((m) => {
          const filled = ASSESSMENT_DOMAINS.filter((d) => m.items?.[d.code]);
          return (
            <section key={m.personId} className="card break-inside-avoid" aria-label={`${m.name}のアセスメント`} data-testid="assessment-member">
              <h4 className="mb-2 text-std-18B-160 font-bold">
                {m.name}
                {m.relationship && <span className="ml-2 font-normal text-solid-gray-700">（{labelOf(codes.relationships, m.relationship)}）</span>}
                {hh.keyPersonId === m.personId && <span className="ml-2 text-sm text-blue-1000">★キーパーソン</span>}
              </h4>
              {filled.length === 0 && !m.note ? (
                <p className="text-solid-gray-700">記録された項目はありません。</p>
              ) : (
                <dl className="grid gap-x-6 gap-y-2 md:grid-cols-[14rem_1fr]">
                  {filled.map((d) => (
                    <div key={d.code} className="contents">
                      <dt className="font-bold">{d.ja}</dt>
                      <dd className="whitespace-pre-wrap" data-domain={d.code}>
                        {m.items[d.code]}
                      </dd>
                    </div>
                  ))}
                  {m.note && (
                    <>
                      <dt className="font-bold">その他・メモ</dt>
                      <dd className="whitespace-pre-wrap">{m.note}</dd>
                    </>
                  )}
                </dl>
              )}
            </section>
          );
        })}
        <section className="card break-inside-avoid bg-solid-gray-50" aria-label="世帯全体のアセスメント" data-testid="assessment-household">
          <h4 className="mb-2 text-std-18B-160 font-bold">世帯全体</h4>
          <dl className="grid gap-x-6 gap-y-2 md:grid-cols-[14rem_1fr]">
            <dt className="font-bold">キーパーソン</dt>
            <dd>{hh.keyPersonId ? nameOf(hh.keyPersonId) : '—'}</dd>
            <dt className="font-bold">誰が誰を支えているか</dt>
            <dd>
              {hh.supports && hh.supports.length > 0 ? (
                <ul className="list-disc pl-6">
                  {hh.supports.map((s) => (
                    <li key={`${s.fromPersonId}-${s.toPersonId}`}>
                      {nameOf(s.fromPersonId)} → {nameOf(s.toPersonId)}
                      {s.note ? `：${s.note}` : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                '—'
              )}
            </dd>
            <dt className="font-bold">誰かが倒れたら</dt>
            <dd className="whitespace-pre-wrap">{hh.ifOneFallsIll || '—'}</dd>
            <dt className="font-bold">世帯の強み</dt>
            <dd className="whitespace-pre-wrap">{hh.strengths || '—'}</dd>
            {hh.note && (
              <>
                <dt className="font-bold">メモ</dt>
                <dd className="whitespace-pre-wrap">{hh.note}</dd>
              </>
            )}
          </dl>
        </section>
      </div>
    </article>
  );
}

interface SupportRow {
  id: number;
  fromPersonId: string;
  toPersonId: string;
  note: string;
}

function AssessmentForm({
  caseId,
  members,
  names,
  previous,
  onCancel,
  onDone,
}: {
  caseId: string;
  members: CaseMember[];
  names: Map<string, string>;
  previous: AssessmentView | null;
  onCancel: () => void;
  onDone: (v: AssessmentView) => void;
}) {
  const s = useSubmit();
  // Prefilled from the latest version: a new version is the old one amended.
  const [items, setItems] = useState<Record<string, Record<string, string>>>(() =>
    Object.fromEntries(
      members.map((m) => {
        const prev = previous?.members.find((p) => p.personId === m.personId);
        return [m.personId, Object.fromEntries(ASSESSMENT_DOMAINS.map((d) => [d.code, prev?.items?.[d.code] ?? '']))];
      }),
    ),
  );
  const [notes, setNotes] = useState<Record<string, string>>(() =>
    Object.fromEntries(members.map((m) => [m.personId, previous?.members.find((p) => p.personId === m.personId)?.note ?? ''])),
  );
  const hh = previous?.household;
  const [keyPersonId, setKeyPersonId] = useState(hh?.keyPersonId ?? members.find((m) => m.keyPerson)?.personId ?? '');
  const [supports, setSupports] = useState<SupportRow[]>(() =>
    (hh?.supports ?? []).map((x, i) => ({ id: i, fromPersonId: x.fromPersonId, toPersonId: x.toPersonId, note: x.note ?? '' })),
  );
  const [nextId, setNextId] = useState(100);
  const [ifOneFallsIll, setIfOneFallsIll] = useState(hh?.ifOneFallsIll ?? '');
  const [strengths, setStrengths] = useState(hh?.strengths ?? '');
  const [note, setNote] = useState(hh?.note ?? '');
  const memberOptions = members.map((m) => ({ value: m.personId, label: fullName(m) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    supports.forEach((r, i) => {
      if (!r.fromPersonId || !r.toPersonId) local[`household.supports.${i}`] = '支える人と支えられる人を選んでください。';
    });
    if (Object.keys(local).length) {
      s.setLocalErrors(local);
      return;
    }
    const trimmed = (v: string) => (v.trim() ? v.trim() : undefined);
    const body = {
      members: members.map((m) => ({
        personId: m.personId,
        items: Object.fromEntries(Object.entries(items[m.personId] ?? {}).flatMap(([k, v]) => (v.trim() ? [[k, v.trim()]] : []))),
        ...(trimmed(notes[m.personId] ?? '') ? { note: trimmed(notes[m.personId] ?? '') } : {}),
      })),
      household: {
        ...(keyPersonId ? { keyPersonId } : {}),
        supports: supports.map((r) => ({ fromPersonId: r.fromPersonId, toPersonId: r.toPersonId, ...(r.note.trim() ? { note: r.note.trim() } : {}) })),
        ...(trimmed(ifOneFallsIll) ? { ifOneFallsIll: trimmed(ifOneFallsIll) } : {}),
        ...(trimmed(strengths) ? { strengths: trimmed(strengths) } : {}),
        ...(trimmed(note) ? { note: trimmed(note) } : {}),
      },
    };
    const created = await s.run(() => api.post<AssessmentView>(`/cases/${seg(caseId)}/assessments`, body));
    if (created) onDone(created);
  }

  const fieldId = (key: string): string | undefined => {
    const m = /^members\.(\d+)\.items\.(\w+)$/.exec(key);
    if (m) return `asm-${members[Number(m[1])]?.personId}-${m[2]}`;
    const n = /^members\.(\d+)\.note$/.exec(key);
    if (n) return `asm-${members[Number(n[1])]?.personId}-note`;
    const sp = /^household\.supports\.(\d+)/.exec(key);
    if (sp) return `asm-support-${supports[Number(sp[1])]?.id}-from`;
    return {
      'household.keyPersonId': 'asm-key-person',
      'household.ifOneFallsIll': 'asm-if-ill',
      'household.strengths': 'asm-strengths',
      'household.note': 'asm-hh-note',
    }[key];
  };

  return (
    <form onSubmit={submit} noValidate className="card mb-6 bg-blue-50" aria-labelledby="assessment-form-heading" data-testid="assessment-form">
      <h3 id="assessment-form-heading" className="mb-2 text-std-20B-150">
        アセスメントを記録（{previous ? `第${previous.version + 1}版` : '第1版'}）
      </h3>
      <p className="mb-4 text-sm text-solid-gray-800">
        世帯員ごとに、分かっていることだけを書いてください（空欄の項目は記録されません）。
        {previous ? '前の版の内容を初期値にしています。' : ''}
      </p>
      <ErrorSummary detail={s.detail} errors={s.errors} fieldIdOf={fieldId} testId="assessment-errors" />
      {members.length === 0 && <p className="mb-4">記録できる世帯員がいません。</p>}
      {members.map((m) => (
        <fieldset
          key={m.personId}
          className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4"
          data-testid="assessment-form-member"
          data-person-id={m.personId}
        >
          <legend className="px-1 text-std-18B-160 font-bold">{fullName(m)}</legend>
          <div className="grid gap-x-6 md:grid-cols-2">
            {ASSESSMENT_DOMAINS.map((d, i) => (
              <TextAreaField
                key={d.code}
                id={`asm-${m.personId}-${d.code}`}
                label={d.ja}
                rows={2}
                value={items[m.personId]?.[d.code] ?? ''}
                onChange={(e) => setItems((prev) => ({ ...prev, [m.personId]: { ...prev[m.personId], [d.code]: e.target.value } }))}
                error={s.errors[`members.${members.indexOf(m)}.items.${d.code}`]}
                data-testid={`asm-${i}-${d.code}`}
              />
            ))}
          </div>
          <TextAreaField
            id={`asm-${m.personId}-note`}
            label="その他・メモ"
            rows={2}
            value={notes[m.personId] ?? ''}
            onChange={(e) => setNotes((prev) => ({ ...prev, [m.personId]: e.target.value }))}
          />
        </fieldset>
      ))}
      <fieldset className="mb-6 rounded-8 border border-solid-gray-420 bg-white p-4" data-testid="assessment-form-household">
        <legend className="px-1 text-std-18B-160 font-bold">世帯全体</legend>
        <SelectField
          id="asm-key-person"
          label="キーパーソン"
          value={keyPersonId}
          onChange={(e) => setKeyPersonId(e.target.value)}
          placeholder="選択しない"
          options={memberOptions}
          error={s.errors['household.keyPersonId']}
        />
        <fieldset className="mb-5">
          <legend className="mb-1 font-bold">誰が誰を支えているか</legend>
          {supports.length === 0 && <p className="mb-2 text-sm text-solid-gray-700">まだ行がありません。</p>}
          <ul className="grid gap-3">
            {supports.map((r, i) => (
              <li
                key={r.id}
                className="grid items-end gap-x-4 rounded-8 border border-solid-gray-200 p-3 md:grid-cols-[1fr_1fr_2fr_auto]"
                data-testid="support-row"
              >
                <SelectField
                  id={`asm-support-${r.id}-from`}
                  label={`支える人（${i + 1}行目）`}
                  bare
                  className="mb-2"
                  value={r.fromPersonId}
                  onChange={(e) => setSupports((rows) => rows.map((x) => (x.id === r.id ? { ...x, fromPersonId: e.target.value } : x)))}
                  placeholder="選択してください"
                  options={memberOptions}
                  error={s.errors[`household.supports.${i}`]}
                />
                <SelectField
                  id={`asm-support-${r.id}-to`}
                  label={`支えられる人（${i + 1}行目）`}
                  bare
                  className="mb-2"
                  value={r.toPersonId}
                  onChange={(e) => setSupports((rows) => rows.map((x) => (x.id === r.id ? { ...x, toPersonId: e.target.value } : x)))}
                  placeholder="選択してください"
                  options={memberOptions}
                />
                <TextAreaField
                  id={`asm-support-${r.id}-note`}
                  label={`どのように（${i + 1}行目）`}
                  bare
                  className="mb-2"
                  rows={1}
                  value={r.note}
                  onChange={(e) => setSupports((rows) => rows.map((x) => (x.id === r.id ? { ...x, note: e.target.value } : x)))}
                />
                <button
                  type="button"
                  className="btn btn-danger btn-sm mb-2"
                  onClick={() => setSupports((rows) => rows.filter((x) => x.id !== r.id))}
                  aria-label={`${i + 1}行目を削除`}
                >
                  削除
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="btn btn-secondary btn-sm mt-2"
            data-testid="support-add"
            onClick={() => {
              setSupports((rows) => [...rows, { id: nextId, fromPersonId: '', toPersonId: '', note: '' }]);
              setNextId((n) => n + 1);
            }}
          >
            行を追加
          </button>
        </fieldset>
        <TextAreaField
          id="asm-if-ill"
          label="誰かが倒れたら（何が立ちゆかなくなるか）"
          rows={3}
          value={ifOneFallsIll}
          onChange={(e) => setIfOneFallsIll(e.target.value)}
          error={s.errors['household.ifOneFallsIll']}
        />
        <TextAreaField
          id="asm-strengths"
          label="世帯の強み"
          rows={3}
          value={strengths}
          onChange={(e) => setStrengths(e.target.value)}
          error={s.errors['household.strengths']}
        />
        <TextAreaField id="asm-hh-note" label="メモ" rows={2} value={note} onChange={(e) => setNote(e.target.value)} error={s.errors['household.note']} />
      </fieldset>
      <p className="mb-3 text-sm text-solid-gray-700">対象：{members.map((m) => personLabel(m.personId, names)).join('、')}</p>
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn btn-primary" disabled={s.busy} data-testid="assessment-submit">
          この内容で記録する
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          キャンセル
        </button>
      </div>
    </form>
  );
}
