/** An error raised by DPDK: `errno` is rte_errno, the message ends with rte_strerror's text. */
export class DpdkError extends Error {
  readonly errno: number;
  constructor(message: string, errno: number) {
    super(message);
    this.name = 'DpdkError';
    this.errno = errno;
  }
}

/** Bad input from the user: printed as one line, never as a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line for the user, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
