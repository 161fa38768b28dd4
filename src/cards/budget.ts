// Teams' limits on one bot message, measured as Teams measures them. The core's last guard and the
// worst-case card test both use this module, so there is one definition of "fits".

/** Teams refuses an activity above about 100 KB counted as UTF-16 (413 MessageSizeTooBig). */
export const TEAMS_MESSAGE_LIMIT_BYTES = 100 * 1024;
/** Microsoft advises staying under 80 KB; every message BO Wonen sends is designed to stay within this. */
export const MESSAGE_BUDGET_BYTES = 80 * 1024;
/** Teams shows at most this many actions in one set; the rest hide behind "…". */
export const MAX_PRIMARY_ACTIONS = 6;

/** The size Teams counts: two bytes per character of the activity's JSON. */
export function utf16Bytes(activity: unknown): number {
  return JSON.stringify(activity).length * 2;
}
