/** UTC `yyyymmddThhmmssZ`: sorts as it reads and is safe in file names (run ids, `{{ run.timestamp }}`, archives, evidence folders). */
export function utcStamp(at: number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}
