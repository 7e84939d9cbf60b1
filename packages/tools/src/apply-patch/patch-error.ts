/** A patch that cannot be applied; its message (what the model sees) names the file and the line at fault. */
export class PatchError extends Error {
  override readonly name = 'PatchError';
}
