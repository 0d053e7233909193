// A reason the local platform cannot start that the person running `npm start` can act on (a port taken, a
// DATA_DIR in use, no Java). main.ts prints its message as one line and exits non-zero, without a stack trace.

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
