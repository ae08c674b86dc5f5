import type { CaseDetail, CaseMember, Withheld } from '../../api/types.ts';
import { Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { fullName } from './common.ts';
import { WithheldNotices } from './WithheldNotice.tsx';

/** The problems matrix: rows = members, columns = the problem types present on the case. */
export function ProblemsSection({
  kase,
  members,
  withheld,
  names,
}: {
  kase: CaseDetail;
  members: CaseMember[];
  withheld: Withheld[];
  names: Map<string, string>;
}) {
  const codes = useCodeLists();
  const problems = kase.problems ?? [];
  const hiddenPersons = new Set(withheld.flatMap((w) => w.personIds ?? []));
  const order = new Map(codes.problemTypes.map((p, i) => [p.code, i]));
  const types = [...new Set(problems.map((p) => p.type))].sort((a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999) || a.localeCompare(b, 'ja'));
  const showMatrix = kase.problems !== undefined || hiddenPersons.size > 0;
  const has = (personId: string, type: string) => problems.some((p) => p.personId === personId && p.type === type);
  const notes = problems.filter((p) => p.note);
  // Problems about persons not in the member list (should not happen) still get a row.
  const rows: { personId: string; name: string }[] = members.map((m) => ({ personId: m.personId, name: fullName(m) }));
  for (const p of problems) if (!rows.some((r) => r.personId === p.personId)) rows.push({ personId: p.personId, name: names.get(p.personId) ?? '（世帯員）' });

  return (
    <Section id="problems" title="課題">
      <WithheldNotices items={withheld} names={names} />
      {!showMatrix && withheld.length === 0 && <p className="text-solid-gray-700">表示できる課題はありません。</p>}
      {showMatrix && (
        <>
          {types.length === 0 && hiddenPersons.size === 0 ? (
            <p className="text-solid-gray-700">登録された課題はありません。</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="data-table" data-testid="problems-matrix">
                <caption className="mb-2 text-left text-sm text-solid-gray-700">
                  世帯員ごとの課題（● は該当。「同意なし・非表示」は本人同意がないため表示していない世帯員です）
                </caption>
                <thead>
                  <tr>
                    <th scope="col">世帯員</th>
                    {types.map((t) => (
                      <th scope="col" key={t} className="text-center">
                        {labelOf(codes.problemTypes, t)}
                      </th>
                    ))}
                    {types.length === 0 && <th scope="col">課題</th>}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.personId} data-testid="problem-row" data-person-id={r.personId}>
                      <th scope="row" className="font-bold whitespace-nowrap">
                        {r.name}
                      </th>
                      {hiddenPersons.has(r.personId) ? (
                        <td colSpan={Math.max(1, types.length)} className="bg-solid-gray-50 text-center text-solid-gray-800" data-testid="problem-withheld">
                          同意なし・非表示
                        </td>
                      ) : types.length === 0 ? (
                        <td>
                          <span className="text-solid-gray-600">—</span>
                        </td>
                      ) : (
                        types.map((t) => (
                          <td key={t} className="text-center text-lg" data-testid={has(r.personId, t) ? 'problem-cell-on' : undefined} data-type={t}>
                            {has(r.personId, t) ? (
                              <>
                                <span aria-hidden="true" className="text-blue-900">
                                  ●
                                </span>
                                <span className="sr-only">該当</span>
                              </>
                            ) : (
                              <span className="sr-only">該当なし</span>
                            )}
                          </td>
                        ))
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {notes.length > 0 && (
            <div className="mt-4">
              <h3 className="mb-2 text-std-18B-160">課題のメモ</h3>
              <ul className="list-disc pl-6">
                {notes.map((p) => (
                  <li key={p.id}>
                    <span className="font-bold">
                      {names.get(p.personId) ?? '（世帯員）'}・{labelOf(codes.problemTypes, p.type)}
                    </span>
                    ：{p.note}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </Section>
  );
}
