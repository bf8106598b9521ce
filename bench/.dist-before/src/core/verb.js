export const unchanged = (state, effects = []) => [state, effects];
//# sourceMappingURL=verb.js.map