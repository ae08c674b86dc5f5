import { type ReactNode, useState } from 'react';
import { API_BASE, seg } from '../../api/client.ts';
import type { CaseDetail, CaseMember } from '../../api/types.ts';
import { Section } from '../../components/ui.tsx';
import { labelOf, useCodeLists } from '../../hooks/codeLists.tsx';
import { ageToday } from '../../lib/dates.ts';
import { fullName } from './common.ts';
import { PrintButton } from './lifecycleCommon.tsx';

/**
 * 家族構成図 (genogram) and エコマップ (eco-map), drawn by the server as SVG from the household data
 * and shown only to those who may see the household. A text list beside each keeps them usable
 * without sight.
 */
export function FamilyMapsSection({ kase, members }: { kase: CaseDetail; members: CaseMember[] }) {
  const codes = useCodeLists();
  const base = `${API_BASE}/cases/${seg(kase.id)}`;
  return (
    <Section id="maps" title="家族構成図・エコマップ" actions={<PrintButton />}>
      <p className="mb-4 text-sm text-solid-gray-700 print:hidden">
        世帯の登録内容から自動で描いています。□は男性、○は女性、二重線は本人、×は死亡、◇はその他・不明、点線の囲みは同居、「KP」はキーパーソンです（同居とキーパーソンは主担当機関だけに表示）。
      </p>
      <div className="grid gap-8 lg:grid-cols-2">
        <MapFigure
          src={`${base}/genogram.svg`}
          title="家族構成図（ジェノグラム）"
          alt={`${kase.householdName}の家族構成図`}
          testId="genogram"
          description={
            members.length > 0 ? (
              <ul className="list-disc pl-6">
                {members.map((m) => {
                  const age = ageToday(m.birthDate);
                  return (
                    <li key={m.personId}>
                      {fullName(m)}（{m.relationship ? labelOf(codes.relationships, m.relationship) : '続柄不明'}
                      {age !== null ? `・${age}歳` : ''}
                      {m.livesTogether === false ? '・別居' : m.livesTogether ? '・同居' : ''}
                      {m.keyPerson ? '・キーパーソン' : ''}）
                    </li>
                  );
                })}
              </ul>
            ) : null
          }
        />
        <MapFigure
          src={`${base}/ecomap.svg`}
          title="エコマップ"
          alt={`${kase.householdName}と関係機関のエコマップ`}
          testId="ecomap"
          description={
            <ul className="list-disc pl-6">
              {kase.team.map((t) => (
                <li key={t.organizationId}>
                  {t.organizationName}（{labelOf(codes.teamBases, t.basis)}）
                </li>
              ))}
            </ul>
          }
        />
      </div>
    </Section>
  );
}

function MapFigure({ src, title, alt, testId, description }: { src: string; title: string; alt: string; testId: string; description: ReactNode }) {
  const [failed, setFailed] = useState(false);
  return (
    <figure className="card break-inside-avoid" data-testid={testId}>
      <figcaption className="mb-3 text-std-20B-150">{title}</figcaption>
      {failed ? (
        <p role="note" className="rounded-8 border border-solid-gray-536 bg-solid-gray-50 p-3" data-testid={`${testId}-unavailable`}>
          {title}は表示できません（閲覧権限がないか、まだ描けません）。
        </p>
      ) : (
        <img
          src={src}
          alt={alt}
          className="h-auto w-full border border-solid-gray-200 bg-white"
          onError={() => setFailed(true)}
          data-testid={`${testId}-img`}
        />
      )}
      {description && (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-blue-1000 underline">{title}の内容（テキスト）</summary>
          <div className="mt-2">{description}</div>
        </details>
      )}
      {!failed && (
        <p className="mt-2 text-sm print:hidden">
          <a href={src} target="_blank" rel="noopener">
            {title}を別のタブで開く（SVG）
          </a>
        </p>
      )}
    </figure>
  );
}
