// How many runs a property gets: the default suite stays fast; `npm run test:deep`
// (PUREIRCD_DEEP=1) multiplies every property's runs.
const deep = Number(process.env.PUREIRCD_DEEP ?? '0');
export const DEEP_FACTOR = deep > 1 ? deep : deep === 1 ? 20 : 1;
export const runs = (n: number): number => n * DEEP_FACTOR;
