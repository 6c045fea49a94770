/**
 * A boolean query parameter as the apiserver reads it into ListOptions, PodLogOptions
 * and the like (apimachinery's `Convert_Slice_string_To_bool`): absent is false; `0` and
 * `false` in any letter case are false; every other value, the empty string included, is
 * true. So `watch=True` (the Python client) and `watch=1` both start a watch.
 */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const value = q.get(name);
  if (value === null) return false;
  return !(value === '0' || value.toLowerCase() === 'false');
}
