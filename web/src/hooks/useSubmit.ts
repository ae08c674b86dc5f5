import { useCallback, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { type FieldErrors, fieldErrorsOf } from '../components/form.tsx';

export interface SubmitState {
  busy: boolean;
  /** The problem's detail (or a local message) for the error summary. */
  detail: string | undefined;
  errors: FieldErrors;
  setLocalErrors: (errors: FieldErrors, detail?: string) => void;
  reset: () => void;
  /** Run `fn`; on ApiError fill `detail`/`errors` and return undefined. */
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
}

/** Submission state for a form that posts to the API (problem+json → field errors). */
export function useSubmit(rename?: (path: string) => string): SubmitState {
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState<string | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});

  const reset = useCallback(() => {
    setDetail(undefined);
    setErrors({});
  }, []);

  const setLocalErrors = useCallback((errs: FieldErrors, d?: string) => {
    setErrors(errs);
    setDetail(d);
  }, []);

  const run = useCallback(
    async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setDetail(undefined);
      setErrors({});
      try {
        return await fn();
      } catch (err) {
        if (err instanceof ApiError) {
          setErrors(fieldErrorsOf(err, rename));
          setDetail(err.problem.detail || err.problem.title || 'エラーが発生しました。');
        } else {
          setDetail(err instanceof Error ? err.message : String(err));
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [rename],
  );

  return { busy, detail, errors, setLocalErrors, reset, run };
}
