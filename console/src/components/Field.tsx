import type { ComponentChildren } from "preact";

interface FieldProps {
  /** The dotted path the schema and the server name the field by: its error shows here. */
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  type?: "text" | "number" | "email" | "datetime-local";
  hint?: ComponentChildren;
}

const idOf = (name: string) => `field-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** A labelled input whose error is announced with it (aria-invalid, aria-describedby). */
export const Field = ({ name, label, value, onInput, error, type = "text", hint }: FieldProps) => {
  const id = idOf(name);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        // Preact types each input kind apart; the kinds used here all take the same attributes.
        type={type as "text"}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {hint ? <small class="hint">{hint}</small> : null}
      {error ? (
        <p class="field-error" id={`${id}-error`} data-field={name}>
          {error}
        </p>
      ) : null}
    </div>
  );
};

/** How a change reaches the other contexts: by events (async) or by the gateway's saga before it answers (sync). */
export type SyncOrAsync = "async" | "sync";

interface ChoiceProps<T extends string> {
  name: string;
  legend: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

/** Radio buttons in a fieldset: one keyboard stop, arrows between options. */
export const Choice = <T extends string>({ name, legend, value, options, onChange }: ChoiceProps<T>) => (
  <fieldset class="choice">
    <legend>{legend}</legend>
    {options.map((option) => (
      <label key={option.value}>
        <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} /> {option.label}
      </label>
    ))}
  </fieldset>
);

/** The choice of a task that can go either way (DESIGN §4), each way labelled for what it does there. */
export const SyncOrAsyncChoice = ({ labels, ...choice }: Omit<ChoiceProps<SyncOrAsync>, "options"> & { labels: Record<SyncOrAsync, string> }) => (
  <Choice
    {...choice}
    options={[
      { value: "async", label: labels.async },
      { value: "sync", label: labels.sync },
    ]}
  />
);
