import type { ComponentChildren } from "preact";
import type { Problem } from "../api/problem.js";
import { ProblemBanner } from "./Status.js";

interface TaskFormProps {
  /** The heading's id: it labels the form. */
  id: string;
  title: string;
  /** h2 on a page, h3 inside a card. */
  level?: 2 | 3;
  /** The task's state (useTask): its problem shows above the button, which is disabled while it runs. */
  task: { problem: Problem | undefined; pending: boolean };
  onSubmit: (event: Event) => void;
  /** The button's text. */
  action: string;
  /** Disabled for another reason too (e.g. nothing left to change). */
  disabled?: boolean;
  /** Browser validation off: the gateway's schema checks the fields (useTask) and names each failing one. */
  noValidate?: boolean;
  children?: ComponentChildren;
}

/** A task as a form: heading, fields, the refusal if any, one submit button. */
export const TaskForm = ({ id, title, level = 2, task, onSubmit, action, disabled = false, noValidate = true, children }: TaskFormProps) => (
  <form class="task" aria-labelledby={id} onSubmit={onSubmit} noValidate={noValidate}>
    {level === 3 ? <h3 id={id}>{title}</h3> : <h2 id={id}>{title}</h2>}
    {children}
    <ProblemBanner problem={task.problem} />
    <button type="submit" disabled={task.pending || disabled}>
      {action}
    </button>
  </form>
);
