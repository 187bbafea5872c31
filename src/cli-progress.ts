import { basename } from "node:path";
import type { FileSummary } from "./run/batch.js";

/** A progress line on stderr: redrawn in place on a terminal, one line every 5 s otherwise. */
export class Progress {
  private filesDone = 0;
  private pagesDone = 0;
  private current = "";
  private lastPrint = Date.now();
  private drawn = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly files: number,
    private readonly enabled: boolean,
  ) {}

  page(path: string, page: number, pages: number): void {
    this.pagesDone++;
    this.current = `${basename(path)} p.${page}/${pages}`;
    this.draw();
  }

  file(_s: FileSummary): void {
    this.filesDone++;
    this.draw();
  }

  say(line: string): void {
    this.clear();
    process.stderr.write(`${line}\n`);
  }

  end(): void {
    this.clear();
  }

  private line(): string {
    return `formex: ${this.filesDone}/${this.files} files, ${this.pagesDone} pages — ${this.current}`;
  }

  private draw(): void {
    if (!this.enabled) return;
    if (this.tty) {
      process.stderr.write(`\r\u001b[2K${this.line()}`);
      this.drawn = true;
    } else if (Date.now() - this.lastPrint >= 5000) {
      process.stderr.write(`${this.line()}\n`);
      this.lastPrint = Date.now();
    }
  }

  private clear(): void {
    if (this.drawn) process.stderr.write("\r\u001b[2K");
    this.drawn = false;
  }
}
