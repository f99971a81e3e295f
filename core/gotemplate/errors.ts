/** A template that does not parse or does not execute, with where it happened. */
export class TemplateError extends Error {
  readonly file: string;
  readonly line: number;
  readonly template: string;
  readonly phase: "parse" | "exec";

  constructor(message: string, where: { file: string; line: number; template: string; phase: "parse" | "exec" }) {
    super(message);
    this.file = where.file;
    this.line = where.line;
    this.template = where.template;
    this.phase = where.phase;
  }
}
