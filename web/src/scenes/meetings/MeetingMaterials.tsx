import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { CaseCoreSnapshot, CaseRecord, ListResponse, MeetingMaterial, MeetingMaterials } from '../../api/types.ts';
import { CheckboxField, ErrorSummary, SelectField } from '../../components/form.tsx';
import { ApiErrorNotice, Badge, classificationTone, Loading, Notice, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { useMe } from '../../hooks/session.tsx';
import { useApiGet } from '../../hooks/useApiGet.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { wareki, warekiDateTime } from '../../lib/dates.ts';

type MaterialCase = MeetingMaterials['cases'][number];

function CaseCore({ core, tabledBy, tabledAt }: { core: CaseCoreSnapshot; tabledBy: string; tabledAt: string }) {
  return (
    <div className="mb-6" data-testid="case-core">
      <p className="mb-3 text-sm text-solid-gray-700">
        ケースの概要（{tabledBy}・主担当機関に代わり自動提出、{warekiDateTime(tabledAt)}時点の写し）
      </p>
      <h4 className="mb-1 font-bold">要旨</h4>
      <p className="mb-4 whitespace-pre-wrap" data-testid="case-core-summary">
        {core.summary || '（要旨なし）'}
      </p>
      {core.referralRoute && (
        <p className="mb-4">
          <span className="font-bold">相談経路：</span>
          {core.referralRoute}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <div>
          <h4 className="mb-1 font-bold">世帯構成</h4>
          <table className="data-table" style={{ minWidth: 0 }}>
            <caption className="sr-only">世帯構成</caption>
            <thead>
              <tr>
                <th scope="col">氏名</th>
                <th scope="col">続柄</th>
                <th scope="col">年齢</th>
              </tr>
            </thead>
            <tbody>
              {core.members.map((p) => (
                <tr key={p.personId}>
                  <td>{p.name ?? <span className="text-solid-gray-700">（同意なし・氏名非表示）</span>}</td>
                  <td>{p.relationship}</td>
                  <td>{p.age === null ? '不明' : `${p.age}歳`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h4 className="mb-1 font-bold">課題</h4>
          {core.problems.length === 0 ? (
            <p>登録された課題はありません。</p>
          ) : (
            <ul className="mb-4 list-disc pl-6" data-testid="case-core-problems">
              {core.problems.map((p) => (
                <li key={`${p.personId}-${p.type}-${p.note ?? ''}`}>
                  <span className="font-bold">{p.personName}</span>：{p.type}
                  {p.note && <span className="text-solid-gray-800">（{p.note}）</span>}
                </li>
              ))}
            </ul>
          )}
          <h4 className="mb-1 font-bold">関係機関</h4>
          <ul className="list-disc pl-6" data-testid="case-core-organizations">
            {core.organizations.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

function TabledRecord({ mat, names }: { mat: Extract<MeetingMaterial, { kind: 'record' }>; names: Map<string, string> }) {
  const codes = useCodeLists();
  const rec = mat.content;
  return (
    <li className="card mb-3 p-4" data-testid="tabled-record" data-classification={mat.classification}>
      <div className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-1">
        <Badge tone={classificationTone(mat.classification)} testId="tabled-record-classification">
          {labelOf(codes.recordClassifications, mat.classification)}
        </Badge>
        <span className="font-bold">{mat.organizationName}</span>
        <span className="text-sm text-solid-gray-800">
          記録 <time dateTime={rec.writtenAt}>{warekiDateTime(rec.writtenAt)}</time>／提出 <time dateTime={mat.tabledAt}>{warekiDateTime(mat.tabledAt)}</time>
        </span>
        {rec.personId && <span className="text-sm text-solid-gray-800">対象：{names.get(rec.personId) ?? '（世帯員）'}</span>}
      </div>
      <p className="whitespace-pre-wrap">{rec.body}</p>
    </li>
  );
}

/** The materials as tabled (snapshots), with the 支援会議限り label where the basis is statutory. */
export function MaterialsSection({ data, acknowledgedAt }: { data: MeetingMaterials; acknowledgedAt: string | null }) {
  return (
    <Section id="materials" title="会議資料" testId="materials">
      {data.label ? (
        <div role="note" className="mb-6 rounded-8 border-4 border-red-900 bg-red-50 p-4" data-testid="materials-label">
          <p className="text-std-24B-150 text-red-1000">{data.label}</p>
          <p className="mt-1">
            法律上の守秘義務のもとで共有された資料です。構成員以外への提供・転送・複製・エクスポートはできません。閲覧はすべて監査記録に残ります。
          </p>
        </div>
      ) : (
        <Notice tone="info" role="note" title="本人同意の範囲で共有された資料です" testId="materials-consent-note">
          同意の範囲・目的の外で使わないでください。同意が撤回されると、そのケースは資料から直ちに外れます。
        </Notice>
      )}
      <p className="mb-4 text-sm text-solid-gray-700">
        あなたの守秘義務の確認：{warekiDateTime(acknowledgedAt)}。資料の閲覧期限：{warekiDateTime(data.materialsCloseAt)}。
      </p>
      {data.dropped.length > 0 && (
        <Notice tone="warning" role="note" title={`${data.dropped.length}件のケースを資料から外しています`} testId="materials-dropped">
          本人同意が撤回された、または全構成員の機関を含む同意がないため、本人同意に基づくこの会議では表示できません（ルール3）。
        </Notice>
      )}
      {data.cases.length === 0 && <p className="rounded-8 bg-solid-gray-50 p-4">議題のケースはありません。</p>}
      {data.cases.map((c) => {
        const core = c.materials.find((x): x is Extract<MeetingMaterial, { kind: 'case_core' }> => x.kind === 'case_core');
        const names = new Map((core?.content.members ?? []).filter((p) => p.name).map((p) => [p.personId, p.name as string]));
        const records = c.materials.filter((x): x is Extract<MeetingMaterial, { kind: 'record' }> => x.kind === 'record');
        return (
          <article key={c.caseId} className="mb-8 rounded-8 border border-solid-gray-420 p-4" aria-labelledby={`agenda-${c.caseId}`} data-testid="agenda-case">
            <h3 id={`agenda-${c.caseId}`} className="mb-2 text-std-20B-150">
              {c.householdName || '（世帯名なし）'}
            </h3>
            <p className="mb-4 rounded-8 bg-blue-50 p-3">
              <span className="font-bold">議題とする目的：</span>
              {c.purpose || '—'}
            </p>
            {core && <CaseCore core={core.content} tabledBy={core.organizationName} tabledAt={core.tabledAt} />}
            <h4 className="mb-2 font-bold">提出された支援記録（{records.length}件）</h4>
            {records.length === 0 ? (
              <p className="text-solid-gray-800">まだ提出された記録はありません。</p>
            ) : (
              <ul data-testid="tabled-records">
                {records.map((r) => (
                  <TabledRecord key={r.id} mat={r} names={names} />
                ))}
              </ul>
            )}
          </article>
        );
      })}
    </Section>
  );
}

/** 資料の提出: the member's own organization's records of a case on the agenda. */
export function TableRecordsSection({ meetingId, cases, onChanged }: { meetingId: string; cases: MaterialCase[]; onChanged: (msg: string) => void }) {
  const me = useMe();
  const codes = useCodeLists();
  const [caseId, setCaseId] = useState(cases[0]?.caseId ?? '');
  const [selected, setSelected] = useState<string[]>([]);
  const records = useApiGet<ListResponse<CaseRecord>>(caseId ? `/cases/${seg(caseId)}/records` : null);
  const own = (records.data?.items ?? []).filter((r) => r.authorOrganization?.id === me.organizationId);
  const s = useSubmit((path) => {
    const [head, i] = path.split('.');
    return head === 'recordIds' ? `record:${selected[Number(i)] ?? i}` : (head ?? path);
  });

  if (cases.length === 0) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (selected.length === 0) {
      s.setLocalErrors({ records: '提出する記録を選んでください。' });
      return;
    }
    const ok = await s.run(() => api.post(`/meetings/${seg(meetingId)}/table`, { caseId, recordIds: selected }));
    if (ok) {
      setSelected([]);
      onChanged(`${selected.length}件の記録を会議資料として提出しました。`);
    }
  }

  return (
    <Section id="table" title="資料の提出" testId="table-records">
      <p className="mb-4 text-sm text-solid-gray-700">
        議題のケースについて、貴機関（{me.organizationName}
        ）の記録を会議に提出できます。提出されるのはその時点の写しです。税情報は、本人の税情報を含む同意が全構成員の機関を含む場合にしか提出できません。
      </p>
      <form onSubmit={submit} noValidate aria-label="資料の提出" className="card bg-blue-50">
        <ErrorSummary
          detail={s.detail}
          errors={s.errors}
          fieldIdOf={(k) => (k.startsWith('record:') ? `table-record-${k.slice(7)}` : k === 'caseId' ? 'table-case' : 'table-records-list')}
          labelOf={(k) => (k === 'caseId' ? 'ケース' : '記録')}
          testId="table-errors"
        />
        {cases.length > 1 ? (
          <SelectField
            id="table-case"
            label="ケース"
            required
            value={caseId}
            onChange={(e) => {
              setCaseId(e.target.value);
              setSelected([]);
            }}
            options={cases.map((c) => ({ value: c.caseId, label: c.householdName || '（世帯名なし）' }))}
            error={s.errors.caseId}
          />
        ) : (
          <p className="mb-4">
            <span className="font-bold">ケース：</span>
            {cases[0]?.householdName}
          </p>
        )}
        <fieldset id="table-records-list" tabIndex={-1} className="mb-4">
          <legend className="mb-1 font-bold">提出する記録（自機関の記録）</legend>
          {records.loading && !records.data && <Loading label="記録を読み込み中…" />}
          {records.error && (records.error.status === 404 ? <p>このケースに貴機関の記録はありません。</p> : <ApiErrorNotice error={records.error} />)}
          {records.data && own.length === 0 && <p>このケースに貴機関の記録はありません。</p>}
          <ul>
            {own.map((r) => (
              <li key={r.id} className="mb-2 rounded-8 border border-solid-gray-420 bg-white p-3" data-testid="table-record-option">
                <CheckboxField
                  id={`table-record-${r.id}`}
                  className="mb-0"
                  label={
                    <>
                      <span className="mr-2 font-bold">{wareki(r.createdAt)}</span>
                      <Badge tone={classificationTone(r.classification)}>{labelOf(codes.recordClassifications, r.classification)}</Badge>
                      <span className="ml-2">{r.body.length > 60 ? `${r.body.slice(0, 60)}…` : r.body}</span>
                    </>
                  }
                  checked={selected.includes(r.id)}
                  onChange={(e) => setSelected((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((x) => x !== r.id)))}
                  error={s.errors[`record:${r.id}`]}
                />
              </li>
            ))}
          </ul>
          {s.errors.records && <p className="mt-1 font-bold text-red-900">{s.errors.records}</p>}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={s.busy || own.length === 0} data-testid="table-submit">
          選んだ記録を提出する
        </button>
      </form>
    </Section>
  );
}
