import { type Cell, cellIsEmpty } from "../layout/model.js";
import type { FieldDef, TableColumn } from "../templates/template.js";
import { cleanFreeText } from "../text/normalize.js";
import { cellLines, keyOfCell } from "./labels.js";
import { appendCell, emptyRaw, type RawRow } from "./raw.js";

/**
 * A table's rows as recovery reads them. Level columns with listed values print in the label
 * column (their value comes from the row label); other level columns are cells of the row, read by
 * position from the right, an empty one continuing the level printed above (across page breaks).
 */
export class TableReader {
  readonly rows: RawRow[] = [];
  private readonly columns: readonly TableColumn[];
  private readonly positional: readonly TableColumn[];
  private readonly valueColumns: readonly TableColumn[];
  /** The positional levels printed last, by column key. */
  private readonly current: Record<string, string | null> = {};

  constructor(
    readonly field: FieldDef,
    private readonly headerKeys: ReadonlySet<string>,
  ) {
    this.columns = field.kind.kind === "table" ? field.kind.columns : [];
    this.positional = this.columns.filter((c) => c.column.role === "level" && !c.column.values);
    this.valueColumns = this.columns.filter((c) => c.column.role !== "level");
  }

  /** The column a cell split by a page break continues (the target), when the table has one. */
  get targetKey(): string | null {
    return this.valueColumns.find((c) => c.column.role === "target")?.key ?? null;
  }

  /** The label-column level, if the table has one (its values are row labels). */
  get labelLevel(): string | null {
    return this.columns.find((c) => c.column.role === "level" && c.column.values)?.key ?? null;
  }

  /** Adds a row of cells (empty ones included); `labelled`: the label-column level's value. */
  add(cells: readonly Cell[], labelled: string | null): void {
    const filled = cells.filter((c) => !cellIsEmpty(c));
    if (filled.length === 0) return;
    if (filled.every((c) => this.headerKeys.has(keyOfCell(c)))) return;
    const row: RawRow = { values: {}, levels: {}, levelCells: {} };
    for (const c of this.valueColumns) row.values[c.key] = emptyRaw();
    if (this.positional.length > 0) this.byPosition(cells, row);
    else this.byFilled(filled, row);
    for (const c of this.columns) {
      if (c.column.role !== "level") continue;
      row.levels[c.key] = c.column.values ? labelled : (this.current[c.key] ?? null);
    }
    this.rows.push(row);
  }

  private byPosition(cells: readonly Cell[], row: RawRow): void {
    const wanted = this.positional.length + this.valueColumns.length;
    const tail = cells.slice(-wanted);
    const slots: Array<Cell | null> = [...Array<null>(wanted - tail.length).fill(null), ...tail];
    this.positional.forEach((c, i) => {
      const cell = slots[i];
      if (!cell || cellIsEmpty(cell)) return;
      this.current[c.key] = cleanFreeText(cellLines(cell).join(""));
      row.levelCells[c.key] = [cell];
      // A new level starts its own sub-levels: the deeper ones printed above do not continue.
      for (const deeper of this.positional.slice(i + 1)) this.current[deeper.key] = null;
    });
    this.valueColumns.forEach((c, i) => {
      const cell = slots[this.positional.length + i];
      if (cell && !cellIsEmpty(cell)) appendCell(row.values[c.key]!, cell);
    });
  }

  /**
   * Filled cells to value columns: one cell is the first column (or the money column when it reads
   * as an amount); more fill the columns in order, the extras joining the target column or, in a
   * table without one, the first column (a name printed over two cells).
   */
  private byFilled(filled: readonly Cell[], row: RawRow): void {
    const cols = this.valueColumns;
    const put = (c: TableColumn | undefined, cell: Cell) => {
      if (c) appendCell(row.values[c.key]!, cell);
    };
    if (filled.length === 1) {
      const money = cols.find((c) => c.column.role === "money");
      const moneyLike = /^[\d,，.\s]+(万|元)?$/u.test(cleanFreeText(cellLines(filled[0]!).join("")));
      put(money && moneyLike ? money : cols[0], filled[0]!);
      return;
    }
    const target = cols.findIndex((c) => c.column.role === "target");
    if (target >= 0) {
      filled.forEach((cell, i) => {
        put(cols[Math.min(i, target)], cell);
      });
      return;
    }
    const extra = Math.max(0, filled.length - cols.length);
    filled.forEach((cell, i) => {
      put(cols[Math.max(0, i - extra)], cell);
    });
  }

  /** Sets the label-column level of the rows from `from` on (a category printed on the next page). */
  relabel(from: number, value: string): void {
    const key = this.labelLevel;
    if (key) for (const r of this.rows.slice(from)) r.levels[key] = value;
  }
}
