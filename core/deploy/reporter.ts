/** How core tells the user what it is doing; the CLI renders it (logs on stderr, bars on a TTY). */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** Something failed and the operation goes on (a node's exec command exiting non-zero). */
  error(message: string): void;
  debug(message: string): void;
  success(message: string): void;
  /** Image pull progress, bytes across all layers. */
  progress?(id: string, current: number, total: number, status: string): void;
  progressDone?(id: string, status: string): void;
}

export const silentReporter: Reporter = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  success() {},
};
