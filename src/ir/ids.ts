/**
 * `hint` when nothing in `taken` has it, else the first free `hint_1`, `hint_2`, … Passes make
 * ids from the ids they derive from (`conv__nchw`), and a file may already hold a tensor of that
 * name: taking it would silently join two different values.
 */
export function freshId(taken: { has(id: string): boolean }, hint: string): string {
  if (!taken.has(hint)) return hint;
  for (let i = 1; ; i++) {
    const id = `${hint}_${i}`;
    if (!taken.has(id)) return id;
  }
}
