import type { CaseMember, Withheld } from '../../api/types.ts';
import { Badge, Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { birthWithAge } from '../../lib/dates.ts';
import { fullName, kanaName } from './common.ts';
import { WithheldNotices } from './WithheldNotice.tsx';

export function MembersSection({ members, withheld, names }: { members: CaseMember[]; withheld: Withheld[]; names: Map<string, string> }) {
  const codes = useCodeLists();
  return (
    <Section id="members" title="世帯員">
      <WithheldNotices items={withheld} names={names} />
      {members.length === 0 ? (
        <p className="text-solid-gray-700">表示できる世帯員はいません。</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="members-table">
            <caption className="sr-only">世帯員の一覧</caption>
            <thead>
              <tr>
                <th scope="col">氏名</th>
                <th scope="col">カナ</th>
                <th scope="col">生年月日（年齢）</th>
                <th scope="col">続柄</th>
                <th scope="col">同居</th>
                <th scope="col">キーパーソン</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.personId} data-testid="member-row" data-person-id={m.personId}>
                  <th scope="row" className="font-bold">
                    {fullName(m)}
                  </th>
                  <td>{kanaName(m)}</td>
                  <td className="whitespace-nowrap">{birthWithAge(m.birthDate)}</td>
                  <td>{m.relationship ? labelOf(codes.relationships, m.relationship) : '—'}</td>
                  <td>{m.livesTogether === undefined || m.livesTogether === null ? '—' : m.livesTogether ? '同居' : '別居'}</td>
                  <td>
                    {m.keyPerson ? (
                      <Badge tone="blue" testId="key-person">
                        <span aria-hidden="true">★ </span>キーパーソン
                      </Badge>
                    ) : (
                      <span className="sr-only">いいえ</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
