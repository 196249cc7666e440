import type { ComponentChildren } from "preact";

/** A table of rows under named columns; `caption` names it for screen readers only. */
export const Table = ({ columns, caption, children }: { columns: readonly string[]; caption?: string; children: ComponentChildren }) => (
  <table>
    {caption ? <caption class="visually-hidden">{caption}</caption> : null}
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
    <tbody>{children}</tbody>
  </table>
);
