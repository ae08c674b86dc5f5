import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { qs } from '../api/client.ts';
import type { ListResponse, PersonSearchItem } from '../api/types.ts';
import { TextField } from '../components/form.tsx';
import { ApiErrorNotice, Loading, PageTitle } from '../components/ui.tsx';
import { useApiGet } from '../hooks/useApiGet.ts';
import { birthWithAge } from '../lib/dates.ts';

export function PersonsScene() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const birthDate = params.get('birthDate') ?? '';
  const [text, setText] = useState(q);
  const [bd, setBd] = useState(birthDate);
  const { data, error, loading } = useApiGet<ListResponse<PersonSearchItem>>(q.trim() ? `/persons${qs({ q: q.trim(), birthDate })}` : null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    if (text.trim()) next.set('q', text.trim());
    if (bd) next.set('birthDate', bd);
    setParams(next);
  }

  const items = data?.items ?? [];
  return (
    <>
      <PageTitle title="本人検索">本人検索</PageTitle>
      <search>
        <form aria-label="本人検索" onSubmit={submit} className="card mb-8" data-testid="person-search-form">
          <div className="grid gap-4 md:grid-cols-[2fr_1fr_auto] md:items-end">
            <TextField
              id="person-q"
              label="氏名（漢字・かな）"
              name="q"
              type="search"
              bare
              className="mb-0"
              value={text}
              onChange={(e) => setText(e.target.value)}
              hint="斉藤／齋藤／斎藤 などの異体字、ひらがな・カタカナ・半角カナ、空白の有無はどれでも同じように見つかります。"
              data-testid="person-search-input"
            />
            <TextField
              id="person-birthDate"
              label="生年月日（任意）"
              name="birthDate"
              type="date"
              bare
              className="mb-0"
              value={bd}
              onChange={(e) => setBd(e.target.value)}
            />
            <button type="submit" className="btn btn-primary" data-testid="person-search-submit">
              検索する
            </button>
          </div>
          <p className="mt-3 text-sm text-solid-gray-700">
            表示されるのは、あなたの機関が閲覧できる人（自機関で登録した人、支援チームに入っているケースの世帯員など）だけです。
          </p>
        </form>
      </search>
      <div aria-live="polite" data-testid="person-search-status">
        {q && !loading && !error && (
          <p className="mb-2 text-solid-gray-700">
            「{q}」の検索結果：{items.length}件
          </p>
        )}
      </div>
      {loading && <Loading label="検索中…" />}
      {error && <ApiErrorNotice error={error} />}
      {data && items.length === 0 && (
        <p className="rounded-8 bg-solid-gray-50 p-4">
          該当する人は見つかりませんでした。ほかの機関が登録している可能性がある場合は、相談支援包括化推進員に確認してください。
        </p>
      )}
      {items.length > 0 && (
        <div className="overflow-x-auto">
          <table className="data-table" data-testid="person-results">
            <caption className="sr-only">検索結果</caption>
            <thead>
              <tr>
                <th scope="col">氏名</th>
                <th scope="col">カナ</th>
                <th scope="col">生年月日</th>
                <th scope="col">世帯</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => {
                const hh = p.households?.[0];
                const name = `${p.familyName} ${p.givenName}`;
                return (
                  <tr key={p.id} data-testid="person-row">
                    <th scope="row" className="font-bold">
                      {hh ? <Link to={`/households/${encodeURIComponent(hh.id)}`}>{name}</Link> : name}
                    </th>
                    <td>{[p.familyNameKana, p.givenNameKana].filter(Boolean).join(' ')}</td>
                    <td className="whitespace-nowrap">{birthWithAge(p.birthDate)}</td>
                    <td>
                      {p.households && p.households.length > 0 ? (
                        <ul>
                          {p.households.map((h) => (
                            <li key={h.id}>
                              <Link to={`/households/${encodeURIComponent(h.id)}`}>{h.name || '（世帯名なし）'}</Link>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="text-solid-gray-700">世帯未登録</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
