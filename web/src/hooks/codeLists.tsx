import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import * as defaults from '../../../src/ja/codeLists.ts';
import { api } from '../api/client.ts';
import type { CodeEntry, CodeLists } from '../api/types.ts';

/** The built-in defaults, replaced by the municipality's lists from GET /code-lists once loaded. */
const DEFAULT_LISTS: CodeLists = {
  organizationKinds: [...defaults.organizationKinds],
  organizationFields: [...defaults.organizationFields],
  problemTypes: [...defaults.problemTypes],
  relationships: [...defaults.relationships],
  referralRoutes: [...defaults.referralRoutes],
  closingReasons: [...defaults.closingReasons],
  caseStatuses: [...defaults.caseStatuses],
  urgencies: [...defaults.urgencies],
  consentMethods: [...defaults.consentMethods],
  givenByRelations: [...defaults.givenByRelations],
  recordClassifications: [...defaults.recordClassifications],
  roles: [...defaults.roles],
  teamBases: [...defaults.teamBases],
  sexes: [...defaults.sexes],
};

const CodeListsContext = createContext<CodeLists>(DEFAULT_LISTS);

export function CodeListsProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [lists, setLists] = useState<CodeLists>(DEFAULT_LISTS);
  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    api
      .get<Partial<CodeLists>>('/code-lists', { signal: ctrl.signal, no401Redirect: true })
      .then((got) => {
        const merged = { ...DEFAULT_LISTS };
        for (const key of Object.keys(DEFAULT_LISTS) as (keyof CodeLists)[]) {
          const v = got[key];
          if (Array.isArray(v) && v.length > 0) merged[key] = v;
        }
        setLists(merged);
      })
      .catch(() => {
        /* keep the defaults */
      });
    return () => ctrl.abort();
  }, [enabled]);
  return <CodeListsContext.Provider value={lists}>{children}</CodeListsContext.Provider>;
}

export function useCodeLists(): CodeLists {
  return useContext(CodeListsContext);
}

/** Japanese label for a code; unknown (municipality-added) codes are shown as they are. */
export function labelOf(list: readonly CodeEntry[], code: string | null | undefined): string {
  if (code == null || code === '') return '';
  return list.find((e) => e.code === code)?.ja ?? code;
}
