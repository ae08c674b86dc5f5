import { type ReactNode, useEffect, useRef } from 'react';
import type { ApiError } from '../api/client.ts';

/** Sets the document title and moves focus to the page heading on navigation. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} | Kasane（重ね）`;
  }, [title]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="mb-6 text-std-32B-150 focus:outline-none">
      {children}
    </h1>
  );
}

type Tone = 'info' | 'warning' | 'error' | 'success' | 'neutral';

const TONES: Record<Tone, string> = {
  info: 'border-blue-900 bg-blue-50',
  warning: 'border-orange-800 bg-orange-50',
  error: 'border-red-900 bg-red-50',
  success: 'border-green-800 bg-green-50',
  neutral: 'border-solid-gray-420 bg-solid-gray-50',
};

const TONE_LABEL: Record<Tone, string> = {
  info: 'お知らせ',
  warning: '注意',
  error: 'エラー',
  success: '完了',
  neutral: '情報',
};

/** A bordered notice box (DADS "notification banner"). */
export function Notice({
  tone = 'info',
  title,
  children,
  role,
  testId,
  className,
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  role?: 'alert' | 'status' | 'note';
  testId?: string;
  className?: string;
}) {
  return (
    <div role={role} data-testid={testId} className={`mb-4 rounded-8 border-l-8 border ${TONES[tone]} p-4 ${className ?? ''}`}>
      {title && (
        <p className="font-bold">
          <span className="sr-only">{TONE_LABEL[tone]}：</span>
          {title}
        </p>
      )}
      {children && <div className={title ? 'mt-1' : ''}>{children}</div>}
    </div>
  );
}

/** An API error as a notice; 404 gets the product's wording. */
export function ApiErrorNotice({ error, testId }: { error: ApiError; testId?: string }) {
  const msg =
    error.status === 404 ? '表示できません（存在しないか、閲覧権限がありません）' : error.problem.detail || error.problem.title || 'エラーが発生しました。';
  return (
    <Notice tone="error" role="alert" testId={testId ?? 'api-error'} title={error.status === 403 ? '閲覧・操作の権限がありません' : undefined}>
      {msg}
    </Notice>
  );
}

export function Loading({ label = '読み込み中…' }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" className="my-4 text-solid-gray-700">
      {label}
    </p>
  );
}

type BadgeTone = 'blue' | 'gray' | 'orange' | 'red' | 'green' | 'yellow' | 'purple';
const BADGE: Record<BadgeTone, string> = {
  blue: 'bg-blue-100 text-blue-1100 border-blue-300',
  gray: 'bg-solid-gray-50 text-solid-gray-800 border-solid-gray-300',
  orange: 'bg-orange-50 text-orange-1000 border-orange-300',
  red: 'bg-red-50 text-red-1000 border-red-300',
  green: 'bg-green-50 text-green-1000 border-green-300',
  yellow: 'bg-yellow-50 text-yellow-1100 border-yellow-400',
  purple: 'bg-purple-50 text-purple-1000 border-purple-300',
};

export function Badge({ tone = 'gray', children, title, testId }: { tone?: BadgeTone; children: ReactNode; title?: string; testId?: string }) {
  return (
    <span
      title={title}
      data-testid={testId}
      className={`inline-flex items-center whitespace-nowrap rounded-4 border px-2 py-0.5 text-sm font-bold ${BADGE[tone]}`}
    >
      {children}
    </span>
  );
}

export function statusTone(status: string): BadgeTone {
  switch (status) {
    case 'intake':
      return 'blue';
    case 'assessment':
      return 'purple';
    case 'planning':
      return 'yellow';
    case 'in_support':
      return 'green';
    default:
      return 'gray';
  }
}

export function urgencyTone(urgency: string): BadgeTone {
  return urgency === 'urgent' ? 'red' : urgency === 'high' ? 'orange' : 'gray';
}

export function classificationTone(c: string): BadgeTone {
  return c === 'tax' ? 'red' : c === 'sensitive' ? 'orange' : 'gray';
}

/** A titled page section with an h2 heading (landmark via aria-labelledby). */
export function Section({ id, title, children, actions, testId }: { id: string; title: string; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="mb-10" data-testid={testId ?? `section-${id}`}>
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3 border-b-2 border-blue-900 pb-1">
        <h2 id={`${id}-heading`} className="text-std-24B-150">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A live region that announces a success message after an action. */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <div role="status" aria-live="polite" className="min-h-0 print:hidden">
      {message && (
        <p className="mb-4 rounded-8 border border-green-800 bg-green-50 p-3 font-bold text-green-900" data-testid="status-message">
          {message}
        </p>
      )}
    </div>
  );
}
