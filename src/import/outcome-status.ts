/**
 * A crime's `outcome_status` is its latest outcome: the outcome row with the
 * greatest month (the later row of the same month wins). This statement, with a
 * WHERE clause added by the caller, sets it from the outcomes table; crimes with
 * no outcome rows get NULL and fall back to the street file's last outcome.
 * Written once in SQL both stores understand.
 */
export const recomputeOutcomeStatusSql = `UPDATE crimes SET
  outcome_code = (SELECT o.outcome_code FROM outcomes o WHERE o.persistent_id = crimes.persistent_id
                  ORDER BY o.month DESC, o.id DESC LIMIT 1),
  outcome_month = (SELECT max(o.month) FROM outcomes o WHERE o.persistent_id = crimes.persistent_id)`;

/**
 * Crimes just inserted have no outcome status yet, so only those with outcome
 * rows need the update; rewriting every row of a street file doubled its cost.
 */
export const hasOutcomesSql = `persistent_id <> '' AND EXISTS (SELECT 1 FROM outcomes o WHERE o.persistent_id = crimes.persistent_id)`;
