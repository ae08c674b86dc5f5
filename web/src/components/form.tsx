import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useEffect, useId, useRef } from 'react';
import type { ApiError } from '../api/client.ts';

/** Field-level errors keyed by the API's `path` (e.g. "familyNameKana", "members.0.personId"). */
export type FieldErrors = Record<string, string>;

/** Collect an ApiError's field errors; `rename` maps an API path to the form's own key. */
export function fieldErrorsOf(err: ApiError, rename: (path: string) => string = (p) => p): FieldErrors {
  const out: FieldErrors = {};
  for (const e of err.errors) {
    const key = rename(e.path ?? '');
    out[key] = out[key] ? `${out[key]} ${e.message}` : e.message;
  }
  return out;
}

function RequiredMark({ required }: { required?: boolean }) {
  if (!required)
    return (
      <span aria-hidden="true" className="ml-2 text-sm font-normal text-solid-gray-600">
        任意
      </span>
    );
  return (
    <span aria-hidden="true" className="ml-2 rounded-4 bg-red-900 px-1.5 py-0.5 text-xs font-bold text-white">
      必須
    </span>
  );
}

interface BaseFieldProps {
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  className?: string;
  /** Hide the 必須/任意 marker. */
  bare?: boolean;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}

function FieldFrame({
  id,
  label,
  required,
  hint,
  error,
  className,
  bare,
  hintId,
  errorId,
  children,
}: BaseFieldProps & { id: string; hintId: string; errorId: string; children: ReactNode }) {
  return (
    <div className={className ?? 'mb-5'}>
      {/* The 必須/任意 marker sits outside the <label> so the accessible name is exactly the label text;
          required-ness is conveyed by aria-required on the control. */}
      <div className="mb-1 flex items-center">
        <label htmlFor={id} className="font-bold">
          {label}
        </label>
        {!bare && <RequiredMark required={required} />}
      </div>
      {hint && (
        <p id={hintId} className="mb-1 text-sm text-solid-gray-700">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={errorId} className="mt-1 font-bold text-red-900" data-field-error="">
          <span aria-hidden="true">！ </span>
          {error}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = BaseFieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'> & { id?: string; inputClassName?: string };

export function TextField({ label, required, hint, error, className, bare, id, inputClassName, ...input }: TextFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const hintId = `${fid}-hint`;
  const errorId = `${fid}-error`;
  return (
    <FieldFrame {...{ id: fid, label, required, hint, error, className, bare, hintId, errorId }}>
      <input
        id={fid}
        className={`input ${inputClassName ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
        aria-required={required || undefined}
        {...input}
      />
    </FieldFrame>
  );
}

type TextAreaFieldProps = BaseFieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'className'> & { id?: string };

export function TextAreaField({ label, required, hint, error, className, bare, id, ...input }: TextAreaFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const hintId = `${fid}-hint`;
  const errorId = `${fid}-error`;
  return (
    <FieldFrame {...{ id: fid, label, required, hint, error, className, bare, hintId, errorId }}>
      <textarea
        id={fid}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
        aria-required={required || undefined}
        {...input}
      />
    </FieldFrame>
  );
}

type SelectFieldProps = BaseFieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'className'> & {
    id?: string;
    options: { value: string; label: string }[];
    placeholder?: string;
  };

export function SelectField({ label, required, hint, error, className, bare, id, options, placeholder, ...select }: SelectFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const hintId = `${fid}-hint`;
  const errorId = `${fid}-error`;
  return (
    <FieldFrame {...{ id: fid, label, required, hint, error, className, bare, hintId, errorId }}>
      <select
        id={fid}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
        aria-required={required || undefined}
        {...select}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({
  label,
  error,
  id,
  className,
  ...input
}: { label: ReactNode; error?: string; id?: string; className?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'className'>) {
  const auto = useId();
  const fid = id ?? auto;
  const errorId = `${fid}-error`;
  return (
    <div className={className ?? 'mb-3'}>
      <div className="flex items-center gap-2">
        <input id={fid} type="checkbox" className="check" aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} {...input} />
        <label htmlFor={fid}>{label}</label>
      </div>
      {error && (
        <p id={errorId} className="mt-1 font-bold text-red-900">
          {error}
        </p>
      )}
    </div>
  );
}

export function RadioGroup({
  legend,
  name,
  value,
  onChange,
  options,
  error,
  required,
  inline = true,
  className,
}: {
  legend: ReactNode;
  name: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string;
  required?: boolean;
  inline?: boolean;
  className?: string;
}) {
  const auto = useId();
  const errorId = `${auto}-error`;
  return (
    <fieldset className={className ?? 'mb-5'} aria-describedby={error ? errorId : undefined}>
      <legend className="mb-1 font-bold">
        {legend}
        <RequiredMark required={required} />
      </legend>
      <div className={inline ? 'flex flex-wrap gap-x-6 gap-y-2' : 'grid gap-2'}>
        {options.map((o) => {
          const rid = `${auto}-${o.value}`;
          return (
            <div key={o.value} className="flex items-center gap-2">
              <input id={rid} type="radio" className="check" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
              <label htmlFor={rid}>{o.label}</label>
            </div>
          );
        })}
      </div>
      {error && (
        <p id={errorId} className="mt-1 font-bold text-red-900">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * The error summary at the top of a form (DADS pattern): the problem's detail
 * and every field error, each linking to its field. Focused when it appears so
 * screen-reader and keyboard users land on it.
 */
export function ErrorSummary({
  title,
  detail,
  errors,
  fieldIdOf,
  labelOf,
  testId,
}: {
  title?: string;
  detail?: string;
  errors?: FieldErrors;
  fieldIdOf?: (key: string) => string | undefined;
  labelOf?: (key: string) => string | undefined;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  const visible = Boolean(detail) || entries.length > 0;
  // Focus again whenever the set of errors changes (a second failed submit must be announced too).
  const signature = visible ? `${detail ?? ''}|${entries.map(([k, v]) => `${k}=${v}`).join('|')}` : '';
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  return (
    <div aria-live="assertive" aria-atomic="true">
      {visible && (
        <div ref={ref} tabIndex={-1} role="alert" data-testid={testId ?? 'error-summary'} className="mb-6 rounded-8 border-2 border-red-900 bg-red-50 p-4">
          <p className="font-bold text-red-900">{title ?? '入力内容を確認してください'}</p>
          {detail && <p className="mt-1">{detail}</p>}
          {entries.length > 0 && (
            <ul className="mt-2 list-disc pl-6">
              {entries.map(([key, msg]) => {
                const target = fieldIdOf?.(key);
                const name = labelOf?.(key);
                const text = name ? `${name}：${msg}` : msg;
                return (
                  <li key={key}>
                    {target ? (
                      <a
                        href={`#${target}`}
                        onClick={(e) => {
                          const el = document.getElementById(target);
                          if (el) {
                            e.preventDefault();
                            el.focus();
                          }
                        }}
                      >
                        {text}
                      </a>
                    ) : (
                      text
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
