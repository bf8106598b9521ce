export const send = (to, line) => ({ _tag: 'Send', to, line });
export const close = (client, reason) => ({ _tag: 'Close', client, reason });
export const log = (level, text) => ({ _tag: 'Log', level, text });
//# sourceMappingURL=effect.js.map